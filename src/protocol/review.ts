/**
 * Messages between the extension host and the review webview. Both sides import this module and
 * validate what arrives: the webview is a separate security context and its messages are untrusted.
 * Dataset text travels as plain strings and the webview renders it only as text.
 */
import { FLAG_REASONS, PICK_VERDICTS, SEVERITIES, type FlagReason, type PickVerdict, type Severity } from '../core/review/events'

export { FLAG_REASONS, PICK_VERDICTS, SEVERITIES }
export type { FlagReason, PickVerdict, Severity }

export interface ShardInfo {
  path: string
  name: string
  kind: string | null
  format: 'jsonl' | 'parquet'
  rowCount: number
  /** 'paired': English source + German target; 'single': one shard only (nothing to compare yet). */
  mode: 'paired' | 'single'
  /** The translation shard's file name in mode (a), or the same file in mode (b). */
  pairedWith?: string
  reviewer: string
  /** Rows on one side only, reported by the pairing (never silently dropped). */
  unpaired?: number
}

/** One row of the record list. */
export interface RowSummary {
  index: number
  promptId?: string
  /** First translatable text of the row, cut for the list. */
  preview?: string
  units?: number
  /** Translation length / source length in characters over the whole record (paired mode). */
  lengthRatio?: number
  /** Open flags: human and automatic (not dismissed). */
  flags?: number
  qaFlags?: number
  approved?: boolean
  reviewed?: boolean
  /** Drift risk score (risk mode) and what it is made of, e.g. "2 errors from numbers (+6)". */
  risk?: number
  riskWhy?: string
  error?: string
}

export interface FlagView {
  id: string
  address: string
  segment?: number | null
  reason: FlagReason
  severity: Severity
  comment?: string
  reviewer: string
  automatic: false
}

export interface QaFlagView {
  /** Stable key of an automatic flag (address + check + span), used to confirm or dismiss it. */
  key: string
  address: string
  check: string
  severity: 'error' | 'warning' | 'info'
  message: string
  automatic: true
  status: 'open' | 'confirmed' | 'dismissed'
  /** The segment of its unit that the flagged text falls in; absent: about the whole unit. */
  segment?: number
}

export interface SegmentView {
  source: string
  target: string
}

export interface UnitView {
  address: string
  role?: string
  source: string
  /** Current translation: the reviewer's edit if there is one. */
  target: string
  /** The machine translation as it is in the shard, when an edit changed it (for the diff). */
  machine?: string
  /** Source and target aligned by paragraph / line for side-by-side reading. */
  segments: SegmentView[]
}

export interface CompletionView {
  /** Index used by picks: binarized 0 = chosen, 1 = rejected; raw = completions index. */
  index: number
  label: string
  model?: string
  score?: number
  /** Address of the response text (units hold its text and translation). */
  address: string
}

export interface PickView {
  chosen: number | null
  rejected: number | null
  verdict: PickVerdict
  reviewer: string
  ts: string
}

export interface RecordView {
  index: number
  promptId: string
  kind: string
  units: UnitView[]
  completions: CompletionView[]
  flags: FlagView[]
  qaFlags: QaFlagView[]
  approved: boolean
  pick?: PickView
  error?: string
}

/** The order the list follows: the shard's own, drift risk (highest first), or the review sample's order. */
export type ReviewMode = 'all' | 'risk' | 'sample'

export interface Filter {
  mode?: ReviewMode
  flag?: 'any' | 'none' | FlagReason | 'automatic'
  reviewed?: 'reviewed' | 'unreviewed'
  reviewer?: string
  text?: string
  ratioMin?: number
  ratioMax?: number
}

export interface FilterCounts {
  total: number
  matching: number
  flagged: number
  automatic: number
  reviewed: number
  unreviewed: number
  byReason: Partial<Record<FlagReason, number>>
  reviewers: Record<string, number>
  mode: ReviewMode
  /** The review sample, when one was drawn: its size and how many of its rows are reviewed. */
  sample?: { size: number; reviewed: number; margin: number; confidence: number }
}

export interface ShareView {
  share: number | null
  lower: number
  upper: number
  count: number
  n: number
}

