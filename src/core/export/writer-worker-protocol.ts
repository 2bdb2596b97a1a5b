/** Messages between the export's sinks (sinks.ts) and its writer worker thread (writer-worker.ts). */
import type { ExportFormat } from './types'
import type { Fields } from './output-files'

export type WriterWorkerRequest =
  /** A new file on `fd` (opened by the export, which fsyncs and closes it after `finished`). */
  | { open: number; format: ExportFormat; fd: number; fields: Fields; kvMetadata: Record<string, string> }
  /** Rows in output order; for parquet, one row group (packed, see packRows). */
  | { write: number; rows: Record<string, unknown>[] }
  | { write: number; packed: unknown[] }
  | { finish: number }

export type WriterWorkerReply =
  | { ready: true }
  | { written: number }
  | { finished: number }
  /** A file could not be written (`file` undefined: the worker could not start). */
  | { error: string; file?: number }

type Field = Fields[number]

/**
 * Rows for a parquet file as one flat array of their values in `fields` order: a list as its length and
 * its items, a struct as a presence mark and its fields; -1 for what is not a list. Without an object and
 * property names per row and message to serialize, 62k preference rows cross to the worker in about half
 * the time on this side and a third of it on the other. Parquet reads a missing value and null alike, so
 * both pack as null (JSON lines would not, and keep their rows).
 */
export function packRows(fields: Fields, rows: readonly Record<string, unknown>[]): unknown[] {
  const out: unknown[] = []
  for (const r of rows) for (const f of fields) packValue(f, r[f.name], out)
  return out
}

function packValue(f: Field, v: unknown, out: unknown[]): void {
  if ('leaf' in f) out.push(v ?? null)
  else if (!Array.isArray(v)) out.push(-1)
  else if ('list' in f) {
    out.push(v.length)
    for (const x of v) out.push(x ?? null)
  }
  else {
    out.push(v.length)
    for (const item of v) {
      const o = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : undefined
      out.push(o ? 1 : 0)
      if (o) for (const s of f.structList) packValue(s, o[s.name], out)
    }
  }
}

export function unpackRows(fields: Fields, packed: readonly unknown[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = []
  const at = { i: 0 }
  while (at.i < packed.length) {
    const r: Record<string, unknown> = {}
    for (const f of fields) r[f.name] = unpackValue(f, packed, at)
    rows.push(r)
  }
  return rows
}

function unpackValue(f: Field, packed: readonly unknown[], at: { i: number }): unknown {
  if ('leaf' in f) return packed[at.i++]
  const n = packed[at.i++] as number
  if (n < 0) return null
  const items: unknown[] = []
  for (let k = 0; k < n; k++) {
    if ('list' in f) items.push(packed[at.i++])
    else if (packed[at.i++] === 0) items.push(null)
    else {
      const o: Record<string, unknown> = {}
      for (const s of f.structList) o[s.name] = unpackValue(s, packed, at)
      items.push(o)
    }
  }
  return items
}
