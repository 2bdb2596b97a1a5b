/**
 * Agreement between reviewers of one shard: per-record conflicts and pairwise Cohen's kappa, for the
 * approve/flag verdict and for preference picks. Resolve events turn a conflict into a final decision.
 */
import type { PickValue, ResolveEvent } from './events'
import { isPickWithdrawn, pickKey } from './events'
import { currentPick, recordVerdict, type ReviewState } from './state'

export interface KappaResult {
  /** Records both reviewers judged. */
  n: number
  agreements: number
  /** Observed agreement. */
  po: number
  /** Agreement expected by chance from each reviewer's own category rates. */
  pe: number
  /** (po - pe) / (1 - pe); null when n = 0 or pe = 1 (both used one and the same category only). */
  kappa: number | null
}

/** Cohen's kappa over paired labels (a[i] and b[i] label the same item). */
export function cohensKappa(a: readonly string[], b: readonly string[]): KappaResult {
  if (a.length !== b.length) throw new Error('cohensKappa: label lists differ in length')
  const n = a.length
  if (n === 0) return { n, agreements: 0, po: 0, pe: 0, kappa: null }
  const countA = new Map<string, number>()
  const countB = new Map<string, number>()
  let agreements = 0
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agreements++
    countA.set(a[i], (countA.get(a[i]) ?? 0) + 1)
    countB.set(b[i], (countB.get(b[i]) ?? 0) + 1)
  }
  let pe = 0
  for (const [c, ca] of countA) pe += (ca / n) * ((countB.get(c) ?? 0) / n)
  const po = agreements / n
  const kappa = 1 - pe < 1e-12 ? null : (po - pe) / (1 - pe)
  return { n, agreements, po, pe, kappa }
}

export interface Conflict {
  promptId: string
  field: 'approval' | 'pick'
  /** reviewer → verdict ('approve' | 'flag') or pick key (e.g. '1>0', 'tie', 'unusable'). */
  byReviewer: Record<string, string>
  /** The final decision, when someone resolved the conflict. */
  resolution?: ResolveEvent
}

export interface PairAgreement {
  a: string
  b: string
  approval: KappaResult
  pick: KappaResult
}

export interface AgreementReport {
  reviewers: string[]
  /** Records at least two reviewers judged (on approval or pick). */
  sharedRecords: number
  conflicts: Conflict[]
  /** Conflicts without a resolution. */
  openConflicts: number
  pairs: PairAgreement[]
}

function pickLabel(p: PickValue): string {
  return pickKey(p)
}

export function agreement(state: ReviewState): AgreementReport {
  const reviewers = [...state.byReviewer.keys()].sort()
  const verdicts = new Map<string, Map<string, string>>()
  const picks = new Map<string, Map<string, string>>()
  for (const r of reviewers) {
    const v = new Map<string, string>()
    const p = new Map<string, string>()
    for (const [id, rec] of state.byReviewer.get(r)!) {
      const verdict = recordVerdict(rec)
      if (verdict) v.set(id, verdict)
      const pick = currentPick(rec)
      if (pick) p.set(id, pickLabel(pick))
    }
    verdicts.set(r, v)
    picks.set(r, p)
  }

  const ids = new Set<string>()
  for (const recs of state.byReviewer.values()) for (const id of recs.keys()) ids.add(id)
  const conflicts: Conflict[] = []
  let sharedRecords = 0
  for (const id of [...ids].sort()) {
    let judged = 0
    for (const field of ['approval', 'pick'] as const) {
      const source = field === 'approval' ? verdicts : picks
      const byReviewer: Record<string, string> = {}
      for (const r of reviewers) {
        const label = source.get(r)!.get(id)
        if (label !== undefined) byReviewer[r] = label
      }
      const labels = Object.values(byReviewer)
      judged = Math.max(judged, labels.length)
      if (labels.length < 2 || labels.every((l) => l === labels[0])) continue
      const c: Conflict = { promptId: id, field, byReviewer }
      const res = state.resolutions.get(id)?.[field]
      // A withdrawn pick resolution leaves the conflict open again.
      if (res && !(res.field === 'pick' && isPickWithdrawn(res.value))) c.resolution = res
      conflicts.push(c)
    }
    if (judged >= 2) sharedRecords++
  }

  const pairs: PairAgreement[] = []
  for (let i = 0; i < reviewers.length; i++) {
    for (let j = i + 1; j < reviewers.length; j++) {
      const a = reviewers[i]
      const b = reviewers[j]
      pairs.push({ a, b, approval: pairKappa(verdicts.get(a)!, verdicts.get(b)!), pick: pairKappa(picks.get(a)!, picks.get(b)!) })
    }
  }
  return { reviewers, sharedRecords, conflicts, openConflicts: conflicts.filter((c) => !c.resolution).length, pairs }
}

function pairKappa(a: Map<string, string>, b: Map<string, string>): KappaResult {
  const la: string[] = []
  const lb: string[] = []
  for (const [id, label] of a) {
    const other = b.get(id)
    if (other !== undefined) {
      la.push(label)
      lb.push(other)
    }
  }
  return cohensKappa(la, lb)
}