/** Estimated drift of the whole shard from the reviewed rows of its sample (never from other rows). */
export interface EstimateView {
  population: number
  sampled: number
  reviewed: number
  confidence: number
  any: ShareView
  atLeast: Record<Severity, ShareView>
  byReason: Partial<Record<FlagReason, ShareView>>
  verdict: { verdict: 'accept' | 'reject' | 'undecided'; explanation: string; severity: Severity; maxShare: number }
}

/**
 * Keyboard commands of the review editor. VS Code keybindings (package.json `contributes.keybindings`,
 * rebindable by users) run `phoenix.review.<name>`; the host forwards them as a `command` message.
 * `arg` carries the number for the pick commands (1-based completion number).
 */
export const REVIEW_COMMANDS = [
  { name: 'next', title: 'Next Record', key: 'j' },
  { name: 'previous', title: 'Previous Record', key: 'k' },
  { name: 'nextFlagged', title: 'Next Flagged Record', key: 'n' },
  { name: 'nextSegment', title: 'Next Segment', key: 'down' },
  { name: 'previousSegment', title: 'Previous Segment', key: 'up' },
  { name: 'approve', title: 'Approve Record', key: 'a' },
  { name: 'flag', title: 'Flag Segment…', key: 'f' },
  { name: 'edit', title: 'Edit Translation', key: 'e' },
  { name: 'toggleDiff', title: 'Toggle Diff', key: 'd' },
  { name: 'pickChosen', title: 'Pick Chosen by Number', key: '1..4' },
  { name: 'pickRejected', title: 'Pick Rejected by Number', key: 'shift+1..4' },
  { name: 'swap', title: 'Swap Chosen and Rejected', key: 's' },
  { name: 'tie', title: 'Mark Tie', key: 't' },
  { name: 'unusable', title: 'Mark Unusable', key: 'u' },
  { name: 'help', title: 'Show Keyboard Shortcuts', key: 'shift+/' },
] as const
export type ReviewCommandName = (typeof REVIEW_COMMANDS)[number]['name']

export type ReviewToHost =
  | { type: 'ready' }
  /** A text field in the webview gained or lost focus: single-key shortcuts pause while typing. */
  | { type: 'inputFocus'; active: boolean }
  | { type: 'requestRows'; start: number; end: number }
  | { type: 'openRecord'; index: number }
  | { type: 'setFilter'; filter: Filter }
  | { type: 'edit'; index: number; address: string; text: string }
  | { type: 'flag'; index: number; address: string; segment: number | null; reason: FlagReason; severity: Severity; comment: string }
  | { type: 'unflag'; index: number; flagId: string }
  | { type: 'qaDecision'; index: number; key: string; decision: 'confirm' | 'dismiss' }
  | { type: 'approve'; index: number; approved: boolean }
  | { type: 'pick'; index: number; chosen: number | null; rejected: number | null; verdict: PickVerdict }
  | { type: 'undo' }
  | { type: 'redo' }

export type HostToReview =
  | { type: 'init'; shard: ShardInfo; rows: RowSummary[]; counts: FilterCounts }
  /** Rows of the current filter's list, positions [start, start + rows.length). */
  | { type: 'rows'; start: number; rows: RowSummary[] }
  /** The filter changed: the list now has `counts.matching` rows; the webview re-requests what it shows. */
  | { type: 'filtered'; counts: FilterCounts }
  | { type: 'record'; record: RecordView }
  | { type: 'command'; name: ReviewCommandName; arg?: number }
  /** Sent after every decision while a sample exists; null when none was drawn. */
  | { type: 'estimate'; estimate: EstimateView | null }
  | { type: 'error'; message: string }

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0
const isStr = (v: unknown, max = 1 << 24): v is string => typeof v === 'string' && v.length <= max
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v)
const pickIndex = (v: unknown): v is number | null => v === null || isInt(v)

