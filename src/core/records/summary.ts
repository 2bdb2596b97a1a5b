import { textUnits } from './address'
import { rowPromptId } from './schema'
import type { RowResult, SchemaKind, Shard } from './types'

export interface RowOverview {
  index: number
  promptId?: string
  preview?: string
  units?: number
  error?: string
}

const PREVIEW_CHARS = 160

/** A one-line overview of a row for lists: its id, the start of its first text, how many texts it has. */
export function overviewOf(r: RowResult, kind: SchemaKind | null): RowOverview {
  if (r.error) return { index: r.index, error: `${r.error.line !== undefined ? `line ${r.error.line}` : `row ${r.error.row ?? r.index}`}: ${r.error.message}` }
  if (!kind) return { index: r.index }
  const units = textUnits(r.row!, kind)
  const first = units[0]?.text ?? ''
  return {
    index: r.index,
    promptId: rowPromptId(r.row!, kind),
    preview: first.length > PREVIEW_CHARS ? first.slice(0, PREVIEW_CHARS) + '…' : first,
    units: units.length,
  }
}

export async function overviews(shard: Shard, kind: SchemaKind | null, start: number, end: number): Promise<RowOverview[]> {
  const out: RowOverview[] = []
  for await (const r of shard.rows(start, end)) out.push(overviewOf(r, kind))
  return out
}
