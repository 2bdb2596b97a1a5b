/**
 * metrics.jsonl as the runtime writes it: one JSON object a line, flushed per line. Metric lines carry a
 * `step`; event lines carry an `event`. The file is read while it grows, so the last line may be half
 * written: it stays in `rest` until its newline arrives. A line that is complete but broken is reported
 * with its line number and skipped.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { METRIC_FIELDS, type MetricPoint, type RunEvent } from './types'

export interface ParsedMetrics {
  points: MetricPoint[]
  events: RunEvent[]
  errors: { line: number; message: string }[]
  /** Text after the last newline (a line still being written). */
  rest: string
  /** Complete lines consumed (for numbering the next chunk). */
  lines: number
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** A metric point from a parsed line, keeping only the known numeric fields; null when it has no step. */
export function toPoint(o: Record<string, unknown>): MetricPoint | null {
  if (!finite(o.step)) return null
  const p: MetricPoint = { step: o.step }
  if (finite(o.time)) p.time = o.time
  for (const k of METRIC_FIELDS) {
    const v = o[k]
    if (finite(v)) p[k] = v
  }
  // transformers names the loss `train_loss` in its final summary line; that is no step's loss.
  return p
}

function toEvent(o: Record<string, unknown>): RunEvent | null {
  switch (o.event) {
    case 'start':
      return finite(o.step) ? (o as unknown as RunEvent) : null
    case 'checkpoint':
      return finite(o.step) && typeof o.path === 'string' ? (o as unknown as RunEvent) : null
    case 'end':
      return o.status === 'finished' || o.status === 'stopped' || o.status === 'failed' ? (o as unknown as RunEvent) : null
    case 'log':
      return typeof o.message === 'string' ? (o as unknown as RunEvent) : null
    default:
      return null
  }
}

/** Parses a chunk of the file (`carry` = the previous chunk's `rest`). */
export function parseMetrics(text: string, carry = '', firstLine = 1): ParsedMetrics {
  const all = carry + text
  const cut = all.lastIndexOf('\n')
  const complete = cut === -1 ? '' : all.slice(0, cut)
  const out: ParsedMetrics = { points: [], events: [], errors: [], rest: cut === -1 ? all : all.slice(cut + 1), lines: 0 }
  if (cut === -1) return out
  const lines = complete.split('\n')
  out.lines = lines.length
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (!line) return
    let o: unknown
    try {
      o = JSON.parse(line)
    } catch (e) {
      out.errors.push({ line: firstLine + i, message: `not JSON: ${(e as Error).message}` })
      return
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) {
      out.errors.push({ line: firstLine + i, message: 'not a JSON object' })
      return
    }
    const rec = o as Record<string, unknown>
    if (typeof rec.event === 'string') {
      const ev = toEvent(rec)
      if (ev) out.events.push(ev)
      else out.errors.push({ line: firstLine + i, message: `malformed "${rec.event}" event` })
      return
    }
    const p = toPoint(rec)
    if (p) out.points.push(p)
    else if (!('train_runtime' in rec)) out.errors.push({ line: firstLine + i, message: 'no numeric "step"' })
  })
  return out
}

/**
 * Follows a growing metrics file: each `poll()` reads the bytes appended since the last one. A file
 * that shrank (a new run in the same folder) is read again from the start.
 */
export class MetricsTail {
  private offset = 0
  private carry = ''
  private line = 1
  private decoder = new TextDecoder('utf-8')

  constructor(readonly path: string) {}

  poll(): ParsedMetrics {
    let fd: number
    try {
      fd = openSync(this.path, 'r')
    } catch {
      return { points: [], events: [], errors: [], rest: this.carry, lines: 0 }
    }
    try {
      const size = fstatSync(fd).size
      if (size < this.offset) {
        this.offset = 0
        this.carry = ''
        this.line = 1
        this.decoder = new TextDecoder('utf-8')
      }
      let text = ''
      const buf = Buffer.allocUnsafe(1 << 16)
      while (this.offset < size) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, size - this.offset), this.offset)
        if (n <= 0) break
        this.offset += n
        text += this.decoder.decode(buf.subarray(0, n), { stream: true })
      }
      const parsed = parseMetrics(text, this.carry, this.line)
      this.carry = parsed.rest
      this.line += parsed.lines
      return parsed
    } finally {
      closeSync(fd)
    }
  }
}

/** Everything a file holds now (a run's full history). */
export function readMetricsFile(path: string): ParsedMetrics {
  return new MetricsTail(path).poll()
}
