/**
 * The English side of a two-shard export, read on a worker thread while this thread streams the
 * translation: the English shard is only needed for its prompt_ids, row indices (the QA cache's keys) and
 * text lengths (length ratio), so parsing it here would only add to the export's critical path.
 * The same worker hashes the input files for the manifest, reading the English file once for both. A
 * re-export with an unchanged English shard takes the scan from the cache (source-scan-cache.ts) and its
 * worker only hashes.
 *
 * The worker is plain JavaScript in a string (like card.ts's hash worker) so it runs the same from
 * sources and from the esbuild bundle. It mirrors JsonlShard's line rules (BOM, CRLF, blank lines, a last
 * line without newline), rowPromptId and textUnits; test/unit/export/source-scan.test.ts holds it to the
 * in-process reading.
 */
import { createHash } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import type { SchemaKind } from '../records/types'
import { StaleCache } from './cache-files'
import { SourceScanCache, type CachedScan, type ScanRecord } from './source-scan-cache'

/** Text length by address, as the length-ratio filter looks them up. */
export interface Lengths {
  readonly size: number
  get(address: string): number | undefined
}

/** As the worker sends them: address, length, address, length … A row has a handful; a Map per row costs more. */
class FlatLengths implements Lengths {
  constructor(readonly flat: (string | number)[]) {}
  get size(): number {
    return this.flat.length / 2
  }
  get(address: string): number | undefined {
    for (let k = 0; k < this.flat.length; k += 2) if (this.flat[k] === address) return this.flat[k + 1] as number
    return undefined
  }
}

export interface SourceEntry {
  /** Row index in the shard (blank lines not counted), for reading the row itself on a QA cache miss. */
  index: number
  /** Text length by address; empty when lengths were not asked for. */
  lengths: Lengths
}

type Batch = ScanRecord

type Message = { batch: Batch } | { scanned: true } | { hashes: string[] } | { error: string }

const SCAN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const fs = require('node:fs')
const { path, kind, lengths, hashAlso, scan } = workerData
const LISTS = { ultrachat: ['messages'], 'ultrafeedback-binarized': ['chosen', 'rejected', 'messages'], 'ultrafeedback-raw': [], messages: ['messages'] }
const BATCH = 2048
const MAX_ERRORS = 5

function promptId(row) {
  if (typeof row.prompt_id === 'string') return row.prompt_id
  const t = kind === 'ultrafeedback-raw' ? (row.instruction_original ?? row.instruction) : row.prompt
  return typeof t === 'string' ? createHash('sha256').update(t, 'utf8').digest('hex') : undefined
}

function unitLengths(row) {
  const out = []
  const push = (a, t) => { if (typeof t === 'string') out.push(a, t.length) }
  if (kind === 'ultrafeedback-raw') {
    push('instruction', row.instruction)
    const c = Array.isArray(row.completions) ? row.completions : []
    c.forEach((x, i) => push('completions/' + i + '/response', (x ?? {}).response))
    return out
  }
  if (kind !== 'messages') push('prompt', row.prompt)
  for (const list of LISTS[kind]) {
    const m = Array.isArray(row[list]) ? row[list] : []
    m.forEach((x, i) => push(list + '/' + i + '/content', (x ?? {}).content))
  }
  return out
}

const found = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : 'a ' + typeof v)
const seen = new Set()
let batch
const fresh = () => (batch = { ids: [], index: [], lengths: lengths ? [] : null, errors: [] })
fresh()
let errors = 0
let index = 0
let line = 1

function error(message) {
  if (errors++ < MAX_ERRORS) batch.errors.push(path + ': line ' + line + ': ' + message)
}

function blank(buf, from, to) {
  for (let i = from; i < to; i++) {
    const c = buf[i]
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false
  }
  return true
}

