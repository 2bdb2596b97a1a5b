/**
 * Review events: the only thing a reviewer's journal holds. Everything a reviewer decided (flags, edits,
 * approvals, preference picks, resolutions of disagreements) is one of these, appended and never rewritten.
 */

export const EVENT_VERSION = 1

export const FLAG_REASONS = [
  'mistranslation',
  'omission',
  'addition',
  'untranslated',
  'truncation',
  'formatting',
  'number-entity',
  'terminology',
  'fluency',
  'other',
] as const
export type FlagReason = (typeof FLAG_REASONS)[number]

export const SEVERITIES = ['minor', 'major', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

export const PICK_VERDICTS = ['pair', 'tie', 'unusable'] as const
export type PickVerdict = (typeof PICK_VERDICTS)[number]

export const EVENT_TYPES = [
  'flag',
  'unflag',
  'qa-confirm',
  'qa-dismiss',
  'edit',
  'approve',
  'unapprove',
  'pick',
  'resolve',
] as const
export type ReviewEventType = (typeof EVENT_TYPES)[number]

export interface EventBase {
  v: 1
  /** Unique per event: reviewer, time and a counter (see `newEventId`). */
  id: string
  /** ISO 8601 time the reviewer acted. */
  ts: string
  reviewer: string
  /** Shard identity (see `shardIdentity` in journal.ts). */
  shard: string
  /** The record the event is about. */
  promptId: string
}

export interface FlagEvent extends EventBase {
  type: 'flag'
  address: string
  /** Segment index inside the text at `address`, or null/absent for the whole text. */
  segment?: number | null
  reason: FlagReason
  severity: Severity
  comment?: string
  flagId: string
}

export interface UnflagEvent extends EventBase {
  type: 'unflag'
  flagId: string
}

/** A reviewer's verdict on an automatic QA flag, identified by `flagKey`. */
export interface QaConfirmEvent extends EventBase {
  type: 'qa-confirm'
  address: string
  check: string
  flagKey: string
}

export interface QaDismissEvent extends EventBase {
  type: 'qa-dismiss'
  address: string
  check: string
  flagKey: string
}

export interface EditEvent extends EventBase {
  type: 'edit'
  address: string
  text: string
  /** The text the reviewer saw before editing (lets a merge notice concurrent edits). */
  previous: string
}

export interface ApproveEvent extends EventBase {
  type: 'approve'
}

export interface UnapproveEvent extends EventBase {
  type: 'unapprove'
}

/**
 * Completion indices. Binarized rows: 0 = chosen, 1 = rejected, so keeping the pair is
 * `{chosen: 0, rejected: 1}` and swapping it is `{chosen: 1, rejected: 0}`. Raw rows index `completions`.
 * `{chosen: null, rejected: null, verdict: 'pair'}` withdraws an earlier pick (the journal is append-only).
 */
export interface PickValue {
  chosen: number | null
  rejected: number | null
  verdict: PickVerdict
}

export interface PickEvent extends EventBase, PickValue {
  type: 'pick'
}

/** A final decision made when reviewers disagree. */
export type ResolveEvent = EventBase & { type: 'resolve' } & (
    | { field: 'approval'; value: boolean }
    | { field: 'pick'; value: PickValue }
  )

export type ReviewEvent =
  | FlagEvent
  | UnflagEvent
  | QaConfirmEvent
  | QaDismissEvent
  | EditEvent
  | ApproveEvent
  | UnapproveEvent
  | PickEvent
  | ResolveEvent

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** What the caller supplies for a new event; `newEvent` adds the envelope. */
export type ReviewEventBody = DistributiveOmit<ReviewEvent, keyof EventBase>

let counter = 0
// Distinguishes two processes of the same reviewer that start in the same millisecond.
const processTag = Math.floor(Math.random() * 36 ** 4)
  .toString(36)
  .padStart(4, '0')

/** `<reviewer>-<time base36>-<process tag>-<counter>`; unique for a reviewer across processes and restarts. */
export function newEventId(reviewer: string, now: Date = new Date()): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER
  return `${reviewer}-${now.getTime().toString(36)}-${processTag}-${counter.toString(36)}`
}

export interface EventContext {
  reviewer: string
  shard: string
}

