/**
 * The review decisions an export applies: every reviewer's journal of the shards being exported, replayed
 * into one state and merged per record (resolutions win over individual picks and approvals).
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { agreement, type AgreementReport } from '../review/agreement'
import type { ReviewEvent, Severity } from '../review/events'
import { journalDir, readJournalDir, shardIdentity } from '../review/journal'
import { emptyState, mergeRecord, replay, type MergedRecord, type ReviewState } from '../review/state'

export interface JournalInput {
  /** `<shard-key>/<reviewer>.jsonl`, relative to `.phoenix/journal`. */
  file: string
  /** The shard (workspace-relative) whose journal folder this is. */
  shard: string
  sha256: string
  bytes: number
  events: number
  skippedLines: number
}

export interface LoadedReview {
  state: ReviewState
  journals: JournalInput[]
  /** Everyone with an event in the journals (resolvers included), by name. */
  reviewers: { name: string; events: number; records: number }[]
  /** Lines skipped while reading journals (torn tails, invalid events). */
  errors: string[]
  merged(promptId: string): MergedRecord | undefined
  agreement(): AgreementReport
}

/**
 * Journals are looked up for every shard given (the translation and, in two-shard mode, the English
 * source), because a reviewer may have opened either file of the pair; events name records by prompt_id
 * and texts by address, which both files share. An event seen twice (same id) counts once.
 */
export async function loadReview(workspace: string, shards: string[]): Promise<LoadedReview> {
  const events: ReviewEvent[] = []
  const seen = new Set<string>()
  const journals: JournalInput[] = []
  const errors: string[] = []
  const dirs = new Set<string>()
  for (const given of shards) {
    // Shard paths are relative to the current folder, not to the workspace.
    const shard = resolve(given)
    const dir = journalDir(workspace, shard)
    if (dirs.has(dir)) continue
    dirs.add(dir)
    // Every event, not a snapshot's compacted set: the manifest counts events per reviewer.
    const read = await readJournalDir(dir, { snapshot: false })
    for (const [file, result] of read) {
      let taken = 0
      for (const ev of result.events) {
        if (seen.has(ev.id)) continue
        seen.add(ev.id)
        events.push(ev)
        taken++
      }
      for (const e of result.errors) errors.push(`${file}: line ${e.line}: ${e.message}`)
      const bytes = await readFile(file)
      journals.push({
        file: `${basename(dir)}/${basename(file)}`,
        shard: shardIdentity(workspace, shard),
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes: bytes.length,
        events: taken,
        skippedLines: result.errors.length,
      })
    }
  }
  const state = replay(events, emptyState())
  const by = new Map<string, { events: number; records: Set<string> }>()
  for (const ev of events) {
    let r = by.get(ev.reviewer)
    if (!r) by.set(ev.reviewer, (r = { events: 0, records: new Set() }))
    r.events++
    r.records.add(ev.promptId)
  }
  const reviewers = [...by].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([name, r]) => ({ name, events: r.events, records: r.records.size }))
  const touched = new Set<string>(state.resolutions.keys())
  for (const recs of state.byReviewer.values()) for (const id of recs.keys()) touched.add(id)
  return {
    state,
    journals,
    reviewers,
    errors,
    merged: (promptId) => (touched.has(promptId) ? mergeRecord(state, promptId) : undefined),
    agreement: () => agreement(state),
  }
}

const RANK: Record<Severity, number> = { minor: 1, major: 2, critical: 3 }
export const severityRank = (s: Severity): number => RANK[s]

/** Rank (1 minor … 3 critical) of the worst human flag still open on a record; 0 when none. */
export function worstHumanFlag(rec: MergedRecord | undefined): number {
  let worst = 0
  if (rec) for (const f of rec.flags) worst = Math.max(worst, RANK[f.severity])
  return worst
}