function row(buf, from, to) {
  if (blank(buf, from, to)) return
  if (to > from && buf[to - 1] === 0x0d) to--
  const at = index++
  let value
  try {
    value = JSON.parse(buf.toString('utf8', from, to))
  } catch (e) {
    return error('invalid JSON: ' + e.message)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return error('expected a JSON object, found ' + found(value))
  const id = promptId(value)
  if (id === undefined) return error('row has no prompt_id and no prompt to derive one from')
  if (seen.has(id)) return
  seen.add(id)
  batch.ids.push(id)
  batch.index.push(at)
  if (lengths) batch.lengths.push(unitLengths(value))
  if (batch.ids.length >= BATCH) {
    parentPort.postMessage({ batch })
    fresh()
  }
}

function sha256File(p) {
  const h = createHash('sha256')
  const chunk = Buffer.allocUnsafe(4 << 20)
  const f = fs.openSync(p, 'r')
  try {
    for (let n; (n = fs.readSync(f, chunk, 0, chunk.length, null)) > 0; ) h.update(chunk.subarray(0, n))
  } finally {
    fs.closeSync(f)
  }
  return h.digest('hex')
}

function scanFile(sums) {
  const hash = createHash('sha256')
  const fd = fs.openSync(path, 'r')
  let buf = Buffer.allocUnsafe(8 << 20)
  let have = 0
  let first = true
  try {
    for (;;) {
      if (have === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2)
        buf.copy(bigger, 0, 0, have)
        buf = bigger
      }
      const n = fs.readSync(fd, buf, have, buf.length - have, null)
      if (n > 0) hash.update(buf.subarray(have, have + n))
      const end = have + n
      let from = 0
      if (first) {
        first = false
        if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) from = 3
      }
      if (n === 0) {
        if (from < end) row(buf, from, end)
        break
      }
      for (;;) {
        const nl = buf.indexOf(10, from)
        if (nl === -1 || nl >= end) break
        row(buf, from, nl)
        line++
        from = nl + 1
      }
      buf.copy(buf, 0, from, end)
      have = end - from
    }
  } finally {
    fs.closeSync(fd)
  }
  parentPort.postMessage({ batch })
  parentPort.postMessage({ scanned: true })
  sums[path] = hash.digest('hex')
}

