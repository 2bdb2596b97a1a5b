import { open, type FileHandle } from 'node:fs/promises'
import { ShardOpenError, type Row, type RowResult, type Shard } from './types'
import { decodeUtf8 } from './utf8'

const CHUNK = 4 << 20
/** Rows streamed by `rows()` are read in blocks of about this size, so a scan is not one syscall per row. */
const SCAN_BLOCK = 8 << 20

/** Growable typed arrays: the index costs 20 bytes per row whatever the row's size. */
class RowIndex {
  starts = new Float64Array(1024)
  ends = new Float64Array(1024)
  lines = new Uint32Array(1024)
  length = 0
  push(start: number, end: number, line: number) {
    if (this.length === this.starts.length) {
      const grow = <T extends Float64Array | Uint32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2)
        b.set(a)
        return b
      }
      this.starts = grow(this.starts)
      this.ends = grow(this.ends)
      this.lines = grow(this.lines)
    }
    this.starts[this.length] = start
    this.ends[this.length] = end
    this.lines[this.length] = line
    this.length++
  }
}

function isBlank(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = buf[i]
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false
  }
  return true
}

/**
 * A JSON-lines shard. Opening builds a byte-offset index by scanning for newlines without parsing
 * rows; rows are parsed only when read. Handles a UTF-8 BOM, CRLF, blank lines, a last line without
 * a newline and rows larger than the scan chunk.
 */
export class JsonlShard implements Shard {
  readonly format = 'jsonl' as const
  private constructor(
    readonly path: string,
    private fh: FileHandle,
    private index: RowIndex,
    readonly byteLength: number,
  ) {}

  get rowCount(): number {
    return this.index.length
  }

  /** 1-based line number of a row, for error messages and editor diagnostics. */
  lineOf(index: number): number {
    return this.index.lines[index]
  }

  static async open(path: string): Promise<JsonlShard> {
    let fh: FileHandle
    try {
      fh = await open(path, 'r')
    } catch (e) {
      throw new ShardOpenError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message)
    }
    try {
      const { size } = await fh.stat()
      const index = await buildIndex(fh, size)
      return new JsonlShard(path, fh, index, size)
    } catch (e) {
      await fh.close()
      throw new ShardOpenError(path, (e as Error).message)
    }
  }

  async read(index: number): Promise<RowResult> {
    if (!(index >= 0 && index < this.rowCount)) throw new RangeError(`row ${index} out of range 0..${this.rowCount - 1}`)
    const start = this.index.starts[index]
    const len = this.index.ends[index] - start
    const buf = Buffer.allocUnsafe(len)
    await this.fh.read(buf, 0, len, start)
    return this.parse(index, buf, 0, len)
  }

  async *rows(start = 0, end = this.rowCount): AsyncIterable<RowResult> {
    end = Math.min(end, this.rowCount)
    let i = Math.max(0, start)
    let block = Buffer.allocUnsafe(SCAN_BLOCK)
    while (i < end) {
      const blockStart = this.index.starts[i]
      let j = i
      while (j < end && this.index.ends[j] - blockStart <= block.length) j++
      if (j === i) {
        // A single row larger than the block: grow the block for it alone.
        block = Buffer.allocUnsafe(this.index.ends[i] - blockStart)
        j = i + 1
      }
      const blockLen = this.index.ends[j - 1] - blockStart
      await this.fh.read(block, 0, blockLen, blockStart)
      for (let k = i; k < j; k++) {
        yield this.parse(k, block, this.index.starts[k] - blockStart, this.index.ends[k] - blockStart)
      }
      i = j
    }
  }

  private parse(index: number, buf: Buffer, from: number, to: number): RowResult {
    const line = this.index.lines[index]
    let value: unknown
    try {
      value = JSON.parse(decodeUtf8(buf, from, to))
    } catch (e) {
      return { index, error: { line, message: `invalid JSON: ${(e as Error).message}` } }
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
      return { index, error: { line, message: `expected a JSON object, found ${found}` } }
    }
    return { index, row: value as Row }
  }

  async close(): Promise<void> {
    await this.fh.close()
  }
}

async function buildIndex(fh: FileHandle, size: number): Promise<RowIndex> {
  const index = new RowIndex()
  const full = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)))
  let pos = 0
  let lineStart = 0
  let line = 1
  // Lines that begin in an earlier chunk are long; only their first bytes decide blankness.
  let carryBlank = true
  while (pos < size) {
    const { bytesRead } = await fh.read(full, 0, Math.min(full.length, size - pos), pos)
    if (bytesRead === 0) break
    // Search only what this read filled: stale bytes past it hold an earlier chunk's newlines.
    const buf = bytesRead < full.length ? full.subarray(0, bytesRead) : full
    let from = 0
    if (pos === 0 && bytesRead >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      from = 3
      lineStart = 3
    }
    while (true) {
      const nl = buf.indexOf(10, from)
      const stop = nl === -1 ? bytesRead : nl
      const localStart = Math.max(lineStart - pos, 0)
      const blank: boolean = carryBlank && isBlank(buf, localStart, stop)
      if (nl === -1) {
        carryBlank = blank
        break
      }
      const abs = pos + nl
      if (!blank) index.push(lineStart, abs > lineStart && buf[nl - 1] === 0x0d ? abs - 1 : abs, line)
      line++
      lineStart = abs + 1
      carryBlank = true
      from = nl + 1
    }
    pos += bytesRead
  }
  if (lineStart < size && !carryBlank) {
    // Last line without a trailing newline; CR is stripped like any other line end.
    const last = Buffer.allocUnsafe(1)
    await fh.read(last, 0, 1, size - 1)
    index.push(lineStart, last[0] === 0x0d ? size - 1 : size, line)
  }
  return index
}
