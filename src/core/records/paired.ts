/**
 * Records of a translation with their English source, streamed: the one loop QA, the CLI and the
 * diagnostics share. Pairing mode (a) when a source file is given, (b) when the target's texts carry
 * `original` fields. Rows on one side only are reported, never dropped silently.
 */
import { openShard, shardKind } from './open'
import { hasOriginalFields, pairShards, pairUnits, pairUnitsFromOriginal, type UnitPair, type UnitPairing } from './pairing'
import { rowPromptId } from './schema'
import type { Row, RowError, SchemaKind, Shard } from './types'

export interface PairedRecord {
  promptId: string
  sourceIndex: number
  targetIndex: number
  /** 1-based line of the target row (JSONL), for editor diagnostics. */
  targetLine?: number
  target: Row
  units: UnitPair[]
  missing: UnitPairing['missing']
}

export interface PairedShards {
  kind: SchemaKind
  mode: 'shards' | 'original'
  target: Shard
  source?: Shard
  /** Matched records (mode a) or rows with prompt ids (mode b). */
  count: number
  missingInTarget: { promptId: string; sourceIndex: number }[]
  missingInSource: { promptId: string; targetIndex: number }[]
  errors: { side: 'source' | 'target'; error: RowError }[]
  records(): AsyncIterable<PairedRecord>
  close(): Promise<void>
}

const lineOf = (s: Shard, i: number) => (s as { lineOf?: (i: number) => number }).lineOf?.(i)

/** Opens a translation (and its source, if given) for paired iteration. Throws ShardOpenError when unreadable. */
export async function openPaired(targetPath: string, sourcePath?: string): Promise<PairedShards> {
  const target = await openShard(targetPath)
  const source = sourcePath ? await openShard(sourcePath) : undefined
  try {
    const kind = await shardKind(target)
    if (!kind) throw new Error(`${targetPath}: cannot tell the schema of this shard (no readable row with known fields)`)
    if (source) return await pairedByShards(kind, target, source)
    return await pairedByOriginal(kind, target)
  } catch (e) {
    await target.close()
    await source?.close()
    throw e
  }
}

async function pairedByShards(kind: SchemaKind, target: Shard, source: Shard): Promise<PairedShards> {
  const p = await pairShards(source, target)
  // Shards written by the translator keep the source's order: then both stream side by side.
  const inOrder = p.pairs.every((x, i) => x.sourceIndex === i && x.targetIndex === i)
  const records = async function* (): AsyncIterable<PairedRecord> {
    const build = (pair: (typeof p.pairs)[number], s: Row, t: Row): PairedRecord => {
      const u = pairUnits(s, t, kind)
      return { promptId: pair.promptId, sourceIndex: pair.sourceIndex, targetIndex: pair.targetIndex, targetLine: lineOf(target, pair.targetIndex), target: t, units: u.units, missing: u.missing }
    }
    if (inOrder) {
      const s = source.rows(0, p.pairs.length)[Symbol.asyncIterator]()
      const t = target.rows(0, p.pairs.length)[Symbol.asyncIterator]()
      for (const pair of p.pairs) {
        const [a, b] = await Promise.all([s.next(), t.next()])
        if (a.value?.row && b.value?.row) yield build(pair, a.value.row, b.value.row)
      }
      return
    }
    for (const pair of p.pairs) {
      const [a, b] = await Promise.all([source.read(pair.sourceIndex), target.read(pair.targetIndex)])
      if (a.row && b.row) yield build(pair, a.row, b.row)
    }
  }
  return {
    kind,
    mode: 'shards',
    target,
    source,
    count: p.pairs.length,
    missingInTarget: p.missingInTarget,
    missingInSource: p.missingInSource,
    errors: [...p.sourceErrors.map((error) => ({ side: 'source' as const, error })), ...p.targetErrors.map((error) => ({ side: 'target' as const, error }))],
    records,
    close: async () => {
      await target.close()
      await source.close()
    },
  }
}

async function pairedByOriginal(kind: SchemaKind, target: Shard): Promise<PairedShards> {
  let first: Row | undefined
  for await (const r of target.rows(0, 20)) if (r.row && !first) first = r.row
  if (!first || !hasOriginalFields(first, kind)) {
    throw new Error(`${target.path}: no source given and its texts carry no "original" field; pass the English shard too (pairing mode a)`)
  }
  const errors: PairedShards['errors'] = []
  const records = async function* (): AsyncIterable<PairedRecord> {
    for await (const r of target.rows()) {
      if (!r.row) {
        if (r.error) errors.push({ side: 'target', error: r.error })
        continue
      }
      const promptId = rowPromptId(r.row, kind) ?? `row-${r.index}`
      const u = pairUnitsFromOriginal(r.row, kind)
      yield { promptId, sourceIndex: r.index, targetIndex: r.index, targetLine: lineOf(target, r.index), target: r.row, units: u.units, missing: u.missing }
    }
  }
  return { kind, mode: 'original', target, count: target.rowCount, missingInTarget: [], missingInSource: [], errors, records, close: () => target.close() }
}