/** Build a complete, valid event. Throws when the body is invalid (a programming error, not user data). */
export function newEvent(ctx: EventContext, promptId: string, body: ReviewEventBody, now: Date = new Date()): ReviewEvent {
  const ev = {
    v: EVENT_VERSION,
    id: newEventId(ctx.reviewer, now),
    ts: now.toISOString(),
    reviewer: ctx.reviewer,
    shard: ctx.shard,
    promptId,
    ...body,
  }
  const checked = validateEvent(ev)
  if (typeof checked === 'string') throw new Error(`invalid review event: ${checked}`)
  return checked
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
// What toISOString() writes; checked without Date.parse, which dominates replay time otherwise.
const CANONICAL_TS_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/

function validTs(ts: string): boolean {
  return CANONICAL_TS_RE.test(ts) || (ISO_RE.test(ts) && !Number.isNaN(Date.parse(ts)))
}

type Obj = Record<string, unknown>

function str(o: Obj, key: string, allowEmpty = false): string | undefined {
  const v = o[key]
  if (typeof v !== 'string') return `"${key}" must be a string`
  if (!allowEmpty && v.length === 0) return `"${key}" must not be empty`
  return undefined
}

function oneOf(o: Obj, key: string, values: readonly string[]): string | undefined {
  const v = o[key]
  if (typeof v !== 'string' || !values.includes(v)) return `"${key}" must be one of ${values.join('|')}`
  return undefined
}

function index(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0
}

function pickError(o: Obj, where: string): string | undefined {
  const verdict = oneOf(o, 'verdict', PICK_VERDICTS)
  if (verdict) return `${where}${verdict}`
  for (const k of ['chosen', 'rejected'] as const) {
    if (o[k] !== null && !index(o[k])) return `${where}"${k}" must be a completion index or null`
  }
  if (o.verdict === 'pair') {
    if ((o.chosen === null) !== (o.rejected === null)) return `${where}a "pair" pick needs both "chosen" and "rejected" (or neither, to withdraw a pick)`
    if (o.chosen !== null && o.chosen === o.rejected) return `${where}"chosen" and "rejected" must differ`
  }
  return undefined
}

/** Check a parsed JSON value; returns the typed event or a message saying what is wrong. */
export function validateEvent(value: unknown): ReviewEvent | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'event must be a JSON object'
  const o = value as Obj
  if (o.v !== EVENT_VERSION) return `unsupported event version ${JSON.stringify(o.v)} (expected ${EVENT_VERSION})`
  const baseErr = str(o, 'id') ?? str(o, 'ts') ?? str(o, 'reviewer') ?? str(o, 'shard') ?? str(o, 'promptId')
  if (baseErr) return baseErr
  if (!validTs(o.ts as string)) return `"ts" must be an ISO 8601 time, got ${JSON.stringify(o.ts)}`
  const typeErr = oneOf(o, 'type', EVENT_TYPES)
  if (typeErr) return typeErr
  const type = o.type as ReviewEventType
  let err: string | undefined
  switch (type) {
    case 'flag':
      err =
        str(o, 'address') ??
        str(o, 'flagId') ??
        oneOf(o, 'reason', FLAG_REASONS) ??
        oneOf(o, 'severity', SEVERITIES) ??
        (o.segment !== undefined && o.segment !== null && !index(o.segment) ? '"segment" must be a segment index or null' : undefined) ??
        (o.comment !== undefined ? str(o, 'comment', true) : undefined)
      break
    case 'unflag':
      err = str(o, 'flagId')
      break
    case 'qa-confirm':
    case 'qa-dismiss':
      err = str(o, 'address') ?? str(o, 'check') ?? str(o, 'flagKey')
      break
    case 'edit':
      err = str(o, 'address') ?? str(o, 'text', true) ?? str(o, 'previous', true)
      break
    case 'approve':
    case 'unapprove':
      break
    case 'pick':
      err = pickError(o, '')
      break
    case 'resolve':
      if (o.field === 'approval') {
        if (typeof o.value !== 'boolean') err = 'resolve of "approval" needs a boolean "value"'
      } else if (o.field === 'pick') {
        const v = o.value
        if (v === null || typeof v !== 'object' || Array.isArray(v)) err = 'resolve of "pick" needs a pick object as "value"'
        else err = pickError(v as Obj, 'resolve value: ')
      } else err = '"field" must be one of approval|pick'
      break
  }
  if (err) return `${type} event: ${err}`
  return o as unknown as ReviewEvent
}

/** Parse one journal line. */
export function parseEventLine(line: string): ReviewEvent | string {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (e) {
    return `not valid JSON: ${(e as Error).message}`
  }
  return validateEvent(value)
}

/** True for the pick that withdraws an earlier one (see PickValue). */
export function isPickWithdrawn(p: PickValue): boolean {
  return p.verdict === 'pair' && p.chosen === null && p.rejected === null
}

/** Stable key of a pick, used to compare two reviewers' picks. */
export function pickKey(p: PickValue): string {
  if (p.verdict !== 'pair') return p.verdict
  return `${p.chosen}>${p.rejected}`
}
