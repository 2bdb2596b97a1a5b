/**
 * Shares of drifting rows in a shard, estimated from the reviewed rows of its sample plan, with Wilson
 * score intervals; and the acceptance verdict a team sets a threshold for.
 *
 * A row "has drift of reason R" when it has an open reviewer flag with reason R or a confirmed automatic
 * flag whose check maps to R (see CHECK_REASONS); "drift at or above severity S" when any of those is at
 * least S. Unreviewed sampled rows are left out (n = reviewed rows): the estimate assumes reviewers did
 * not pick which sampled rows to review by how they look. Walk the plan in `reviewOrder` to keep it so.
 */
import { FLAG_REASONS, SEVERITIES, type FlagReason, type Severity } from '../review/events'
import { severityRank, type RowOutcome } from './decisions'
import type { SamplePlan } from './sample'
import { checkConfidence, wilson, type Interval } from './stats'

export interface ShareEstimate extends Interval {
  /** The interval in rows of the whole shard (share × population, rounded outward). */
  shardRows: { lower: number; point: number | null; upper: number }
}

export interface DriftEstimate {
  shard: string
  seed: SamplePlan['seed']
  population: number
  sampled: number
  reviewed: number
  notReviewed: number
  unreadable: number
  confidence: number
  /** Whether intervals use the finite population correction (sampling without replacement from N rows). */
  fpc: boolean
  /** Rows with any drift. */
  any: ShareEstimate
  /** Rows with drift at or above each severity (`minor` equals `any`). */
  atLeast: Record<Severity, ShareEstimate>
  /** Rows with drift of each reason (a row may count under several). */
  byReason: Record<FlagReason, ShareEstimate>
  /** Per sampled row; `acceptance` counts from these. */
  rows: RowOutcome[]
  warnings: string[]
}

export interface EstimateOptions {
  /** Two-sided confidence of the intervals, default 0.95. */
  confidence?: number
  /** Finite population correction, default true (the plan knows N exactly and sampled without replacement). */
  fpc?: boolean
}

function share(count: number, n: number, population: number, confidence: number, fpc: boolean): ShareEstimate {
  const iv = wilson(count, n, { confidence, population: fpc ? population : undefined })
  return {
    ...iv,
    shardRows: {
      lower: Math.floor(iv.lower * population + 1e-9),
      point: iv.share === null ? null : Math.round(iv.share * population),
      upper: Math.ceil(iv.upper * population - 1e-9),
    },
  }
}

const atLeastSeverity = (o: RowOutcome, s: Severity) => o.severity !== null && severityRank(o.severity) >= severityRank(s)
const hasReason = (o: RowOutcome, r: FlagReason, s: Severity = 'minor') => {
  const sev = o.drift[r]
  return sev !== undefined && severityRank(sev) >= severityRank(s)
}

export function estimateDrift(plan: SamplePlan, rows: RowOutcome[], opts: EstimateOptions = {}): DriftEstimate {
  const confidence = opts.confidence ?? 0.95
  checkConfidence(confidence)
  const fpc = opts.fpc ?? true
  const reviewed = rows.filter((r) => r.status === 'reviewed')
  const n = reviewed.length
  const N = plan.population
  const count = (pred: (o: RowOutcome) => boolean) => reviewed.reduce((c, o) => c + (pred(o) ? 1 : 0), 0)
  const atLeast = {} as Record<Severity, ShareEstimate>
  for (const s of SEVERITIES) atLeast[s] = share(count((o) => atLeastSeverity(o, s)), n, N, confidence, fpc)
  const byReason = {} as Record<FlagReason, ShareEstimate>
  for (const r of FLAG_REASONS) byReason[r] = share(count((o) => hasReason(o, r)), n, N, confidence, fpc)
  const unreadable = rows.filter((r) => r.status === 'unreadable').length
  const warnings: string[] = []
  if (n === 0) warnings.push('no sampled row has been reviewed yet: every interval is [0, 1]')
  else if (n < rows.length - unreadable) warnings.push(`${rows.length - unreadable - n} of ${rows.length - unreadable} sampled rows are not reviewed yet; the estimate uses the ${n} reviewed`)
  if (unreadable) warnings.push(`${unreadable} sampled rows could not be read when the plan was drawn and are left out`)
  return {
    shard: plan.shard,
    seed: plan.seed,
    population: N,
    sampled: rows.length,
    reviewed: n,
    notReviewed: rows.length - n - unreadable,
    unreadable,
    confidence,
    fpc,
    any: share(count((o) => o.severity !== null), n, N, confidence, fpc),
    atLeast,
    byReason,
    rows,
    warnings,
  }
}

