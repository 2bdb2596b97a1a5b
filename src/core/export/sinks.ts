/**
 * Output files of one split: parquet (hyparquet-writer, HF column types: strings UTF8, scores DOUBLE,
 * message lists LIST<STRUCT<content, role>>) or JSON lines. Parquet rows are buffered one row group at a
 * time; a full group is encoded and written here (ParquetFile) or, for large exports, on the parquet worker
 * thread (ParquetThread), which takes encoding and compression off the export's thread. Both write the
 * same bytes for the same rows, and nothing time-dependent is written. `close` fsyncs.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs'
import type { Worker } from 'node:worker_threads'
import { columnsOf, ParquetFile, type Fields } from './parquet-file'
import type { ParquetWorkerReply, ParquetWorkerRequest } from './parquet-worker-protocol'
import type { DpoFormat, ExportFormat, ExportKind } from './types'
import { spawnExportWorker } from './worker-spawn'

const message: Fields = [
  { name: 'content', leaf: 'string' },
  { name: 'role', leaf: 'string' },
]

/** Output columns, in order. Rows handed to a sink have exactly these keys in this order. */
export function outputFields(kind: ExportKind, dpoFormat: DpoFormat): Fields {
  if (kind === 'sft') {
    return [
      { name: 'prompt', leaf: 'string' },
      { name: 'prompt_id', leaf: 'string' },
      { name: 'messages', structList: message },
    ]
  }
  const text = (name: string): Fields[number] => (dpoFormat === 'conversational' ? { name, structList: message } : { name, leaf: 'string' })
  return [
    text('prompt'),
    text('chosen'),
    text('rejected'),
    { name: 'prompt_id', leaf: 'string' },
    { name: 'score_chosen', leaf: 'double' },
    { name: 'score_rejected', leaf: 'double' },
  ]
}

export type OutRow = Record<string, unknown>

export interface Sink {
  readonly path: string
  readonly rows: number
  /** A promise when the caller should wait before adding more: the writer thread is behind. */
  add(row: OutRow): void | Promise<void>
  close(): Promise<void>
  /** Close the file without finishing it (the export failed); nothing writes to it afterwards. */
  abort(): Promise<void>
}

/** A new file ('wx': never over an existing one) that is fsync'd when finished and merely closed on abort. */
abstract class FileSink implements Sink {
  rows = 0
  protected readonly fd: number
  private closed = false

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx')
  }

  abstract add(row: OutRow): void | Promise<void>
  /** Writes what is still buffered. */
  protected abstract finish(): void | Promise<void>
  /** Stops whatever else may still write to the file. */
  protected stopWriting(): Promise<void> | void {}

  async close(): Promise<void> {
    await this.finish()
    this.closed = true
    try {
      fsyncSync(this.fd)
    } finally {
      closeSync(this.fd)
    }
  }

  async abort(): Promise<void> {
    // a descriptor closed while a worker still writes to it could be reused by the next open file
    await this.stopWriting()
    if (!this.closed) closeSync(this.fd)
    this.closed = true
  }
}

abstract class ParquetSinkBase extends FileSink {
  private buffer: OutRow[] = []

  constructor(
    path: string,
    protected readonly fields: Fields,
    private readonly rowGroupSize: number,
  ) {
    super(path)
  }

  add(row: OutRow): void | Promise<void> {
    this.buffer.push(row)
    this.rows++
    if (this.buffer.length >= this.rowGroupSize) return this.flush()
  }

  protected flush(): void | Promise<void> {
    if (!this.buffer.length) return
    const rows = this.buffer
    this.buffer = []
    return this.writeGroup(rows)
  }

  protected abstract writeGroup(rows: OutRow[]): void | Promise<void>
}

class ParquetSink extends ParquetSinkBase {
  private readonly file: ParquetFile

  constructor(path: string, fields: Fields, rowGroupSize: number, kvMetadata: Record<string, string>) {
    super(path, fields, rowGroupSize)
    this.file = new ParquetFile(this.fd, fields, kvMetadata)
  }

  protected writeGroup(rows: OutRow[]): void {
    this.file.writeGroup(columnsOf(this.fields, rows))
  }

  protected finish(): void {
    this.flush()
    this.file.finish()
  }
}

/** Row groups sent to the worker and not yet written, per file: bounds the memory a slow writer can hold. */
const GROUPS_IN_FLIGHT = 2

class ThreadedParquetSink extends ParquetSinkBase {
  private readonly pending: Promise<void>[] = []
  private readonly id: number

  constructor(path: string, fields: Fields, rowGroupSize: number, kvMetadata: Record<string, string>, private readonly thread: ParquetThread) {
    super(path, fields, rowGroupSize)
    this.id = thread.open(this.fd, fields, kvMetadata)
  }

