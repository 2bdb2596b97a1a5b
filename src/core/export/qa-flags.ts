/**
 * Automatic QA flags at export time. Two policies:
 * - `not-dismissed` (default): the QA engine runs over each record's current texts (corrections applied,
 *   the workspace's `phoenix-qa.json`, the same language id as the editor) and every flag a reviewer did
 *   not dismiss counts. A confirmed flag whose text no longer triggers it (it was corrected) is resolved.
 *   With a severity limit, the engine runs only the checks whose flags can reach it (and those that explain
 *   other flags away), and only flags at or above the limit are kept: the same records are excluded as with
 *   every check, at a fraction of the cost (the default limit, critical, leaves out the warning checks).
 * - `confirmed`: only flags a reviewer confirmed count (no engine run; much faster on large shards).
 * Without English texts (a translated shard alone) the engine cannot run and `confirmed` applies.
 */
import { configAtLeast, qaRecord } from '../qa/engine'
import type { QaConfig } from '../qa/config'
import { loadQaConfig, qaFlagKey, qaRuntime } from '../qa/scan'
import type { QaRuntime, Severity as QaSeverity } from '../qa/types'
import type { UnitPair } from '../records/pairing'
import type { Severity } from '../review/events'
import type { MergedRecord } from '../review/state'

export type QaFlagMode = 'not-dismissed' | 'confirmed'

/** QA severities in review terms: an error is as bad as a critical human flag. */
const QA_TO_REVIEW: Record<string, Severity> = { info: 'minor', warning: 'major', error: 'critical' }
const RANK: Record<Severity, number> = { minor: 1, major: 2, critical: 3 }

export interface QaGate {
  mode: QaFlagMode
  /** The QA config in force (the workspace's phoenix-qa.json over the defaults). */
  config: QaConfig
  /** What the engine runs: `config` without the checks whose flags cannot reach the severity limit. */
  engineConfig: QaConfig
  configFile?: string
  languageId?: string
  notes: string[]
  /** Records the engine ran on, flags it raised, of which dismissed by a reviewer. */
  stats: { records: number; flags: number; dismissed: number }
  /** Rank (1 minor … 3 critical) of the worst unresolved automatic flag; 0 when none. */
  worst(rec: MergedRecord | undefined, units: UnitPair[] | undefined): number
  /** The engine's flags on a record's texts (what the QA cache keeps). */
  flagsOf(units: readonly UnitPair[]): QaHit[]
  /** `worst` from flags already known; null: the engine could not run (no paired texts). */
  judge(rec: MergedRecord | undefined, hits: readonly QaHit[] | null): number
}

/** An automatic flag as the gate weighs it: its key (to find a dismissal) and its rank. */
export type QaHit = [key: string, rank: number]

/**
 * The engine's flags on a record's texts as the gate weighs them, those below `limit` left out; also run
 * by the export's QA worker, so both give the same hits.
 */
export function qaHits(units: readonly UnitPair[], engineConfig: QaConfig, runtime: QaRuntime, limit: Severity | undefined): QaHit[] {
  const minRank = limit ? RANK[limit] : 0
  const hits: QaHit[] = []
  for (const f of qaRecord(units, engineConfig, runtime)) {
    const rank = RANK[QA_TO_REVIEW[f.severity] ?? 'major']
    if (rank >= minRank) hits.push([qaFlagKey(f), rank])
  }
  return hits
}

/** The QA severity that maps to a review severity. */
const REVIEW_TO_QA = Object.fromEntries(Object.entries(QA_TO_REVIEW).map(([qa, review]) => [review, qa])) as Record<Severity, QaSeverity>

/** `limit`: the review severity from which a record is excluded; without it every flag is kept. */
export async function openQaGate(mode: QaFlagMode, workspace: string, limit?: Severity): Promise<QaGate> {
  // The config also gives confirmed flags their severity, so it is read in both modes.
  const loaded = loadQaConfig({ workspace })
  const config: QaConfig = loaded.config
  const configFile = loaded.file
  const notes: string[] = [...loaded.errors]
  let runtime: QaRuntime = {}
  if (mode === 'not-dismissed') {
    const rt = await qaRuntime()
    runtime = rt.runtime
    if (rt.note) notes.push(rt.note)
  }
  const severityOf = (check: string): Severity => {
    const s = (config as unknown as Record<string, { severity?: string } | undefined>)[check]?.severity
    return QA_TO_REVIEW[s ?? 'warning'] ?? 'major'
  }
  const stats = { records: 0, flags: 0, dismissed: 0 }
  const engineConfig = limit ? configAtLeast(config, REVIEW_TO_QA[limit]) : config
  const flagsOf = (units: readonly UnitPair[]): QaHit[] => qaHits(units, engineConfig, runtime, limit)
  const judge = (rec: MergedRecord | undefined, hits: readonly QaHit[] | null): number => {
    let worst = 0
    if (mode === 'not-dismissed' && hits) {
      stats.records++
      for (const [key, rank] of hits) {
        stats.flags++
        if (rec?.qa.get(key)?.type === 'qa-dismiss') {
          stats.dismissed++
          continue
        }
        worst = Math.max(worst, rank)
      }
      return worst
    }
    if (rec) for (const q of rec.qa.values()) if (q.type === 'qa-confirm') worst = Math.max(worst, RANK[severityOf(q.check)])
    return worst
  }
  return {
    mode,
    config,
    engineConfig,
    configFile,
    languageId: runtime.languageId?.name,
    notes,
    stats,
    flagsOf,
    judge,
    worst: (rec, units) => judge(rec, mode === 'not-dismissed' && units?.length ? flagsOf(units) : null),
  }
}