export type Verdict = 'accept' | 'reject' | 'undecided'

export interface AcceptanceCriterion {
  /** Count rows with drift at or above this severity, default `major`. */
  severity?: Severity
  /** Only drift of this reason (default: any reason). */
  reason?: FlagReason
  /** The largest acceptable share of such rows in the shard, e.g. 0.05. */
  maxShare?: number
  /** Two-sided confidence of the Wilson interval the verdict reads, default 0.95. */
  confidence?: number
}

export interface Acceptance {
  verdict: Verdict
  severity: Severity
  reason?: FlagReason
  maxShare: number
  confidence: number
  fpc: boolean
  /** Reviewed sampled rows with such drift, of `reviewed`. */
  count: number
  reviewed: number
  sampled: number
  population: number
  share: number | null
  lower: number
  upper: number
  /** One sentence with the numbers behind the verdict. */
  explanation: string
}

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toString()}%`

/**
 * `accept` when the Wilson interval's upper bound is below `maxShare`, `reject` when its lower bound is at
 * or above it, else `undecided` (review more sampled rows). With a two-sided interval at confidence c each
 * wrong verdict has probability at most (1 − c)/2 at the boundary share.
 */
export function acceptance(est: DriftEstimate, criterion: AcceptanceCriterion = {}): Acceptance {
  const severity = criterion.severity ?? 'major'
  const maxShare = criterion.maxShare ?? 0.05
  const confidence = criterion.confidence ?? est.confidence
  checkConfidence(confidence)
  if (!(maxShare > 0 && maxShare <= 1)) throw new RangeError(`maxShare must be in (0, 1], got ${maxShare}`)
  const reviewed = est.rows.filter((o) => o.status === 'reviewed')
  const pred = criterion.reason ? (o: RowOutcome) => hasReason(o, criterion.reason!, severity) : (o: RowOutcome) => atLeastSeverity(o, severity)
  const count = reviewed.reduce((c, o) => c + (pred(o) ? 1 : 0), 0)
  const iv = wilson(count, reviewed.length, { confidence, population: est.fpc ? est.population : undefined })
  const verdict: Verdict = iv.upper < maxShare ? 'accept' : iv.lower >= maxShare ? 'reject' : 'undecided'
  const what = `${severity}-or-worse${criterion.reason ? ` ${criterion.reason}` : ''} drift`
  const level = `${pct(confidence)} Wilson interval [${pct(iv.lower)}, ${pct(iv.upper)}]`
  const basis = `${count} of ${reviewed.length} reviewed sampled rows (${est.sampled} sampled of ${est.population})`
  const explanation =
    verdict === 'accept'
      ? `accept: ${what} stays below ${pct(maxShare)} (${level}; ${basis})`
      : verdict === 'reject'
        ? `reject: ${what} is at least ${pct(maxShare)} (${level}; ${basis})`
        : `undecided: the ${level} for ${what} contains ${pct(maxShare)}; review more sampled rows (${basis})`
  const out: Acceptance = {
    verdict,
    severity,
    maxShare,
    confidence,
    fpc: est.fpc,
    count,
    reviewed: reviewed.length,
    sampled: est.sampled,
    population: est.population,
    share: iv.share,
    lower: iv.lower,
    upper: iv.upper,
    explanation,
  }
  if (criterion.reason) out.reason = criterion.reason
  return out
}
