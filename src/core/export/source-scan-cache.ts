/**
 * The English side of a two-shard export as the scan worker last reported it — prompt_ids, row places,
 * text lengths and the first unusable rows — so that a re-export with an unchanged English shard does not
 * parse it again (the worker then only hashes the inputs). One file per English shard under
 * `.phoenix/cache/export-source/`, valid for the file it was written for (cache-files.ts) and for the
 * scan code that wrote it. Losing it costs time, never correctness.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { SchemaKind } from '../records/types'
import { shardIdentity } from '../review/journal'
import { cacheFile, sameStamps, stampOf, writeCacheFile, type InputStamp } from './cache-files'
import type { Lengths } from './source-scan'

const VERSION = 2

/** Every batch of a scan, joined: what the worker sends, in its order. */
export interface ScanRecord {
  ids: string[]
  index: number[]
  /** Per row: address, length, address, length …; null when lengths were not kept. */
  lengths: (string | number)[][] | null
  errors: string[]
}

/** A scan as loaded from the cache: each row's lengths read from its layout's addresses. */
export interface CachedScan {
  ids: string[]
  index: number[]
  lengths: Lengths[] | null
  errors: string[]
}

/**
 * Rows share a few layouts (the same addresses in the same order), so the file holds each layout once and
 * every row's lengths as plain numbers: a third of the size of address/length pairs, and far quicker to parse
 * on the export's busy thread.
 */
interface ScanCacheFile {
  version: number
  /** Digest of the scan code that wrote it. */
  code: string
  kind: SchemaKind
  input: InputStamp
  /** sha256 of the English shard as scanned. */
  sum: string
  ids: string[]
  index: number[]
  errors: string[]
  /** Distinct address lists; null when lengths were not kept. */
  layouts: string[][] | null
  /** Per row, its layout. */
  layoutOf: number[] | null
  /** Every row's lengths, one after another, in its layout's order. */
  lens: number[] | null
}

/** A row's lengths by address, read from its layout and the file's flat list of lengths. */
class LayoutLengths implements Lengths {
  constructor(
    private readonly addresses: readonly string[],
    private readonly lens: readonly number[],
    private readonly at: number,
  ) {}
  get size(): number {
    return this.addresses.length
  }
  get(address: string): number | undefined {
    const i = this.addresses.indexOf(address)
    return i < 0 ? undefined : this.lens[this.at + i]
  }
}

function layoutsOf(lengths: (string | number)[][]): Pick<ScanCacheFile, 'layouts' | 'layoutOf' | 'lens'> {
  const layouts: string[][] = []
  const known = new Map<string, number>()
  const layoutOf: number[] = []
  const lens: number[] = []
  for (const flat of lengths) {
    const addresses: string[] = []
    for (let k = 0; k < flat.length; k += 2) {
      addresses.push(flat[k] as string)
      lens.push(flat[k + 1] as number)
    }
    const key = addresses.join('\u0000')
    let id = known.get(key)
    if (id === undefined) known.set(key, (id = layouts.push(addresses) - 1))
    layoutOf.push(id)
  }
  return { layouts, layoutOf, lens }
}

export class SourceScanCache {
  private readonly file: string
  private readonly stamp: InputStamp

  /** The cache of the English shard at `path`, stamped now (before the scan reads it). */
  constructor(
    workspace: string,
    path: string,
    private readonly kind: SchemaKind,
    private readonly code: string,
  ) {
    this.file = cacheFile(workspace, 'export-source', shardIdentity(workspace, resolve(path)))
    this.stamp = stampOf(path)
  }

  /** The last scan of this file, when it is stamped as now and kept lengths wherever `lengths` asks for them. */
  load(lengths: boolean): { scan: CachedScan; sum: string } | undefined {
    try {
      const d = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<ScanCacheFile>
      if (d.version !== VERSION || d.code !== this.code || d.kind !== this.kind || !d.input || !sameStamps([d.input], [this.stamp])) return undefined
      if (typeof d.sum !== 'string' || !Array.isArray(d.ids) || !Array.isArray(d.index) || !Array.isArray(d.errors) || d.ids.length !== d.index.length) return undefined
      let rows: Lengths[] | null = null
      if (lengths) {
        const { layouts, layoutOf, lens } = d
        if (!layouts || !layoutOf || !lens || layoutOf.length !== d.ids.length) return undefined
        rows = []
        let at = 0
        for (const id of layoutOf) {
          const addresses = layouts[id]
          if (!addresses) return undefined
          rows.push(new LayoutLengths(addresses, lens, at))
          at += addresses.length
        }
        if (at !== lens.length) return undefined
      }
      return { scan: { ids: d.ids, index: d.index, lengths: rows, errors: d.errors }, sum: d.sum }
    } catch {
      // absent or torn: the worker scans the file
      return undefined
    }
  }

  save(record: ScanRecord, sum: string): string | undefined {
    const { ids, index, errors } = record
    const layouts = record.lengths ? layoutsOf(record.lengths) : { layouts: null, layoutOf: null, lens: null }
    const data: ScanCacheFile = { version: VERSION, code: this.code, kind: this.kind, input: this.stamp, sum, ids, index, errors, ...layouts }
    const problem = writeCacheFile(this.file, data)
    return problem && `English scan ${problem}`
  }
}