  protected writeGroup(rows: OutRow[]): void | Promise<void> {
    this.pending.push(this.thread.request(this.id, { write: this.id, columns: columnsOf(this.fields, rows) }))
    if (this.pending.length > GROUPS_IN_FLIGHT) return this.pending.shift()
  }

  protected async finish(): Promise<void> {
    await this.flush()
    await this.thread.request(this.id, { finish: this.id })
    // every earlier group was written before the footer; their results only matter if one failed
    await Promise.all(this.pending.splice(0))
  }

  protected stopWriting(): Promise<void> {
    return this.thread.close()
  }
}

/** The parquet worker could not start: the export writes its parquet files itself. */
export class ParquetWorkerUnusable extends Error {}

type Waiter = { resolve: () => void; reject: (e: Error) => void }

/** One parquet worker thread for the files of an export. */
export class ParquetThread {
  private nextFile = 1
  /** Per file, the requests whose reply is due, oldest first (the worker answers each file in order). */
  private readonly waiting = new Map<number, Waiter[]>()
  private failure: Error | undefined
  private closing: Promise<void> | undefined

  private constructor(private readonly worker: Worker) {
    let ready = false
    const fail = (e: Error) => {
      this.failure ??= e
      for (const list of this.waiting.values()) for (const w of list.splice(0)) w.reject(this.failure)
    }
    worker.on('message', (m: ParquetWorkerReply) => {
      if ('ready' in m) ready = true
      else if ('error' in m) fail(m.file === undefined ? new ParquetWorkerUnusable(`the parquet worker did not start: ${m.error}`) : new Error(`parquet worker: ${m.error}`))
      else this.waiting.get('written' in m ? m.written : m.finished)?.shift()?.resolve()
    })
    worker.on('error', (e) => fail(ready ? e : new ParquetWorkerUnusable(`the parquet worker did not start: ${e.message}`)))
    worker.on('exit', (code) => fail(ready ? new Error(`parquet worker exited with code ${code}`) : new ParquetWorkerUnusable(`the parquet worker exited with code ${code} before it started`)))
  }

  /** Undefined where no worker can start (a bundle shipped without dist/parquet-worker.cjs). */
  static start(): ParquetThread | undefined {
    const worker = spawnExportWorker('parquet-worker', undefined)
    return worker ? new ParquetThread(worker) : undefined
  }

  open(fd: number, fields: Fields, kvMetadata: Record<string, string>): number {
    const id = this.nextFile++
    this.waiting.set(id, [])
    this.worker.postMessage({ open: id, fd, fields, kvMetadata } satisfies ParquetWorkerRequest)
    return id
  }

  /** Sends a write or finish; resolves once the worker has done it. */
  request(file: number, m: ParquetWorkerRequest): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    const p = new Promise<void>((resolve, reject) => this.waiting.get(file)!.push({ resolve, reject }))
    // a failure surfaces at the next add or at close; a group nobody awaits yet must not reject unhandled
    p.catch(() => undefined)
    this.worker.postMessage(m)
    return p
  }

  close(): Promise<void> {
    this.failure ??= new Error('parquet worker closed')
    return (this.closing ??= this.worker.terminate().then(() => undefined))
  }
}

class JsonlSink extends FileSink {
  private buf: string[] = []
  private size = 0

  add(row: OutRow): void {
    const line = JSON.stringify(row) + '\n'
    this.buf.push(line)
    this.size += line.length
    this.rows++
    if (this.size > 4 << 20) this.drain()
  }

  private drain(): void {
    if (!this.buf.length) return
    const bytes = Buffer.from(this.buf.join(''), 'utf8')
    this.buf = []
    this.size = 0
    let at = 0
    while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at)
  }

  protected finish(): void {
    this.drain()
  }
}

export interface SinkOptions {
  rowGroupSize?: number
  kvMetadata?: Record<string, string>
  /** Encode and write parquet row groups on this worker thread. */
  thread?: ParquetThread
}

export function openSink(path: string, format: ExportFormat, fields: Fields, opts: SinkOptions = {}): Sink {
  if (format === 'jsonl') return new JsonlSink(path)
  const groups = opts.rowGroupSize ?? 5000
  const kv = opts.kvMetadata ?? {}
  return opts.thread ? new ThreadedParquetSink(path, fields, groups, kv, opts.thread) : new ParquetSink(path, fields, groups, kv)
}

/** File name of a split inside `data/`, as `datasets` expects it (`train-00000-of-00001.parquet`). */
export function splitFileName(split: string, format: ExportFormat): string {
  return format === 'parquet' ? `${split}-00000-of-00001.parquet` : `${split}.jsonl`
}