function parseFilter(f: unknown): Filter | undefined {
  if (!f || typeof f !== 'object') return undefined
  const m = f as Record<string, unknown>
  const out: Filter = {}
  if (m.mode !== undefined) {
    if (m.mode !== 'all' && m.mode !== 'risk' && m.mode !== 'sample') return undefined
    out.mode = m.mode
  }
  if (m.flag !== undefined) {
    if (!(m.flag === 'any' || m.flag === 'none' || m.flag === 'automatic' || oneOf(FLAG_REASONS, m.flag))) return undefined
    out.flag = m.flag as Filter['flag']
  }
  if (m.reviewed !== undefined) {
    if (m.reviewed !== 'reviewed' && m.reviewed !== 'unreviewed') return undefined
    out.reviewed = m.reviewed
  }
  if (m.reviewer !== undefined) {
    if (!isStr(m.reviewer, 200)) return undefined
    out.reviewer = m.reviewer
  }
  if (m.text !== undefined) {
    if (!isStr(m.text, 1000)) return undefined
    out.text = m.text
  }
  for (const k of ['ratioMin', 'ratioMax'] as const) {
    if (m[k] === undefined) continue
    if (typeof m[k] !== 'number' || !Number.isFinite(m[k])) return undefined
    out[k] = m[k] as number
  }
  return out
}

/** Validates a message from the webview; anything malformed is dropped. */
export function parseReviewToHost(msg: unknown): ReviewToHost | undefined {
  if (!msg || typeof msg !== 'object') return undefined
  const m = msg as Record<string, unknown>
  switch (m.type) {
    case 'ready':
    case 'undo':
    case 'redo':
      return { type: m.type }
    case 'inputFocus':
      return typeof m.active === 'boolean' ? { type: 'inputFocus', active: m.active } : undefined
    case 'requestRows':
      return isInt(m.start) && isInt(m.end) && m.end >= m.start && m.end - m.start <= 1000 ? { type: 'requestRows', start: m.start, end: m.end } : undefined
    case 'openRecord':
      return isInt(m.index) ? { type: 'openRecord', index: m.index } : undefined
    case 'setFilter': {
      const filter = parseFilter(m.filter)
      return filter ? { type: 'setFilter', filter } : undefined
    }
    case 'edit':
      return isInt(m.index) && isStr(m.address, 200) && isStr(m.text) ? { type: 'edit', index: m.index, address: m.address, text: m.text } : undefined
    case 'flag':
      return isInt(m.index) && isStr(m.address, 200) && (m.segment === null || isInt(m.segment)) && oneOf(FLAG_REASONS, m.reason) && oneOf(SEVERITIES, m.severity) && isStr(m.comment, 10_000)
        ? { type: 'flag', index: m.index, address: m.address, segment: m.segment as number | null, reason: m.reason, severity: m.severity, comment: m.comment }
        : undefined
    case 'unflag':
      return isInt(m.index) && isStr(m.flagId, 200) ? { type: 'unflag', index: m.index, flagId: m.flagId } : undefined
    case 'qaDecision':
      return isInt(m.index) && isStr(m.key, 500) && (m.decision === 'confirm' || m.decision === 'dismiss') ? { type: 'qaDecision', index: m.index, key: m.key, decision: m.decision } : undefined
    case 'approve':
      return isInt(m.index) && typeof m.approved === 'boolean' ? { type: 'approve', index: m.index, approved: m.approved } : undefined
    case 'pick':
      return isInt(m.index) && pickIndex(m.chosen) && pickIndex(m.rejected) && oneOf(PICK_VERDICTS, m.verdict)
        ? { type: 'pick', index: m.index, chosen: m.chosen, rejected: m.rejected, verdict: m.verdict }
        : undefined
    default:
      return undefined
  }
}

/** Validates a message from the host. The host is trusted, so this checks shape only. */
export function parseHostToReview(msg: unknown): HostToReview | undefined {
  if (!msg || typeof msg !== 'object') return undefined
  const m = msg as Record<string, unknown>
  switch (m.type) {
    case 'init':
      return m.shard && typeof m.shard === 'object' && Array.isArray(m.rows) && m.counts ? (m as HostToReview) : undefined
    case 'rows':
      return isInt(m.start) && Array.isArray(m.rows) ? (m as HostToReview) : undefined
    case 'filtered':
      return m.counts && typeof m.counts === 'object' ? (m as HostToReview) : undefined
    case 'record':
      return m.record && typeof m.record === 'object' ? (m as HostToReview) : undefined
    case 'command':
      return REVIEW_COMMANDS.some((c) => c.name === m.name) ? (m as HostToReview) : undefined
    case 'estimate':
      return m.estimate === null || (m.estimate && typeof m.estimate === 'object') ? (m as HostToReview) : undefined
    case 'error':
      return typeof m.message === 'string' ? (m as HostToReview) : undefined
    default:
      return undefined
  }
}