try {
  const sums = {}
  // scan false: the rows came from the cache, only the hashes are wanted
  if (scan) scanFile(sums)
  else sums[path] = sha256File(path)
  for (const p of hashAlso) sums[p] = sha256File(p)
  parentPort.postMessage({ hashes: [path, ...hashAlso].map((p) => sums[p]) })
} catch (e) {
  parentPort.postMessage({ error: String(e && e.message || e) })
}
`

export interface SourceScanOptions {
  path: string
  kind: SchemaKind
  /** Keep each row's text lengths by address (the length-ratio filter needs them). */
  lengths: boolean
  /** Further files to hash, e.g. the translation. */
  hashAlso: string[]
  /** Keep the scan in the workspace's cache, and (with `reuse`) take it from there when the file is unchanged. */
  cache?: { workspace: string; reuse: boolean }
}

/** Digest of the scan's code: a cached scan holds only for the code that made it. */
const SCAN_CODE = createHash('sha256').update(SCAN_WORKER).digest('hex')

const NO_LENGTHS: Lengths = new Map<string, number>()

/**
 * The English shard as the worker reports it, batch by batch. `get` waits only as long as the worker has
 * not yet reached the row; translations keep the source's order, so it is nearly always there already.
 */
export class SourceScan {
  readonly byId = new Map<string, SourceEntry>()
  /** The first rows the worker could not use (at most five), as export warnings. */
  readonly warnings: string[] = []
  /** sha256 hex of the source, then of each `hashAlso` file. */
  readonly hashes: Promise<string[]>
  private scanned = false
  private failure: Error | undefined
  private wake: (() => void) | undefined
  private readonly worker: Worker
  private readonly cache: SourceScanCache | undefined
  /** The sha256 the cached scan was made of; undefined when the worker scanned. */
  private readonly cachedSum: string | undefined
  private readonly keepsLengths: boolean

  private constructor(opts: SourceScanOptions) {
    this.cache = opts.cache && new SourceScanCache(opts.cache.workspace, opts.path, opts.kind, SCAN_CODE)
    const cached = opts.cache?.reuse ? this.cache?.load(opts.lengths) : undefined
    if (cached) {
      this.addCached(cached.scan)
      this.scanned = true
      this.cachedSum = cached.sum
    }
    this.keepsLengths = opts.lengths
    const { path, kind, lengths, hashAlso } = opts
    this.worker = new Worker(SCAN_WORKER, { eval: true, workerData: { path, kind, lengths, hashAlso, scan: !cached } })
    let resolveHashes!: (h: string[]) => void
    let rejectHashes!: (e: Error) => void
    this.hashes = new Promise((res, rej) => ((resolveHashes = res), (rejectHashes = rej)))
    // An unobserved rejection must not crash the process if the export fails first.
    this.hashes.catch(() => undefined)
    const fail = (e: Error) => {
      this.failure ??= e
      rejectHashes(e)
      this.signal()
    }
    this.worker.on('message', (m: Message) => {
      if ('batch' in m) this.add(m.batch)
      else if ('scanned' in m) {
        this.scanned = true
        this.signal()
      } else if ('hashes' in m) resolveHashes(m.hashes)
      else fail(new Error(`${opts.path}: ${m.error}`))
    })
    this.worker.once('error', fail)
    this.worker.once('exit', (code) => fail(new Error(`source scan worker exited with code ${code}`)))
  }

  /** Null when no worker can start here; the caller reads the shard itself then. */
  static start(opts: SourceScanOptions): SourceScan | null {
    try {
      return new SourceScan(opts)
    } catch {
      return null
    }
  }

  private add(b: Batch): void {
    for (let i = 0; i < b.ids.length; i++) {
      const flat = b.lengths?.[i]
      const e: SourceEntry = { index: b.index[i], lengths: flat ? new FlatLengths(flat) : NO_LENGTHS }
      this.byId.set(b.ids[i], e)
    }
    this.warnings.push(...b.errors)
    this.signal()
  }

  private addCached(c: CachedScan): void {
    for (let i = 0; i < c.ids.length; i++) this.byId.set(c.ids[i], { index: c.index[i], lengths: c.lengths?.[i] ?? NO_LENGTHS })
    this.warnings.push(...c.errors)
  }

  private signal(): void {
    const w = this.wake
    this.wake = undefined
    w?.()
  }

  private next(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve))
  }

  async get(promptId: string): Promise<SourceEntry | undefined> {
    for (;;) {
      const e = this.byId.get(promptId)
      if (e || this.scanned) return e
      if (this.failure) throw this.failure
      await this.next()
    }
  }

  /** Resolves once every row of the source is in `byId`. */
  async done(): Promise<void> {
    while (!this.scanned) {
      if (this.failure) throw this.failure
      await this.next()
    }
  }

  /** Whether the rows came from the cache instead of the worker's scan. */
  get fromCache(): boolean {
    return this.cachedSum !== undefined
  }

  /**
   * Once the inputs' sha256 are known (English first): throws StaleCache when the cached scan was made of
   * other contents (a file rewritten in place with its size and time kept), else keeps a fresh scan in the
   * cache. A cache that cannot be written costs the next export time, not this one its result.
   */
  settle(sums: readonly string[]): void {
    if (this.cachedSum !== undefined) {
      if (sums[0] !== this.cachedSum) throw new StaleCache()
    } else if (this.cache && this.scanned) this.cache.save(this.scanRecord(), sums[0])
  }

  /** The worker's scan as its batches gave it, read back from `byId` (in scan order) and the warnings. */
  private scanRecord(): ScanRecord {
    const entries = [...this.byId.values()]
    const flat = (l: Lengths) => (l instanceof FlatLengths ? l.flat : [])
    return { ids: [...this.byId.keys()], index: entries.map((e) => e.index), lengths: this.keepsLengths ? entries.map((e) => flat(e.lengths)) : null, errors: this.warnings }
  }

  async close(): Promise<void> {
    await this.worker.terminate()
  }
}
