/**
 * One export data file, written straight to an open file descriptor: parquet (row groups in, footer on
 * finish) or JSON lines. Used by the in-process sinks and by the writer worker thread (writer-worker.ts),
 * so both write the same bytes for the same rows.
 */
import { writeSync } from 'node:fs'
import { ParquetWriter, type Writer } from 'hyparquet-writer'
import { snappyCompressor } from 'hysnappy'
import { FdWriter, parquetSchemaFor } from '../records/parquet-write'

export type Fields = Parameters<typeof parquetSchemaFor>[0]

/** A row group as hyparquet-writer takes it: one array of values per top-level column. */
export type Columns = { name: string; data: unknown[] }[]

export function columnsOf(fields: Fields, rows: readonly Record<string, unknown>[]): Columns {
  return fields.map((f) => ({ name: f.name, data: rows.map((r) => r[f.name] ?? null) }))
}

export class ParquetFile {
  private readonly writer: ParquetWriter

  constructor(fd: number, fields: Fields, kvMetadata: Record<string, string>) {
    this.writer = new ParquetWriter({
      writer: new FdWriter(fd) as unknown as Writer,
      schema: parquetSchemaFor(fields),
      // hysnappy (wasm) compresses about four times faster than the writer's built-in JS snappy.
      compressors: { SNAPPY: snappyCompressor() },
      // Min/max of long texts would bloat the footer and help no reader of a training set.
      statistics: false,
      kvMetadata: Object.entries(kvMetadata).map(([key, value]) => ({ key, value })),
      createdBy: 'phoenix export (hyparquet-writer)',
    })
  }

  /** Writes one row group (synchronously: FdWriter drains with writeSync). */
  writeGroup(columns: Columns): void {
    const rows = columns[0]?.data.length ?? 0
    if (rows) void this.writer.write({ columnData: columns, rowGroupSize: rows })
  }

  finish(): void {
    void this.writer.finish()
  }
}

/** JSON lines, gathered into writes of about 4 MB. */
export class JsonlFile {
  private buf: string[] = []
  private size = 0

  constructor(private readonly fd: number) {}

  add(row: Record<string, unknown>): void {
    const line = JSON.stringify(row) + '\n'
    this.buf.push(line)
    this.size += line.length
    if (this.size > 4 << 20) this.drain()
  }

  finish(): void {
    this.drain()
  }

  private drain(): void {
    if (!this.buf.length) return
    const bytes = Buffer.from(this.buf.join(''), 'utf8')
    this.buf = []
    this.size = 0
    let at = 0
    while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at)
  }
}
