import { textUnits, type TextUnit } from './address'
import { detectKind, rowPromptId } from './schema'
import type { Row, RowError, SchemaKind, Shard } from './types'

/** One translatable text with its English source and its translation. */
export interface UnitPair {
  address: string
  source: string
  target: string
  role?: string
}

export interface UnitPairing {
  units: UnitPair[]
  /** Addresses present on one side only (a dropped turn, an extra completion). */
  missing: { address: string; side: 'source' | 'target' }[]
}

/** Mode (a): the same record in two shards of one schema, matched address by address. */
export function pairUnits(source: Row, target: Row, kind: SchemaKind): UnitPairing {
  return pairTextUnits(textUnits(source, kind), textUnits(target, kind))
}

/** `pairUnits` from the rows' text units (e.g. a translation's units sent to a worker that reads the source). */
export function pairTextUnits(src: readonly TextUnit[], target: readonly TextUnit[]): UnitPairing {
  // nearly always the same addresses in the same order (one schema, one walk): paired without a lookup
  // table, which cost more than the rest of the pairing (a Map per record, keyed by fresh strings)
  let i = 0
  while (i < src.length && i < target.length && src[i].address === target[i].address) i++
  if (i === src.length && i === target.length) return { units: src.map((s, k) => unitPair(s, target[k])), missing: [] }
  const tgt = new Map(target.map((u) => [u.address, u]))
  const units: UnitPair[] = []
  const missing: UnitPairing['missing'] = []
  for (const s of src) {
    const t = tgt.get(s.address)
    if (!t) missing.push({ address: s.address, side: 'target' })
    else {
      units.push(unitPair(s, t))
      tgt.delete(s.address)
    }
  }
  for (const address of tgt.keys()) missing.push({ address, side: 'source' })
  return { units, missing }
}

function unitPair(s: TextUnit, t: TextUnit): UnitPair {
  return s.role !== undefined ? { address: s.address, source: s.text, target: t.text, role: s.role } : { address: s.address, source: s.text, target: t.text }
}

/** Mode (b): one row whose texts carry the English in an `original` field next to the translation. */
export function pairUnitsFromOriginal(row: Row, kind: SchemaKind): UnitPairing {
  const units: UnitPair[] = []
  const missing: UnitPairing['missing'] = []
  for (const u of textUnits(row, kind)) {
    if (u.original === undefined) missing.push({ address: u.address, side: 'source' })
    else units.push(u.role !== undefined ? { address: u.address, source: u.original, target: u.text, role: u.role } : { address: u.address, source: u.original, target: u.text })
  }
  return { units, missing }
}

/** Whether a shard's rows carry `original` fields (mode b), judged on one row. */
export function hasOriginalFields(row: Row, kind: SchemaKind): boolean {
  return textUnits(row, kind).some((u) => u.original !== undefined)
}

export interface ShardKeys {
  kind?: SchemaKind
  /** prompt_id → row index; the first occurrence wins, later ones are reported as duplicates. */
  byId: Map<string, number>
  duplicates: { promptId: string; index: number; firstIndex: number }[]
  errors: RowError[]
}

/** Reads every row once to map prompt_ids to row indices; rows are not kept. */
export async function indexByPromptId(shard: Shard, kind?: SchemaKind): Promise<ShardKeys> {
  const keys: ShardKeys = { kind, byId: new Map(), duplicates: [], errors: [] }
  for await (const r of shard.rows()) {
    if (r.error) {
      keys.errors.push(r.error)
      continue
    }
    const row = r.row!
    try {
      keys.kind ??= detectKind(row)
    } catch (e) {
      keys.errors.push(errAt(shard, r.index, (e as Error).message))
      continue
    }
    const id = rowPromptId(row, keys.kind)
    if (id === undefined) {
      keys.errors.push(errAt(shard, r.index, 'row has no prompt_id and no prompt to derive one from'))
      continue
    }
    const first = keys.byId.get(id)
    if (first !== undefined) keys.duplicates.push({ promptId: id, index: r.index, firstIndex: first })
    else keys.byId.set(id, r.index)
  }
  return keys
}

function errAt(shard: Shard, index: number, message: string): RowError {
  const line = (shard as { lineOf?: (i: number) => number }).lineOf?.(index)
  return line !== undefined ? { line, message } : { row: index, message }
}

export interface ShardPairing {
  kind?: SchemaKind
  /** Matched rows in source order. */
  pairs: { promptId: string; sourceIndex: number; targetIndex: number }[]
  /** Rows on one side only: reported, never silently dropped. */
  missingInTarget: { promptId: string; sourceIndex: number }[]
  missingInSource: { promptId: string; targetIndex: number }[]
  sourceErrors: RowError[]
  targetErrors: RowError[]
  duplicates: { side: 'source' | 'target'; promptId: string; index: number }[]
}

/** Mode (a): pairs a source shard with its translation by prompt_id. Both must be of one schema. */
export async function pairShards(source: Shard, target: Shard): Promise<ShardPairing> {
  const s = await indexByPromptId(source)
  const t = await indexByPromptId(target)
  if (s.kind && t.kind && s.kind !== t.kind) {
    throw new Error(`cannot pair ${source.path} (${s.kind}) with ${target.path} (${t.kind}): the schemas differ`)
  }
  const result: ShardPairing = {
    kind: s.kind ?? t.kind,
    pairs: [],
    missingInTarget: [],
    missingInSource: [],
    sourceErrors: s.errors,
    targetErrors: t.errors,
    duplicates: [
      ...s.duplicates.map((d) => ({ side: 'source' as const, promptId: d.promptId, index: d.index })),
      ...t.duplicates.map((d) => ({ side: 'target' as const, promptId: d.promptId, index: d.index })),
    ],
  }
  const ordered = [...s.byId].sort((a, b) => a[1] - b[1])
  for (const [promptId, sourceIndex] of ordered) {
    const targetIndex = t.byId.get(promptId)
    if (targetIndex === undefined) result.missingInTarget.push({ promptId, sourceIndex })
    else result.pairs.push({ promptId, sourceIndex, targetIndex })
  }
  for (const [promptId, targetIndex] of t.byId) if (!s.byId.has(promptId)) result.missingInSource.push({ promptId, targetIndex })
  return result
}
