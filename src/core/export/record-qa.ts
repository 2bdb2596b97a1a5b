/**
 * The English side of a two-shard export that the scan worker reads, as far as this thread needs it: the
 * QA engine's hits per record (from the QA cache; else from the engine here, or on the QA worker when
 * nothing is cached) and, for the few records that need them, the English texts paired with the current
 * translated ones.
 */
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { textUnits } from '../records/address'
import { pairUnits, type UnitPair } from '../records/pairing'
import type { Row, SchemaKind, Shard } from '../records/types'
import type { Severity } from '../review/events'
import { shardIdentity } from '../review/journal'
import { stampOf, StaleCache } from './cache-files'
import { QaCache, qaFingerprint, recordKey, storedRecordKey } from './qa-cache'
import type { QaGate, QaHit } from './qa-flags'
import { QaWorkerClient } from './qa-worker-client'
import { SourceCursor } from './source-cursor'
import type { SourceEntry } from './source-scan'
import { WORKER_MIN_BYTES } from './worker-spawn'

export interface RecordQaOptions {
  workspace: string
  target: Shard
  source: Shard
  kind: SchemaKind
  gate: QaGate
  /** Whether the QA engine's flags count (else only the English texts are served). */
  runQa: boolean
  /** Take flags from the cache file (false: only write it). */
  reuseCache: boolean
  /** QA worker: true / false force it; undefined: for large translations when nothing is cached. */
  worker: boolean | undefined
  limit: Severity | undefined
}

export class RecordQa {
  /** Records the engine judged on the QA worker. */
  onWorker = 0
  private cursor: SourceCursor | undefined
  private last: { index: number; row: Row | undefined } | undefined

  private constructor(
    private readonly o: RecordQaOptions,
    private readonly cache: QaCache | undefined,
    private readonly worker: QaWorkerClient | undefined,
  ) {}

  static open(o: RecordQaOptions): RecordQa {
    const { gate, target, source } = o
    const cache = o.runQa
      ? QaCache.load(o.workspace, shardIdentity(o.workspace, resolve(target.path)), qaFingerprint(gate.engineConfig, gate.languageId), [stampOf(source.path), stampOf(target.path)], o.reuseCache)
      : undefined
    // Nothing cached (a first export, or one after the QA config or code changed): the engine runs on a
    // worker thread, which reads the English rows itself, while the export's thread reads, filters and writes.
    const worker =
      cache?.empty && (o.worker ?? statSync(target.path).size >= WORKER_MIN_BYTES)
        ? QaWorkerClient.start({ englishPath: source.path, kind: o.kind, engineConfig: gate.engineConfig, limit: o.limit, languageId: gate.languageId !== undefined }, gate.languageId)
        : undefined
    return new RecordQa(o, cache, worker)
  }

  /** Whether `hits` serves records (the engine's flags count). */
  get judging(): boolean {
    return this.cache !== undefined
  }

  /** Whether hits come later from the worker, so that records behind them can be read meanwhile. */
  get parallel(): boolean {
    return this.worker !== undefined
  }

  /**
   * The engine's flags on a record (null: nothing paired): from the cache when its texts are unchanged, else
   * from the engine here (a promise: the English row may have to be read) or on the worker. `stored`: the
   * translated row's index when its texts are as stored (no correction).
   */
  hits(entry: SourceEntry, row: Row, stored: number | null): readonly QaHit[] | null | Promise<readonly QaHit[] | null> {
    const cache = this.cache!
    const key = stored !== null ? storedRecordKey(entry.index, stored) : recordKey(entry.index, textUnits(row, this.o.kind))
    const cached = cache.get(key)
    if (cached !== undefined) return cached
    let judged: Promise<QaHit[] | null>
    if (this.worker) {
      this.onWorker++
      judged = this.worker.hits(entry.index, textUnits(row, this.o.kind))
    } else judged = this.englishUnits(entry, row).then((units) => (units.length ? this.o.gate.flagsOf(units) : null))
    return judged.then((hits) => {
      cache.set(key, hits)
      return hits
    })
  }

  /**
   * The record's English texts paired with `row`'s. Requests come in file order (all of them on a first
   * export without the worker) and one at a time: streamed, not read one by one.
   */
  async englishUnits(entry: SourceEntry, row: Row): Promise<UnitPair[]> {
    if (this.last?.index !== entry.index) {
      this.cursor ??= new SourceCursor(this.o.source, new Map())
      this.last = { index: entry.index, row: await this.cursor.at(entry.index) }
    }
    return this.last.row ? pairUnits(this.last.row, row, this.o.kind).units : []
  }

  /**
   * Once the inputs' sha256 are known (English, translation): throws StaleCache when cached flags were
   * taken for other contents, else writes the cache. A cache that cannot be written costs the next export
   * time, not this one its result.
   */
  settle(sums: readonly string[]): void {
    if (this.cache?.stale(sums)) throw new StaleCache()
    this.cache?.save(sums)
  }

  async close(): Promise<void> {
    await this.worker?.close()
  }
}
