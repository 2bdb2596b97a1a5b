/**
 * Output files of one split: parquet (hyparquet-writer, HF column types: strings UTF8, scores DOUBLE,
 * message lists LIST<STRUCT<content, role>>) or JSON lines. Rows are buffered one row group at a time and
 * written straight to the file; `close` fsyncs. Nothing time-dependent is written, so the same rows give
 * the same bytes.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs'
import { ParquetWriter, type Writer } from 'hyparquet-writer'
import { snappyCompressor } from 'hysnappy'
import { FdWriter, parquetSchemaFor } from '../records/parquet-write'
import type { DpoFormat, ExportFormat, ExportKind } from './types'

type Fields = Parameters<typeof parquetSchemaFor>[0]

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
  add(row: OutRow): void
  close(): void
  /** Close the file without finishing it (the export failed). */
  abort(): void
}

/** A new file ('wx': never over an existing one) that is fsync'd when finished and merely closed on abort. */
abstract class FileSink implements Sink {
  rows = 0
  protected readonly fd: number
  private closed = false

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx')
  }

  abstract add(row: OutRow): void
  /** Writes what is still buffered. */
  protected abstract finish(): void

  close(): void {
    this.finish()
    this.closed = true
    try {
      fsyncSync(this.fd)
    } finally {
      closeSync(this.fd)
    }
  }

  abort(): void {
    if (!this.closed) closeSync(this.fd)
    this.closed = true
  }
}

class ParquetSink extends FileSink {
  private buffer: OutRow[] = []
  private readonly writer: ParquetWriter

  constructor(
    path: string,
    private readonly fields: Fields,
    private readonly rowGroupSize: number,
    kvMetadata: Record<string, string>,
  ) {
    super(path)
    this.writer = new ParquetWriter({
      writer: new FdWriter(this.fd) as unknown as Writer,
      schema: parquetSchemaFor(fields),
      // hysnappy (wasm) compresses about four times faster than the writer's built-in JS snappy.
      compressors: { SNAPPY: snappyCompressor() },
      // Min/max of long texts would bloat the footer and help no reader of a training set.
      statistics: false,
      kvMetadata: Object.entries(kvMetadata).map(([key, value]) => ({ key, value })),
      createdBy: 'phoenix export (hyparquet-writer)',
    })
  }

  add(row: OutRow): void {
    this.buffer.push(row)
    this.rows++
    if (this.buffer.length >= this.rowGroupSize) this.writeGroup()
  }

  private writeGroup(): void {
    if (!this.buffer.length) return
    const rows = this.buffer
    this.buffer = []
    const columnData = this.fields.map((f) => ({ name: f.name, data: rows.map((r) => r[f.name] ?? null) }))
    void this.writer.write({ columnData, rowGroupSize: rows.length })
  }

  protected finish(): void {
    this.writeGroup()
    void this.writer.finish()
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

export function openSink(path: string, format: ExportFormat, fields: Fields, opts: { rowGroupSize?: number; kvMetadata?: Record<string, string> } = {}): Sink {
  return format === 'parquet' ? new ParquetSink(path, fields, opts.rowGroupSize ?? 5000, opts.kvMetadata ?? {}) : new JsonlSink(path)
}

/** File name of a split inside `data/`, as `datasets` expects it (`train-00000-of-00001.parquet`). */
export function splitFileName(split: string, format: ExportFormat): string {
  return format === 'parquet' ? `${split}-00000-of-00001.parquet` : `${split}.jsonl`
}
