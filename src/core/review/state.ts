/**
 * Review state: events folded into per-record state. The state keeps the events themselves (the latest
 * one per flag, QA flag, address, approval and pick), so a replay allocates almost nothing per event.
 * A later `ts` replaces an earlier one and an equal `ts` applied later wins: last writer wins per
 * reviewer by time, whatever order the journals are read in.
 */
import type {
  ApproveEvent,
  EditEvent,
  FlagEvent,
  PickEvent,
  PickValue,
  QaConfirmEvent,
  QaDismissEvent,
  ResolveEvent,
  ReviewEvent,
  UnapproveEvent,
  UnflagEvent,
} from './events'
import { isPickWithdrawn, pickKey } from './events'

/**
 * A string that orders like the instant `ts` names. `toISOString()` output (what `newEvent` writes)
 * already does and is returned as is; other ISO forms (offsets, fewer digits) are normalised.
 */
export function timeKey(ts: string): string {
  if (ts.length === 24 && ts.charCodeAt(23) === 90 /* Z */ && ts.charCodeAt(10) === 84 /* T */) return ts
  const ms = Date.parse(ts)
  return Number.isNaN(ms) ? ts : new Date(ms).toISOString()
}

/** True when `a` happened at or after `b` (or there is no `b`). */
export function isLater(a: { ts: string }, b: { ts: string } | null | undefined): boolean {
  return !b || a.ts === b.ts || timeKey(a.ts) >= timeKey(b.ts)
}

export type QaDecisionEvent = QaConfirmEvent | QaDismissEvent
export type ApprovalEvent = ApproveEvent | UnapproveEvent
export type ApprovalResolution = ResolveEvent & { field: 'approval'; value: boolean }
export type PickResolution = ResolveEvent & { field: 'pick'; value: PickValue }

/** One reviewer's view of one record. */
export interface RecordState {
  promptId: string
  reviewer: string
  /** Latest flag event per flag id (see `isFlagOpen`). */
  flags: Map<string, FlagEvent>
  /** Latest unflag per flag id, also for flags this reviewer did not raise (the merge applies those). */
  unflags: Map<string, UnflagEvent>
  /** Latest QA decision per QA flag key. */
  qa: Map<string, QaDecisionEvent>
  /** Latest edit per address: its `text` is the current text. */
  edits: Map<string, EditEvent>
  approval: ApprovalEvent | null
  /** Latest pick event; may be a withdrawal (see `currentPick`). */
  pick: PickEvent | null
  /** The reviewer's latest event on this record. */
  last: ReviewEvent
}

export interface Resolutions {
  approval?: ApprovalResolution
  pick?: PickResolution
}

export interface ReviewState {
  /** reviewer → promptId → state */
  byReviewer: Map<string, Map<string, RecordState>>
  /** promptId → final decisions (any reviewer may resolve; the latest resolution wins). */
  resolutions: Map<string, Resolutions>
  eventCount: number
}

export function emptyState(): ReviewState {
  return { byReviewer: new Map(), resolutions: new Map(), eventCount: 0 }
}

function recordOf(state: ReviewState, ev: ReviewEvent): RecordState {
  let recs = state.byReviewer.get(ev.reviewer)
  if (recs === undefined) state.byReviewer.set(ev.reviewer, (recs = new Map()))
  let rec = recs.get(ev.promptId)
  if (rec === undefined) {
    rec = {
      promptId: ev.promptId,
      reviewer: ev.reviewer,
      flags: new Map(),
      unflags: new Map(),
      qa: new Map(),
      edits: new Map(),
      approval: null,
      pick: null,
      last: ev,
    }
    recs.set(ev.promptId, rec)
  }
  return rec
}

function setIfLater<K, E extends { ts: string }>(map: Map<K, E>, key: K, ev: E): void {
  if (isLater(ev, map.get(key))) map.set(key, ev)
}

