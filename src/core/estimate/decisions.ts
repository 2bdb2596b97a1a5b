/**
 * What reviewers decided about the sampled rows, reduced to what an estimate needs: was the row reviewed,
 * and which drift (reason, severity) does it carry. Rows outside the sample are never looked at here.
 */
import { DEFAULT_QA_CONFIG, type QaConfig } from '../qa/config'
import type { CheckName } from '../qa/types'
import { SEVERITIES, type FlagReason, type ReviewEvent, type Severity } from '../review/events'
import { journalDir, readJournalDir } from '../review/journal'
import { emptyState, mergeRecord, replay, type ReviewState } from '../review/state'
import type { SamplePlan } from './sample'

/**
 * The reviewer reasons an automatic check's problems fall under. The first is the reason a confirmed QA
 * flag counts as; all of them make a reviewer's own flag count as a human positive for the check in the
 * QA agreement (checks sharing a reason share those positives).
 */
export const CHECK_REASONS: Readonly<Record<CheckName | 'missing-text' | 'missing-row', readonly FlagReason[]>> = Object.freeze({
  numbers: ['number-entity'],
  urls: ['number-entity'],
  emails: ['number-entity'],
  entities: ['number-entity', 'terminology'],
  placeholders: ['formatting'],
  code: ['formatting'],
  markdown: ['formatting'],
  brackets: ['formatting'],
  untranslated: ['untranslated'],
  identical: ['untranslated'],
  'length-ratio': ['omission', 'addition', 'truncation'],
  truncation: ['truncation', 'omission'],
  repetition: ['addition', 'fluency'],
  'prompt-leakage': ['addition'],
  similarity: ['mistranslation', 'omission', 'addition'],
  consistency: ['terminology'],
  'missing-text': ['omission'],
  'missing-row': ['omission'],
})

export function reasonsOfCheck(check: string): readonly FlagReason[] {
  return (CHECK_REASONS as Record<string, readonly FlagReason[]>)[check] ?? ['other']
}

/**
 * The severity a confirmed QA flag counts with: the check's configured severity, error → major and
 * warning/info → minor (a reviewer who confirms a flag says it is real, not how bad it is; a reviewer who
 * thinks it worse raises their own flag). Missing texts are major.
 */
export function qaSeverityOf(check: string, config: QaConfig = DEFAULT_QA_CONFIG): Severity {
  if (check === 'missing-text' || check === 'missing-row') return 'major'
  const settings = (config as unknown as Record<string, { severity?: string } | undefined>)[check]
  return settings?.severity === 'error' ? 'major' : 'minor'
}

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s)

export interface LoadedDecisions {
  state: ReviewState
  /** Journal files read. */
  journals: string[]
  /** Lines skipped while reading (torn tails, invalid events), with their file. */
  errors: string[]
}

/**
 * Every reviewer's journal of the given shards (the translation and, if reviewers opened it, the source),
 * replayed into one state. An event found twice (same id) counts once.
 */
export async function loadDecisions(workspace: string, shardPaths: readonly string[]): Promise<LoadedDecisions> {
  const seen = new Set<string>()
  const events: ReviewEvent[] = []
  const journals: string[] = []
  const errors: string[] = []
  const dirs = new Set<string>()
  for (const shard of shardPaths) {
    const dir = journalDir(workspace, shard)
    if (dirs.has(dir)) continue
    dirs.add(dir)
    for (const [file, r] of await readJournalDir(dir)) {
      journals.push(file)
      for (const e of r.errors) errors.push(`${file}: line ${e.line}: ${e.message}`)
      for (const ev of r.events) {
        if (seen.has(ev.id)) continue
        seen.add(ev.id)
        events.push(ev)
      }
    }
  }
  return { state: replay(events, emptyState()), journals, errors }
}

export type RowStatus = 'reviewed' | 'not-reviewed' | 'unreadable'

export interface RowOutcome {
  /** Row index in the shard (from the plan). */
  index: number
  promptId: string | null
  /**
   * `reviewed`: some reviewer's verdict on the record is approve or flag (see `recordVerdict`), or an
   * approval resolution exists. `unreadable`: the sampled row did not parse when the plan was drawn.
   */
  status: RowStatus
  /** Worst severity per reason of the row's drift: open reviewer flags and confirmed QA flags. */
  drift: Partial<Record<FlagReason, Severity>>
  /** Worst severity of any drift, null when the row has none. */
  severity: Severity | null
  /** Reasons of open reviewer flags (without confirmed QA flags). */
  flagReasons: FlagReason[]
  /** Checks with a confirmed / dismissed automatic flag on the row (latest decision across reviewers). */
  confirmedChecks: string[]
  dismissedChecks: string[]
}

/**
 * One outcome per sampled row, in plan order. Only the plan's prompt ids are looked up in the state, so a
 * decision on a row outside the sample (e.g. one reviewed from the risk queue) cannot reach an estimate.
 */
export function sampleOutcomes(plan: SamplePlan, state: ReviewState, qaConfig: QaConfig = DEFAULT_QA_CONFIG): RowOutcome[] {
  const out: RowOutcome[] = []
  for (let k = 0; k < plan.indices.length; k++) {
    const index = plan.indices[k]
    const promptId = plan.promptIds[k]
    const o: RowOutcome = { index, promptId, status: 'not-reviewed', drift: {}, severity: null, flagReasons: [], confirmedChecks: [], dismissedChecks: [] }
    out.push(o)
    if (promptId === null) {
      o.status = 'unreadable'
      continue
    }
    const m = mergeRecord(state, promptId)
    const reviewed = [...m.verdicts.values()].some((v) => v !== null) || m.resolutions.approval !== undefined
    if (!reviewed) continue
    o.status = 'reviewed'
    const add = (reason: FlagReason, severity: Severity) => {
      const cur = o.drift[reason]
      if (cur === undefined || severityRank(severity) > severityRank(cur)) o.drift[reason] = severity
      if (o.severity === null || severityRank(severity) > severityRank(o.severity)) o.severity = severity
    }
    for (const f of m.flags) {
      add(f.reason, f.severity)
      if (!o.flagReasons.includes(f.reason)) o.flagReasons.push(f.reason)
    }
    for (const q of m.qa.values()) {
      const list = q.type === 'qa-confirm' ? o.confirmedChecks : o.dismissedChecks
      if (!list.includes(q.check)) list.push(q.check)
      if (q.type === 'qa-confirm') add(reasonsOfCheck(q.check)[0], qaSeverityOf(q.check, qaConfig))
    }
  }
  return out
}
