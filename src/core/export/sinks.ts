/**
 * Output files of one split: parquet (hyparquet-writer, HF column types: strings UTF8, scores DOUBLE,
 * message lists LIST<STRUCT<content, role>>) or JSON lines. Rows are written here (ParquetFile, one row
 * group at a time; JsonlFile) or, for large exports, sent in batches to the writer worker thread
 * (WriterThread), which takes encoding, compression and serialization off the export's thread. Both write
 * the same bytes for the same rows, and nothing time-dependent is written. `close` fsyncs.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs'
import type { Worker } from 'node:worker_threads'
import { columnsOf, JsonlFile, ParquetFile, type Fields } from './output-files'
import { packRows, type WriterWorkerReply, type WriterWorkerRequest } from './writer-worker-protocol'
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

class ParquetSink extends FileSink {
  private buffer: OutRow[] = []
  private readonly file: ParquetFile

  constructor(
    path: string,
    private readonly fields: Fields,
    private readonly rowGroupSize: number,
    kvMetadata: Record<string, string>,
  ) {
    super(path)
    this.file = new ParquetFile(this.fd, fields, kvMetadata)
  }

  add(row: OutRow): void {
    this.buffer.push(row)
    this.rows++
    if (this.buffer.length >= this.rowGroupSize) this.writeGroup()
  }

  private writeGroup(): void {
    if (this.buffer.length) this.file.writeGroup(columnsOf(this.fields, this.buffer))
    this.buffer = []
  }

  protected finish(): void {
    this.writeGroup()
    this.file.finish()
  }
}

class JsonlSink extends FileSink {
  private readonly file = new JsonlFile(this.fd)

  add(row: OutRow): void {
    this.file.add(row)
    this.rows++
  }

  protected finish(): void {
    this.file.finish()
  }
}

/** Batches sent to the worker and not yet written, per file: bounds the memory a slow writer can hold. */
const BATCHES_IN_FLIGHT = 2

class ThreadedSink extends FileSink {
  private batch: OutRow[] = []
  private readonly pending: Promise<void>[] = []
  private readonly id: number

  constructor(
    path: string,
    private readonly format: ExportFormat,
    private readonly fields: Fields,
    private readonly batchRows: number,
    kvMetadata: Record<string, string>,
    private readonly thread: WriterThread,
  ) {
    super(path)
    this.id = thread.open(this.fd, format, fields, kvMetadata)
  }

  add(row: OutRow): void | Promise<void> {
    this.batch.push(row)
    this.rows++
    if (this.batch.length >= this.batchRows) return this.send()
  }

  private send(): void | Promise<void> {
    if (!this.batch.length) return
    const write: WriterWorkerRequest = this.format === 'parquet' ? { write: this.id, packed: packRows(this.fields, this.batch) } : { write: this.id, rows: this.batch }
    this.pending.push(this.thread.request(this.id, write))
    this.batch = []
    if (this.pending.length > BATCHES_IN_FLIGHT) return this.pending.shift()
  }

  protected async finish(): Promise<void> {
    await this.send()
    await this.thread.request(this.id, { finish: this.id })
    // every earlier batch was written before the end; their results only matter if one failed
    await Promise.all(this.pending.splice(0))
  }

  protected stopWriting(): Promise<void> {
    return this.thread.close()
  }
}

/** The writer worker could not start: the export writes its files itself. */
export class WriterWorkerUnusable extends Error {}

type Waiter = { resolve: () => void; reject: (e: Error) => void }

/** One writer worker thread for the files of an export. */
export class WriterThread {
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
    worker.on('message', (m: WriterWorkerReply) => {
      if ('ready' in m) ready = true
      else if ('error' in m) fail(m.file === undefined ? new WriterWorkerUnusable(`the writer worker did not start: ${m.error}`) : new Error(`writer worker: ${m.error}`))
      else this.waiting.get('written' in m ? m.written : m.finished)?.shift()?.resolve()
    })
    worker.on('error', (e) => fail(ready ? e : new WriterWorkerUnusable(`the writer worker did not start: ${e.message}`)))
    worker.on('exit', (code) => fail(ready ? new Error(`writer worker exited with code ${code}`) : new WriterWorkerUnusable(`the writer worker exited with code ${code} before it started`)))
  }

  /** Undefined where no worker can start (a bundle shipped without dist/writer-worker.cjs). */
  static start(): WriterThread | undefined {
    const worker = spawnExportWorker('writer-worker', undefined)
    return worker ? new WriterThread(worker) : undefined
  }

  open(fd: number, format: ExportFormat, fields: Fields, kvMetadata: Record<string, string>): number {
    const id = this.nextFile++
    this.waiting.set(id, [])
    this.worker.postMessage({ open: id, format, fd, fields, kvMetadata } satisfies WriterWorkerRequest)
    return id
  }

  /** Sends a write or finish; resolves once the worker has done it. */
  request(file: number, m: WriterWorkerRequest): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    const p = new Promise<void>((resolve, reject) => this.waiting.get(file)!.push({ resolve, reject }))
    // a failure surfaces at the next add or at close; a batch nobody awaits yet must not reject unhandled
    p.catch(() => undefined)
    this.worker.postMessage(m)
    return p
  }

  close(): Promise<void> {
    this.failure ??= new Error('writer worker closed')
    return (this.closing ??= this.worker.terminate().then(() => undefined))
  }
}

export interface SinkOptions {
  rowGroupSize?: number
  kvMetadata?: Record<string, string>
  /** Encode and write the rows on this worker thread. */
  thread?: WriterThread
}

export function openSink(path: string, format: ExportFormat, fields: Fields, opts: SinkOptions = {}): Sink {
  const groups = opts.rowGroupSize ?? 5000
  const kv = opts.kvMetadata ?? {}
  // one message per row group (JSON lines have none, but batches of the same size)
  if (opts.thread) return new ThreadedSink(path, format, fields, groups, kv, opts.thread)
  return format === 'jsonl' ? new JsonlSink(path) : new ParquetSink(path, fields, groups, kv)
}

/** File name of a split inside `data/`, as `datasets` expects it (`train-00000-of-00001.parquet`). */
export function splitFileName(split: string, format: ExportFormat): string {
  return format === 'parquet' ? `${split}-00000-of-00001.parquet` : `${split}.jsonl`
}