/** Fold one event into the state (in place). Use for live updates after `append`. */
export function applyEvent(state: ReviewState, ev: ReviewEvent): void {
  state.eventCount++
  if (ev.type === 'resolve') {
    let res = state.resolutions.get(ev.promptId)
    if (res === undefined) state.resolutions.set(ev.promptId, (res = {}))
    if (ev.field === 'approval') {
      if (isLater(ev, res.approval)) res.approval = ev as ApprovalResolution
    } else if (isLater(ev, res.pick)) res.pick = ev as PickResolution
    return
  }
  const rec = recordOf(state, ev)
  if (isLater(ev, rec.last)) rec.last = ev
  switch (ev.type) {
    case 'flag':
      setIfLater(rec.flags, ev.flagId, ev)
      return
    case 'unflag':
      setIfLater(rec.unflags, ev.flagId, ev)
      return
    case 'qa-confirm':
    case 'qa-dismiss':
      setIfLater(rec.qa, ev.flagKey, ev)
      return
    case 'edit':
      setIfLater(rec.edits, ev.address, ev)
      return
    case 'approve':
    case 'unapprove':
      if (isLater(ev, rec.approval)) rec.approval = ev
      return
    case 'pick':
      if (isLater(ev, rec.pick)) rec.pick = ev
      return
  }
}

/** Replay events (one or several reviewers', in any order of journals) into state. */
export function replay(events: Iterable<ReviewEvent>, into: ReviewState = emptyState()): ReviewState {
  for (const ev of events) applyEvent(into, ev)
  return into
}

/** A flag is open unless an unflag of it is at least as late. */
export function isFlagOpen(flag: FlagEvent, unflag: UnflagEvent | undefined): boolean {
  return !unflag || !isLater(unflag, flag)
}

export function openFlags(rec: RecordState): FlagEvent[] {
  const out: FlagEvent[] = []
  for (const f of rec.flags.values()) if (isFlagOpen(f, rec.unflags.get(f.flagId))) out.push(f)
  return out
}

/** The reviewer's standing pick, or null when they never picked or withdrew their pick. */
export function currentPick(rec: RecordState): PickEvent | null {
  return rec.pick && !isPickWithdrawn(rec.pick) ? rec.pick : null
}

export function isApproved(rec: RecordState): boolean {
  return rec.approval?.type === 'approve'
}

/**
 * A reviewer's verdict on a record, for agreement: 'approve' when the record is approved and no open
 * flag or confirmed QA flag is newer than the approval; 'flag' when open flags or confirmed QA flags
 * remain; null when the reviewer gave neither (not reviewed).
 */
export function recordVerdict(rec: RecordState): 'approve' | 'flag' | null {
  let latestProblem: { ts: string } | null = null
  for (const f of openFlags(rec)) if (!latestProblem || isLater(f, latestProblem)) latestProblem = f
  for (const q of rec.qa.values()) {
    if (q.type === 'qa-confirm' && (!latestProblem || isLater(q, latestProblem))) latestProblem = q
  }
  if (rec.approval?.type === 'approve' && isLater(rec.approval, latestProblem)) return 'approve'
  return latestProblem ? 'flag' : null
}

// ---------------------------------------------------------------------------------------------- merge

/** All reviewers of one record, merged for display. */
export interface MergedRecord {
  promptId: string
  reviewers: string[]
  /** Open flags of every reviewer, oldest first; a flag unflagged by anyone after it was raised is closed. */
  flags: FlagEvent[]
  /** Latest QA decision per flag key across reviewers. */
  qa: Map<string, QaDecisionEvent>
  /** Current text per address: the latest edit across reviewers. */
  edits: Map<string, EditEvent>
  /** Per address, other reviewers' latest edits whose text differs from the current one (concurrent edits). */
  competingEdits: Map<string, EditEvent[]>
  verdicts: Map<string, 'approve' | 'flag' | null>
  picks: Map<string, PickEvent>
  resolutions: Resolutions
  /** Final approval: the resolution if any, else the reviewers' verdict when all who gave one agree. */
  approved: boolean | null
  /** Final pick: the resolution if any, else the common pick when all who picked agree. */
  pick: PickValue | null
  /** Reviewers disagree and no resolution was made. */
  approvalConflict: boolean
  pickConflict: boolean
}

