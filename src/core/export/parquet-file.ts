/**
 * One export parquet file: row groups in, footer on finish, written straight to an open file descriptor.
 * Used by the in-process sink and by the parquet worker thread (parquet-worker.ts), so both write the same
 * bytes for the same rows.
 */
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
