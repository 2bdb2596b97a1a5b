import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { SchemaElement } from 'hyparquet'
import { ByteWriter, parquetWriteRows, type Writer } from 'hyparquet-writer'
import type { Row, SchemaKind } from './types'

/**
 * Writes shards with the column types Hugging Face uses for these datasets, so a file written here reads
 * the same in hyparquet, DuckDB, pandas and `datasets` as the published shards:
 * strings are UTF8 byte arrays, scores DOUBLE, message lists LIST<STRUCT<content, role[, original]>>.
 *
 * One deliberate difference: a raw UltraFeedback completion's `annotations` is stored as a UTF8 column
 * with the JSON logical type. Its inner shape varies between rows (lists of {Rating, Rationale, Type, …}),
 * and a JSON column keeps every variant intact: hyparquet parses it back into the same object, DuckDB
 * reads it as a JSON value.
 */

export type RowSource = Iterable<Row> | AsyncIterable<Row>

export interface ParquetWriteOpts {
  /** Rows per row group (default 5000). A row group is the unit readers decode at once. */
  rowGroupSize?: number
  /** Add the `original` field (pairing mode b) to message structs even if the first rows have none. */
  withOriginal?: boolean
  /** Extra key/value metadata stored in the footer. */
  metadata?: Record<string, string>
}

type Leaf = 'string' | 'double' | 'json'

/** A column or struct field of the output schema, described once and turned into parquet elements. */
type Field =
  | { name: string; leaf: Leaf }
  | { name: string; list: Leaf }
  | { name: string; structList: Field[] }

const str = (name: string): Field => ({ name, leaf: 'string' })
const dbl = (name: string): Field => ({ name, leaf: 'double' })

function messageFields(withOriginal: boolean): Field[] {
  return withOriginal ? [str('content'), str('role'), str('original')] : [str('content'), str('role')]
}

/** Top-level columns for a kind, in the order the published datasets have them. */
export function shardFields(kind: SchemaKind, shape: RowShape): Field[] {
  const msgs = (name: string): Field => ({ name, structList: messageFields(shape.original) })
  switch (kind) {
    case 'ultrachat':
      return [str('prompt'), str('prompt_id'), msgs('messages')]
    case 'ultrafeedback-binarized':
      return [str('prompt'), str('prompt_id'), msgs('chosen'), msgs('rejected'), msgs('messages'), dbl('score_chosen'), dbl('score_rejected')]
    case 'messages':
      return [msgs('messages')]
    case 'ultrafeedback-raw': {
      const completion: Field[] = [
        str('model'),
        str('response'),
        { name: 'annotations', leaf: 'json' },
        dbl('fine-grained_score'),
        dbl('overall_score'),
        str('custom_system_prompt'),
        str('principle'),
        str('critique'),
      ]
      if (shape.original) completion.push(str('original'))
      const fields: Field[] = [
        str('source'),
        str('instruction'),
        { name: 'models', list: 'string' },
        { name: 'completions', structList: completion },
        { name: 'correct_answers', list: 'string' },
        { name: 'incorrect_answers', list: 'string' },
      ]
      // A translated raw row cannot rehash its German instruction, so it may carry the English id or text.
      if (shape.promptId) fields.push(str('prompt_id'))
      if (shape.instructionOriginal) fields.push(str('instruction_original'))
      return fields
    }
  }
}

/** Optional columns and struct fields, decided from the rows seen before the first row group is written. */
export interface RowShape {
  original: boolean
  promptId: boolean
  instructionOriginal: boolean
}

function observe(shape: RowShape, row: Row): void {
  if (typeof row.prompt_id === 'string') shape.promptId = true
  if (typeof row.instruction_original === 'string') shape.instructionOriginal = true
  if (shape.original) return
  for (const list of ['messages', 'chosen', 'rejected', 'completions']) {
    const v = row[list]
    if (Array.isArray(v) && v.some((m) => m && typeof m === 'object' && typeof (m as Row).original === 'string')) {
      shape.original = true
      return
    }
  }
}

