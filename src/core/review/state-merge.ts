/**
 * Combining states folded separately (one per journal), copying one, and listing the events one holds.
 */
import type { ReviewEvent } from './events'
import { isLater, type RecordState, type Resolutions, type ReviewState } from './state'

function mergeMap<E extends { ts: string }>(into: Map<string, E>, from: Map<string, E>): void {
  for (const [k, e] of from) {
    const cur = into.get(k)
    if (cur === undefined || isLater(e, cur)) into.set(k, e)
  }
}

function mergeRecordState(into: RecordState, from: RecordState): void {
  mergeMap(into.flags, from.flags)
  mergeMap(into.unflags, from.unflags)
  mergeMap(into.qa, from.qa)
  mergeMap(into.edits, from.edits)
  if (from.approval && isLater(from.approval, into.approval)) into.approval = from.approval
  if (from.pick && isLater(from.pick, into.pick)) into.pick = from.pick
  if (isLater(from.last, into.last)) into.last = from.last
}

/**
 * Fold `from` into `into` as if `from`'s events were applied after `into`'s: every slot keeps "the last
 * event with the greatest time" (so `from` wins ties), and keys new to a Map come after the old ones in
 * `from`'s order, which is the order applying its events would have added them in. `from`'s Maps and
 * records are taken over, not copied: do not use `from` afterwards.
 */
export function mergeState(into: ReviewState, from: ReviewState): ReviewState {
  into.eventCount += from.eventCount
  for (const [reviewer, recs] of from.byReviewer) {
    const mine = into.byReviewer.get(reviewer)
    if (mine === undefined) {
      into.byReviewer.set(reviewer, recs)
      continue
    }
    for (const [promptId, rec] of recs) {
      const cur = mine.get(promptId)
      if (cur === undefined) mine.set(promptId, rec)
      else mergeRecordState(cur, rec)
    }
  }
  for (const [promptId, res] of from.resolutions) {
    const cur = into.resolutions.get(promptId)
    if (cur === undefined) {
      into.resolutions.set(promptId, res)
      continue
    }
    if (res.approval && isLater(res.approval, cur.approval)) cur.approval = res.approval
    if (res.pick && isLater(res.pick, cur.pick)) cur.pick = res.pick
  }
  return into
}

/**
 * The events a state holds, each once, ordered so that applying them to an empty state rebuilds it with
 * every Map's keys in the same order: reviewer by reviewer, record by record, each record's Maps in
 * order, then the resolutions. The rebuilt `eventCount` is smaller, and where several events of a record
 * share its latest time, `last` may name another of them.
 */
export function stateEvents(state: ReviewState): ReviewEvent[] {
  const out: ReviewEvent[] = []
  const seen = new Set<ReviewEvent>()
  const add = (e: ReviewEvent | null | undefined) => {
    if (e && !seen.has(e)) {
      seen.add(e)
      out.push(e)
    }
  }
  for (const recs of state.byReviewer.values()) {
    for (const rec of recs.values()) {
      // The record's first event must create it with its own promptId and reviewer; any of them does.
      for (const m of [rec.flags, rec.unflags, rec.qa, rec.edits] as Map<string, ReviewEvent>[]) for (const e of m.values()) add(e)
      add(rec.approval)
      add(rec.pick)
      add(rec.last)
    }
  }
  for (const res of state.resolutions.values()) for (const e of Object.values(res)) add(e)
  return out
}

/** A copy that shares the (immutable) events but none of the Maps, records or resolutions. */
export function cloneState(state: ReviewState): ReviewState {
  const byReviewer = new Map<string, Map<string, RecordState>>()
  for (const [reviewer, recs] of state.byReviewer) {
    const copy = new Map<string, RecordState>()
    for (const [promptId, rec] of recs) copy.set(promptId, { ...rec, flags: new Map(rec.flags), unflags: new Map(rec.unflags), qa: new Map(rec.qa), edits: new Map(rec.edits) })
    byReviewer.set(reviewer, copy)
  }
  const resolutions = new Map<string, Resolutions>()
  for (const [promptId, res] of state.resolutions) resolutions.set(promptId, { ...res })
  return { byReviewer, resolutions, eventCount: state.eventCount }
}
