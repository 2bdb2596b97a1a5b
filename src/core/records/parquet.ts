import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { ShardOpenError, type Row, type RowResult, type Shard } from './types'

/**
 * A parquet shard. The row count comes from the footer at once; row groups are decoded lazily, and a
 * single-row read uses the offset index so only the pages holding that row are fetched.
 */
export class ParquetShard implements Shard {
  readonly format = 'parquet' as const
  readonly rowCount: number
  /** First row index of each row group, plus the total at the end. */
  private readonly groupStarts: number[]

  private constructor(
    readonly path: string,
    private file: AsyncBuffer,
    readonly metadata: FileMetaData,
  ) {
    this.rowCount = Number(metadata.num_rows)
    this.groupStarts = [0]
    for (const rg of metadata.row_groups) this.groupStarts.push(this.groupStarts[this.groupStarts.length - 1] + Number(rg.num_rows))
  }

  static async open(path: string): Promise<ParquetShard> {
    let file: AsyncBuffer
    try {
      file = await asyncBufferFromFile(path)
    } catch (e) {
      throw new ShardOpenError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message)
    }
    try {
      const metadata = await parquetMetadataAsync(file)
      return new ParquetShard(path, file, metadata)
    } catch (e) {
      throw new ShardOpenError(path, `not a readable parquet file: ${(e as Error).message}`)
    }
  }

  /** Top-level column names from the footer schema. */
  get fields(): string[] {
    return parquetSchema(this.metadata).children.map((c) => c.element.name)
  }

  get rowGroupCount(): number {
    return this.metadata.row_groups.length
  }

  async read(index: number): Promise<RowResult> {
    if (!(index >= 0 && index < this.rowCount)) throw new RangeError(`row ${index} out of range 0..${this.rowCount - 1}`)
    try {
      const [row] = await parquetReadObjects({ file: this.file, metadata: this.metadata, compressors, rowStart: index, rowEnd: index + 1, useOffsetIndex: true })
      return { index, row: normalize(row) }
    } catch (e) {
      return { index, error: { row: index, message: `cannot decode row: ${(e as Error).message}` } }
    }
  }

  async *rows(start = 0, end = this.rowCount): AsyncIterable<RowResult> {
    end = Math.min(end, this.rowCount)
    for (let g = 0; g < this.rowGroupCount; g++) {
      const gs = this.groupStarts[g]
      const ge = this.groupStarts[g + 1]
      if (ge <= start || gs >= end) continue
      const from = Math.max(gs, start)
      const to = Math.min(ge, end)
      let rows: Record<string, unknown>[]
      try {
        rows = await parquetReadObjects({ file: this.file, metadata: this.metadata, compressors, rowStart: from, rowEnd: to })
      } catch (e) {
        // A damaged row group costs its own rows, each reported; the other groups still load.
        const message = `cannot decode row group ${g}: ${(e as Error).message}`
        for (let i = from; i < to; i++) yield { index: i, error: { row: i, message } }
        continue
      }
      for (let i = 0; i < rows.length; i++) yield { index: from + i, row: normalize(rows[i]) }
    }
  }

  async close(): Promise<void> {}
}

/** Parquet INT64 values arrive as bigint; JSON-shaped rows want numbers where they fit. */
function normalize(row: Record<string, unknown>): Row {
  for (const k in row) {
    const v = row[k]
    if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) row[k] = Number(v)
  }
  return row
}