function leafElement(name: string, leaf: Leaf): SchemaElement {
  if (leaf === 'double') return { name, type: 'DOUBLE', repetition_type: 'OPTIONAL' }
  return { name, type: 'BYTE_ARRAY', converted_type: leaf === 'json' ? 'JSON' : 'UTF8', repetition_type: 'OPTIONAL' }
}

function fieldElements(f: Field): SchemaElement[] {
  if ('leaf' in f) return [leafElement(f.name, f.leaf)]
  // The three-level LIST layout (list / element) that Arrow, and so `datasets`, writes.
  const list: SchemaElement[] = [
    { name: f.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  ]
  if ('list' in f) return [...list, leafElement('element', f.list)]
  return [...list, { name: 'element', repetition_type: 'OPTIONAL', num_children: f.structList.length }, ...f.structList.flatMap(fieldElements)]
}

/** The flattened parquet schema (root first) for a list of top-level fields. */
export function parquetSchemaFor(fields: Field[]): SchemaElement[] {
  return [{ name: 'root', num_children: fields.length }, ...fields.flatMap(fieldElements)]
}

/** Thrown for a row that cannot be stored in its kind's columns; names the row and the field. */
export class RowShapeError extends Error {
  constructor(
    readonly row: number,
    readonly address: string,
    message: string,
  ) {
    super(`row ${row}: ${address} ${message}`)
    this.name = 'RowShapeError'
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  return `a ${typeof v}`
}

/** Maps a row onto exactly the columns of the schema: absent values become nulls, wrong types are errors. */
function conform(fields: Field[], row: Record<string, unknown>, index: number, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    const v = row[f.name]
    const at = prefix + f.name
    if (v === undefined || v === null) {
      out[f.name] = null
    } else if ('leaf' in f) {
      out[f.name] = conformLeaf(f.leaf, v, index, at)
    } else if (!Array.isArray(v)) {
      throw new RowShapeError(index, at, `should be a list, found ${describe(v)}`)
    } else if ('list' in f) {
      out[f.name] = v.map((x, i) => (x === null || x === undefined ? null : conformLeaf(f.list, x, index, `${at}/${i}`)))
    } else {
      out[f.name] = v.map((x, i) => {
        if (x === null || x === undefined) return null
        if (typeof x !== 'object' || Array.isArray(x)) throw new RowShapeError(index, `${at}/${i}`, `should be an object, found ${describe(x)}`)
        return conform(f.structList, x as Record<string, unknown>, index, `${at}/${i}/`)
      })
    }
  }
  return out
}

function conformLeaf(leaf: Leaf, v: unknown, index: number, at: string): unknown {
  switch (leaf) {
    case 'string':
      if (typeof v !== 'string') throw new RowShapeError(index, at, `should be a string, found ${describe(v)}`)
      return v
    case 'double':
      if (typeof v === 'number') return v
      if (typeof v === 'bigint') return Number(v)
      throw new RowShapeError(index, at, `should be a number, found ${describe(v)}`)
    case 'json':
      // The writer encodes JSON-typed columns itself (JSON.stringify of the value).
      return v
  }
}

/**
 * A parquet sink that appends to an open file descriptor: bytes leave memory as each row group is written,
 * so a large shard never sits in memory whole. (hyparquet-writer's own fileWriter reopens the file for
 * every megabyte.)
 */
export class FdWriter extends ByteWriter {
  private static readonly CHUNK = 4 << 20

  constructor(private readonly fd: number) {
    super(1 << 20)
  }

  override ensure(size: number): void {
    if (this.index > FdWriter.CHUNK) this.drain()
    super.ensure(size)
  }

  flush(): void {
    this.drain()
  }

  override finish(): void {
    this.drain()
  }

  private drain(): void {
    let at = 0
    while (at < this.index) at += writeSync(this.fd, new Uint8Array(this.buffer, at, this.index - at))
    this.index = 0
  }

  override getBuffer(): never {
    throw new Error('a file writer keeps no buffer')
  }

  override getBytes(): never {
    throw new Error('a file writer keeps no buffer')
  }
}

/** A temporary name next to `path`, so the final rename stays on one file system and is atomic. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`)
}

/**
 * Runs `write` against a temporary file next to `path` and renames it over `path` only when `write`
 * succeeds (after an fsync), so readers never see half a shard and a failed write leaves the old file.
 */
export async function withAtomicFile<T>(path: string, write: (tempPath: string) => Promise<T> | T): Promise<T> {
  const tmp = tempPathFor(path)
  try {
    const result = await write(tmp)
    const fd = openSync(tmp, 'r+')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
    return result
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}

async function* asAsync(rows: RowSource): AsyncGenerator<Row> {
  yield* rows as AsyncIterable<Row>
}

/**
 * Writes rows of one kind to a parquet file, atomically, one row group at a time: `rows` may be an array,
 * a generator or an async iterable, and only one row group is held in memory. Optional columns
 * (`original`, raw `prompt_id`, `instruction_original`) are decided from the first row group unless
 * `opts.withOriginal` asks for `original` up front. Returns the number of rows written.
 */
export async function writeShardParquet(path: string, kind: SchemaKind, rows: RowSource, opts: ParquetWriteOpts = {}): Promise<number> {
  const rowGroupSize = opts.rowGroupSize ?? 5000
  if (!(Number.isInteger(rowGroupSize) && rowGroupSize > 0)) throw new RangeError(`rowGroupSize must be a positive integer, got ${rowGroupSize}`)
  const it = asAsync(rows)[Symbol.asyncIterator]()
  const first: Row[] = []
  let done = false
  while (first.length < rowGroupSize) {
    const n = await it.next()
    if (n.done) {
      done = true
      break
    }
    first.push(n.value)
  }
  const shape: RowShape = { original: !!opts.withOriginal, promptId: false, instructionOriginal: false }
  for (const r of first) observe(shape, r)
  const fields = shardFields(kind, shape)
  const schema = parquetSchemaFor(fields)
  let count = 0
  async function* conformed(): AsyncGenerator<Record<string, unknown>> {
    for (const r of first) yield conform(fields, r, count++, '')
    first.length = 0
    if (done) return
    for (let n = await it.next(); !n.done; n = await it.next()) yield conform(fields, n.value, count++, '')
  }
  const kvMetadata = Object.entries({ 'phoenix.kind': kind, ...opts.metadata }).map(([key, value]) => ({ key, value }))
  await withAtomicFile(path, async (tmp) => {
    const fd = openSync(tmp, 'w')
    try {
      const writer = new FdWriter(fd) as unknown as Writer
      await parquetWriteRows({
        writer,
        rows: conformed(),
        columns: fields.map((f) => ({ name: f.name })),
        schema,
        rowGroupSize,
        kvMetadata,
        createdBy: 'phoenix (hyparquet-writer)',
      })
    } finally {
      closeSync(fd)
    }
  })
  return count
}

/** Writes rows as JSON lines, atomically. Returns the number of rows written. */
export async function writeShardJsonl(path: string, rows: RowSource): Promise<number> {
  let count = 0
  await withAtomicFile(path, async (tmp) => {
    const out = createWriteStream(tmp)
    const failed = new Promise<never>((_, reject) => out.once('error', reject))
    const write = async (s: string) => {
      if (!out.write(s)) await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed])
    }
    let buf = ''
    for await (const r of rows as AsyncIterable<Row>) {
      buf += JSON.stringify(r) + '\n'
      count++
      if (buf.length > 1 << 20) {
        await write(buf)
        buf = ''
      }
    }
    if (buf) await write(buf)
    await Promise.race([new Promise<void>((r) => out.end(() => r())), failed])
  })
  return count
}

/** Writes a shard in the format its extension names (`.parquet`, else JSON lines), atomically. */
export function writeShard(path: string, kind: SchemaKind, rows: RowSource, opts: ParquetWriteOpts = {}): Promise<number> {
  return path.toLowerCase().endsWith('.parquet') ? writeShardParquet(path, kind, rows, opts) : writeShardJsonl(path, rows)
}
