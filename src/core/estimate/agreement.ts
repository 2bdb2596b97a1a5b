/**
 * How well automatic QA agrees with reviewers on the sampled, reviewed rows, per check, so teams can tune
 * check thresholds against human judgement instead of against the rows a risk queue happened to surface.
 *
 * Unit: one reviewed sampled row and one check.
 * - automatic positive: the QA engine (current config) raises at least one flag of the check on the row,
 *   whatever a reviewer later said about it (a dismissed flag is a false positive, not a non-flag);
 * - human positive: a reviewer confirmed a flag of the check on the row, or the row has an open reviewer
 *   flag whose reason is one the check's problems fall under (CHECK_REASONS). Dismissing a flag, or
 *   approving the row without such a flag, makes it a human negative.
 * precision = TP / (TP + FP), recall = TP / (TP + FN), null when undefined; Wilson intervals at the
 * estimate's confidence without population correction (they describe the checks, not the shard).
 * `any`: any QA flag against any drift (open flag or confirmed QA flag of any reason).
 * Checks that share a reason share its human positives, so their recall is measured against the reason.
 */
import { qaRecord } from '../qa/engine'
import type { QaConfig } from '../qa/config'
import { CHECK_NAMES, type QaRuntime } from '../qa/types'
import { shardKind } from '../records/open'
import { hasOriginalFields, indexByPromptId, pairUnits, pairUnitsFromOriginal } from '../records/pairing'
import { rowPromptId } from '../records/schema'
import type { Shard } from '../records/types'
import { reasonsOfCheck, type RowOutcome } from './decisions'
import type { SamplePlan } from './sample'
import { wilson, type Interval } from './stats'

export interface CheckAgreement {
  check: string
  rows: number
  tp: number
  fp: number
  fn: number
  tn: number
  precision: number | null
  recall: number | null
  precisionInterval: Interval
  recallInterval: Interval
  /** Flag-level: sampled reviewed rows where a reviewer confirmed / dismissed a flag of this check. */
  confirmedRows: number
  dismissedRows: number
}

export interface QaAgreement {
  /** Reviewed sampled rows QA ran on. */
  rows: number
  any: CheckAgreement
  /** Checks with at least one automatic or human positive, by name. */
  checks: CheckAgreement[]
}

export type AutoFlags = ReadonlyMap<number, readonly { check: string }[]>

function tally(check: string, pairs: [boolean, boolean][], confidence: number, confirmedRows = 0, dismissedRows = 0): CheckAgreement {
  let tp = 0
  let fp = 0
  let fn = 0
  let tn = 0
  for (const [auto, human] of pairs) {
    if (auto && human) tp++
    else if (auto) fp++
    else if (human) fn++
    else tn++
  }
  return {
    check,
    rows: pairs.length,
    tp,
    fp,
    fn,
    tn,
    precision: tp + fp ? tp / (tp + fp) : null,
    recall: tp + fn ? tp / (tp + fn) : null,
    precisionInterval: wilson(tp, tp + fp, { confidence }),
    recallInterval: wilson(tp, tp + fn, { confidence }),
    confirmedRows,
    dismissedRows,
  }
}

/** `auto` maps a sampled row index to the QA flags of that row; rows without an entry are skipped. */
export function qaAgreement(rows: readonly RowOutcome[], auto: AutoFlags, opts: { confidence?: number } = {}): QaAgreement {
  const confidence = opts.confidence ?? 0.95
  const judged = rows.filter((o) => o.status === 'reviewed' && auto.has(o.index))
  const checks = new Set<string>()
  for (const o of judged) {
    for (const f of auto.get(o.index)!) checks.add(f.check)
    for (const c of o.confirmedChecks) checks.add(c)
  }
  // A check that never fired can still have missed problems of its main reason: list it with its misses.
  // Similarity only runs with embeddings, so it is listed only when it flagged something.
  const reasons = new Set(judged.flatMap((o) => o.flagReasons))
  for (const c of [...CHECK_NAMES, 'missing-text']) if (c !== 'similarity' && reasons.has(reasonsOfCheck(c)[0])) checks.add(c)
  const humanFor = (o: RowOutcome, check: string) => o.confirmedChecks.includes(check) || reasonsOfCheck(check).some((r) => o.flagReasons.includes(r))
  const out: CheckAgreement[] = []
  for (const check of [...checks].sort()) {
    const pairs = judged.map((o): [boolean, boolean] => [auto.get(o.index)!.some((f) => f.check === check), humanFor(o, check)])
    out.push(tally(check, pairs, confidence, judged.filter((o) => o.confirmedChecks.includes(check)).length, judged.filter((o) => o.dismissedChecks.includes(check)).length))
  }
  const any = tally(
    'any',
    judged.map((o) => [auto.get(o.index)!.length > 0, o.severity !== null]),
    confidence,
  )
  return { rows: judged.length, any, checks: out }
}

/**
 * The automatic flags of the plan's rows only: each sampled row is read by index, paired with its source
 * (by prompt_id from `source`, or from the row's `original` fields) and run through `qaRecord`. Texts on
 * one side only count as `missing-text` flags. Null when the shard has no source to compare with.
 */
export async function sampledQaFlags(
  plan: SamplePlan,
  target: Shard,
  source: Shard | undefined,
  config: QaConfig,
  runtime: QaRuntime = {},
): Promise<Map<number, { check: string; address: string; severity: string; message: string }[]> | null> {
  const kind = await shardKind(target)
  if (!kind) return null
  let sourceIndex: Map<string, number> | undefined
  if (source) sourceIndex = (await indexByPromptId(source, kind)).byId
  const out = new Map<number, { check: string; address: string; severity: string; message: string }[]>()
  let checkedOriginal = false
  for (const index of plan.indices) {
    const t = await target.read(index)
    if (!t.row) continue
    let pairing
    if (sourceIndex) {
      const id = rowPromptId(t.row, kind)
      const si = id === undefined ? undefined : sourceIndex.get(id)
      if (si === undefined) continue
      const s = await source!.read(si)
      if (!s.row) continue
      pairing = pairUnits(s.row, t.row, kind)
    } else {
      if (!checkedOriginal && !hasOriginalFields(t.row, kind)) return null
      checkedOriginal = true
      pairing = pairUnitsFromOriginal(t.row, kind)
    }
    const flags = qaRecord(pairing.units, config, runtime).map((f) => ({ check: f.check as string, address: f.address, severity: f.severity as string, message: f.message }))
    for (const m of pairing.missing) flags.push({ check: 'missing-text', address: m.address, severity: 'error', message: `text at ${m.address} is on the ${m.side} side only` })
    out.set(index, flags)
  }
  return out
}
