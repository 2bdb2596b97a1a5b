/**
 * Messages between the extension host and the review webview. Both sides import this module and
 * validate what arrives: the webview is a separate security context and its messages are untrusted.
 */

export interface ShardInfo {
  path: string
  name: string
  kind: string | null
  format: 'jsonl' | 'parquet'
  rowCount: number
}

export interface RowSummary {
  index: number
  promptId?: string
  /** First translatable text of the row, cut for the overview. Rendered as text, never as HTML. */
  preview?: string
  units?: number
  error?: string
}

export type ReviewToHost = { type: 'ready' } | { type: 'requestRows'; start: number; end: number }

export type HostToReview =
  | { type: 'init'; shard: ShardInfo; rows: RowSummary[] }
  | { type: 'rows'; start: number; rows: RowSummary[] }
  | { type: 'error'; message: string }

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0

export function parseReviewToHost(msg: unknown): ReviewToHost | undefined {
  if (!msg || typeof msg !== 'object') return undefined
  const m = msg as Record<string, unknown>
  switch (m.type) {
    case 'ready':
      return { type: 'ready' }
    case 'requestRows':
      return isInt(m.start) && isInt(m.end) && m.end >= m.start && m.end - m.start <= 1000 ? { type: 'requestRows', start: m.start, end: m.end } : undefined
    default:
      return undefined
  }
}

export function parseHostToReview(msg: unknown): HostToReview | undefined {
  if (!msg || typeof msg !== 'object') return undefined
  const m = msg as Record<string, unknown>
  if (m.type === 'init' && m.shard && typeof m.shard === 'object' && Array.isArray(m.rows)) return m as HostToReview
  if (m.type === 'rows' && isInt(m.start) && Array.isArray(m.rows)) return m as HostToReview
  if (m.type === 'error' && typeof m.message === 'string') return m as HostToReview
  return undefined
}
