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

const VERSION = 1

/** Every batch of a scan, joined: what the worker sends, in its order. */
export interface ScanRecord {
  ids: string[]
  index: number[]
  /** Per row: address, length, address, length …; null when lengths were not kept. */
  lengths: (string | number)[][] | null
  errors: string[]
}

interface ScanCacheFile extends ScanRecord {
  version: number
  /** Digest of the scan code that wrote it. */
  code: string
  kind: SchemaKind
  input: InputStamp
  /** sha256 of the English shard as scanned. */
  sum: string
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
  load(lengths: boolean): { record: ScanRecord; sum: string } | undefined {
    try {
      const d = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<ScanCacheFile>
      if (d.version !== VERSION || d.code !== this.code || d.kind !== this.kind || !d.input || !sameStamps([d.input], [this.stamp])) return undefined
      if (typeof d.sum !== 'string' || !Array.isArray(d.ids) || !Array.isArray(d.index) || !Array.isArray(d.errors) || d.ids.length !== d.index.length) return undefined
      if (lengths && (!Array.isArray(d.lengths) || d.lengths.length !== d.ids.length)) return undefined
      return { record: { ids: d.ids, index: d.index, lengths: lengths ? d.lengths! : null, errors: d.errors }, sum: d.sum }
    } catch {
      // absent or torn: the worker scans the file
      return undefined
    }
  }

  save(record: ScanRecord, sum: string): string | undefined {
    const data: ScanCacheFile = { version: VERSION, code: this.code, kind: this.kind, input: this.stamp, sum, ...record }
    const problem = writeCacheFile(this.file, data)
    return problem && `English scan ${problem}`
  }
}
