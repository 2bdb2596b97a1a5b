import { textUnits } from './address'
import { openShard } from './open'
import { UnknownSchemaError, detectKind, validateRow } from './schema'
import { ShardOpenError, type RowError, type SchemaKind, type ShardFormat } from './types'

export interface LengthStats {
  count: number
  total: number
  min: number
  mean: number
  p50: number
  p95: number
  max: number
}

export interface FieldSummary {
  name: string
  /** How many rows hold the field. */
  present: number
  /** JSON type name → row count (string, number, list, object, null, boolean). */
  types: Record<string, number>
}

export interface InspectReport {
  path: string
  format: ShardFormat
  kind: SchemaKind | null
  rows: number
  validRows: number
  fields: FieldSummary[]
  /** Character lengths of every translatable text, overall and by address pattern (`messages/*\/content`). */
  text: { all: LengthStats; byAddress: Record<string, LengthStats> }
  errors: RowError[]
  errorCount: number
}

/** Errors kept in the report; the count covers all of them. */
const MAX_ERRORS = 200

/** A full scan of a shard: kind, counts, field and text-length summaries, and every bad row. */
export async function inspectShard(path: string): Promise<InspectReport> {
  const shard = await openShard(path)
  try {
    const fields = new Map<string, FieldSummary>()
    const lengths = new Map<string, number[]>()
    const all: number[] = []
    const errors: RowError[] = []
    let errorCount = 0
    let kind: SchemaKind | null = null
    let validRows = 0
    const lineOf = (shard as { lineOf?: (i: number) => number }).lineOf?.bind(shard)
    const fail = (index: number, message: string) => {
      errorCount++
      if (errors.length < MAX_ERRORS) errors.push(lineOf ? { line: lineOf(index), message } : { row: index, message })
    }
    for await (const r of shard.rows()) {
      if (r.error) {
        errorCount++
        if (errors.length < MAX_ERRORS) errors.push(r.error)
        continue
      }
      const row = r.row!
      for (const [k, v] of Object.entries(row)) {
        let f = fields.get(k)
        if (!f) fields.set(k, (f = { name: k, present: 0, types: {} }))
        f.present++
        const t = v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v
        f.types[t] = (f.types[t] ?? 0) + 1
      }
      if (kind === null) {
        try {
          kind = detectKind(row)
        } catch (e) {
          fail(r.index, (e as UnknownSchemaError).message)
          continue
        }
      }
      const problems = validateRow(row, kind)
      if (problems.length) {
        fail(r.index, problems.join('; '))
        continue
      }
      validRows++
      for (const u of textUnits(row, kind)) {
        const pattern = u.address.replace(/\/\d+\//g, '/*/')
        let arr = lengths.get(pattern)
        if (!arr) lengths.set(pattern, (arr = []))
        arr.push(u.text.length)
        all.push(u.text.length)
      }
    }
    const byAddress: Record<string, LengthStats> = {}
    for (const [k, v] of lengths) byAddress[k] = lengthStats(v)
    return {
      path,
      format: shard.format,
      kind,
      rows: shard.rowCount,
      validRows,
      fields: [...fields.values()],
      text: { all: lengthStats(all), byAddress },
      errors,
      errorCount,
    }
  } finally {
    await shard.close()
  }
}

export function lengthStats(values: number[]): LengthStats {
  if (values.length === 0) return { count: 0, total: 0, min: 0, mean: 0, p50: 0, p95: 0, max: 0 }
  const sorted = Float64Array.from(values).sort()
  let total = 0
  for (const v of sorted) total += v
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))]
  return { count: sorted.length, total, min: sorted[0], mean: Math.round((total / sorted.length) * 10) / 10, p50: q(0.5), p95: q(0.95), max: sorted[sorted.length - 1] }
}

export { ShardOpenError }