export function mergeRecord(state: ReviewState, promptId: string): MergedRecord {
  const recs: RecordState[] = []
  for (const recsOf of state.byReviewer.values()) {
    const r = recsOf.get(promptId)
    if (r) recs.push(r)
  }
  recs.sort((a, b) => (a.reviewer < b.reviewer ? -1 : a.reviewer > b.reviewer ? 1 : 0))
  const unflags = new Map<string, UnflagEvent>()
  for (const r of recs) for (const [id, u] of r.unflags) setIfLater(unflags, id, u)

  const flags: FlagEvent[] = []
  const qa = new Map<string, QaDecisionEvent>()
  const edits = new Map<string, EditEvent>()
  const verdicts = new Map<string, 'approve' | 'flag' | null>()
  const picks = new Map<string, PickEvent>()
  for (const r of recs) {
    for (const f of r.flags.values()) if (isFlagOpen(f, unflags.get(f.flagId))) flags.push(f)
    for (const q of r.qa.values()) setIfLater(qa, q.flagKey, q)
    for (const e of r.edits.values()) setIfLater(edits, e.address, e)
    verdicts.set(r.reviewer, recordVerdict(r))
    const p = currentPick(r)
    if (p) picks.set(r.reviewer, p)
  }
  const competingEdits = new Map<string, EditEvent[]>()
  for (const r of recs) {
    for (const e of r.edits.values()) {
      const cur = edits.get(e.address)!
      if (e !== cur && e.text !== cur.text) competingEdits.set(e.address, [...(competingEdits.get(e.address) ?? []), e])
    }
  }
  flags.sort((a, b) => (timeKey(a.ts) < timeKey(b.ts) ? -1 : timeKey(a.ts) > timeKey(b.ts) ? 1 : 0))
  const resolutions = state.resolutions.get(promptId) ?? {}
  const pickResolution = resolutions.pick && !isPickWithdrawn(resolutions.pick.value) ? resolutions.pick : undefined

  const given = [...verdicts.values()].filter((v): v is 'approve' | 'flag' => v !== null)
  const approvalAgree = given.length > 0 && given.every((v) => v === given[0])
  const approvalConflict = !approvalAgree && given.length > 0 && !resolutions.approval
  const approved = resolutions.approval ? resolutions.approval.value : approvalAgree ? given[0] === 'approve' : null

  const pickList = [...picks.values()]
  const pickAgree = pickList.length > 0 && pickList.every((p) => pickKey(p) === pickKey(pickList[0]))
  const pickConflict = !pickAgree && pickList.length > 0 && !pickResolution
  let pick: PickValue | null = null
  if (pickResolution) pick = pickResolution.value
  else if (pickAgree) pick = { chosen: pickList[0].chosen, rejected: pickList[0].rejected, verdict: pickList[0].verdict }

  return {
    promptId,
    reviewers: recs.map((r) => r.reviewer),
    flags,
    qa,
    edits,
    competingEdits,
    verdicts,
    picks,
    resolutions,
    approved,
    pick,
    approvalConflict,
    pickConflict,
  }
}

/** Every record any reviewer touched or resolved, merged. */
export function mergeAll(state: ReviewState): Map<string, MergedRecord> {
  const ids = new Set<string>()
  for (const recs of state.byReviewer.values()) for (const id of recs.keys()) ids.add(id)
  for (const id of state.resolutions.keys()) ids.add(id)
  const out = new Map<string, MergedRecord>()
  for (const id of ids) out.set(id, mergeRecord(state, id))
  return out
}
