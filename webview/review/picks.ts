import type { PickVerdict, RecordView } from '../../src/protocol/review'

export interface PickPair {
  chosen: number | null
  rejected: number | null
}
export interface PickValue extends PickPair {
  verdict: PickVerdict
}
export type PickAction = { kind: 'chosen' | 'rejected'; n: number } | { kind: 'swap' } | { kind: 'tie' } | { kind: 'unusable' }

export interface PickOutcome {
  /** The pick to send, when the action completes one. */
  send?: PickValue
  /** A half-made pick on rows with more than two completions (chosen without rejected, or the reverse). */
  pending: PickPair | null
  /** Why nothing happened. */
  error?: string
}

/**
 * The pair the reviewer sees now: their pick, else the dataset's own order on binarized rows
 * (0 = chosen, 1 = rejected), so that "swap" means {chosen: 1, rejected: 0}.
 */
export function currentPair(record: RecordView, pending: PickPair | null): PickPair {
  if (pending) return pending
  if (record.pick?.verdict === 'pair') return { chosen: record.pick.chosen, rejected: record.pick.rejected }
  if (record.completions.length === 2) return { chosen: record.completions[0].index, rejected: record.completions[1].index }
  return { chosen: null, rejected: null }
}

export function applyPick(record: RecordView, pending: PickPair | null, action: PickAction): PickOutcome {
  const comps = record.completions
  if (comps.length < 2) return { pending, error: 'This record has no completions to pick from.' }
  switch (action.kind) {
    case 'tie':
    case 'unusable':
      return { send: { chosen: null, rejected: null, verdict: action.kind }, pending: null }
    case 'swap': {
      const cur = currentPair(record, pending)
      if (cur.chosen === null || cur.rejected === null) return { pending, error: 'Pick a chosen and a rejected completion before swapping.' }
      return { send: { chosen: cur.rejected, rejected: cur.chosen, verdict: 'pair' }, pending: null }
    }
    case 'chosen':
    case 'rejected': {
      const c = comps[action.n - 1]
      if (!c) return { pending, error: `There is no completion ${action.n} (this record has ${comps.length}).` }
      const other = action.kind === 'chosen' ? 'rejected' : 'chosen'
      let next: PickPair
      if (comps.length === 2) {
        // Two completions: naming one names the other.
        next = { [action.kind]: c.index, [other]: comps.find((x) => x !== c)!.index } as unknown as PickPair
      } else {
        const cur = currentPair(record, pending)
        next = { ...cur, [action.kind]: c.index }
        if (next[other] === c.index) next[other] = null
      }
      if (next.chosen === null || next.rejected === null) return { pending: next }
      return { send: { ...next, verdict: 'pair' }, pending: null }
    }
  }
}
