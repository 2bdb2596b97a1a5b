// `npm run gen -- --kind ultrachat --rows 1000 --format jsonl --out en.jsonl`: synthetic shards for tests,
// benchmarks and demos. `generateShardFile` is the same thing as a function, for the benchmark.
import { closeSync, openSync, statSync, writeSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { withAtomicFile, writeShardParquet } from '../core/records/parquet-write'
import type { Row } from '../core/records/types'
import { generate, SYNTH_KINDS, type Lang, type SynthKind } from '../core/synth'

export interface GenerateShardOptions {
  kind: SynthKind
  /** Rows to write; may be left out when `bytes` bounds the file instead. */
  rows?: number
  /** Defaults to the extension of `out` (.parquet, else jsonl). */
  format?: 'jsonl' | 'parquet'
  lang?: Lang
  seed?: number
  out: string
  /** JSONL only: stop once the file holds at least this many bytes (whole rows, so slightly more). */
  bytes?: number
  /** Parquet only: rows per row group. */
  rowGroupSize?: number
}

export interface GenerateShardResult {
  path: string
  format: 'jsonl' | 'parquet'
  rows: number
  /** Bytes written (JSONL: exact; parquet: the file size). */
  bytes: number
}

/** Writes a synthetic shard to `out` atomically (temporary file, then rename). */
export async function generateShardFile(opts: GenerateShardOptions): Promise<GenerateShardResult> {
  const format = opts.format ?? (opts.out.toLowerCase().endsWith('.parquet') ? 'parquet' : 'jsonl')
  const path = resolve(opts.out)
  if (opts.rows === undefined && opts.bytes === undefined) throw new Error('give rows, bytes or both')
  if (opts.bytes !== undefined && format !== 'jsonl') throw new Error('bytes applies to jsonl output only')
  const rows = generate({ kind: opts.kind, rows: opts.rows ?? Infinity, seed: opts.seed, lang: opts.lang })
  if (format === 'parquet') {
    const n = await writeShardParquet(path, opts.kind, rows, { rowGroupSize: opts.rowGroupSize })
    return { path, format, rows: n, bytes: statSync(path).size }
  }
  return withAtomicFile(path, (tmp) => {
    const fd = openSync(tmp, 'w')
    try {
      return { path, format, ...writeJsonl((chunk) => writeAll(fd, chunk), rows, opts.bytes) }
    } finally {
      closeSync(fd)
    }
  })
}

function writeAll(fd: number, buf: Buffer): void {
  let at = 0
  while (at < buf.length) {
    try {
      at += writeSync(fd, buf, at)
    } catch (e) {
      // A non-blocking pipe on standard output may be full for a moment: wait briefly and retry.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)
    }
  }
}

/** Serializes rows into ~1 MB chunks, each row once; stops after the row that reaches `maxBytes`. */
function writeJsonl(sink: (chunk: Buffer) => void, rows: Iterable<Row>, maxBytes = Infinity): { rows: number; bytes: number } {
  let n = 0
  let bytes = 0
  let chunk = ''
  let chunkBytes = 0
  for (const row of rows) {
    const line = JSON.stringify(row) + '\n'
    const len = Buffer.byteLength(line)
    chunk += line
    chunkBytes += len
    bytes += len
    n++
    if (chunkBytes > 1 << 20) {
      sink(Buffer.from(chunk))
      chunk = ''
      chunkBytes = 0
    }
    if (bytes >= maxBytes) break
  }
  if (chunk) sink(Buffer.from(chunk))
  return { rows: n, bytes }
}

const USAGE = `usage: npm run gen -- --kind KIND (--rows N | --bytes B) [options]

  --kind KIND          ${SYNTH_KINDS.join(' | ')}
  --rows N             number of rows
  --bytes B            jsonl only: stop at about B bytes (suffixes k, m, g allowed: 1g = 1 GiB)
  --format FORMAT      jsonl | parquet (default: from the --out extension, else jsonl)
  --lang LANG          en | de (default en); de gives the German counterpart of the same rows
  --seed S             integer seed (default 1); the same seed gives the same rows
  --out FILE           output file (default: jsonl to standard output)
  --row-group-size N   parquet rows per row group (default 5000)`

class UsageError extends Error {}

const FLAGS = new Set(['kind', 'rows', 'bytes', 'format', 'lang', 'seed', 'out', 'row-group-size'])

export function parseGenArgs(argv: string[]): Omit<GenerateShardOptions, 'out'> & { out?: string } {
  const v: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--help' || a === '-h') throw new UsageError('')
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a)
    if (!m) throw new UsageError(`unexpected argument "${a}"`)
    const [, name, inline] = m
    if (!FLAGS.has(name)) throw new UsageError(`unknown option --${name}`)
    const value = inline ?? argv[++i]
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`)
    v[name] = value
  }
  if (!v.kind) throw new UsageError('--kind is required')
  if (!SYNTH_KINDS.includes(v.kind as SynthKind)) throw new UsageError(`unknown --kind "${v.kind}"; expected ${SYNTH_KINDS.join(', ')}`)
  if (v.format !== undefined && v.format !== 'jsonl' && v.format !== 'parquet') throw new UsageError(`unknown --format "${v.format}"; expected jsonl or parquet`)
  if (v.lang !== undefined && v.lang !== 'en' && v.lang !== 'de') throw new UsageError(`unknown --lang "${v.lang}"; expected en or de`)
  const int = (name: string, min: number): number | undefined => {
    if (v[name] === undefined) return undefined
    if (!/^-?\d+$/.test(v[name])) throw new UsageError(`--${name} must be a whole number, got "${v[name]}"`)
    const n = Number(v[name])
    if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be at least ${min}, got ${v[name]}`)
    return n
  }
  const rows = int('rows', 0)
  const seed = int('seed', -(2 ** 31))
  const rowGroupSize = int('row-group-size', 1)
  let bytes: number | undefined
  if (v.bytes !== undefined) {
    const m = /^(\d+(?:\.\d+)?)([kmg]?)i?b?$/i.exec(v.bytes)
    if (!m) throw new UsageError(`--bytes must be a size like 5000000, 200m or 1g, got "${v.bytes}"`)
    bytes = Math.round(Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2].toLowerCase() || ' '))
  }
  if (rows === undefined && bytes === undefined) throw new UsageError('give --rows N or --bytes B')
  const format = (v.format as 'jsonl' | 'parquet' | undefined) ?? (v.out?.toLowerCase().endsWith('.parquet') ? 'parquet' : 'jsonl')
  if (format === 'parquet' && (v.out === undefined || v.out === '-')) throw new UsageError('parquet output needs --out FILE')
  if (bytes !== undefined && format !== 'jsonl') throw new UsageError('--bytes applies to jsonl output only')
  if (rowGroupSize !== undefined && format !== 'parquet') throw new UsageError('--row-group-size applies to parquet output only')
  return { kind: v.kind as SynthKind, rows, bytes, format, lang: v.lang as Lang | undefined, seed, out: v.out, rowGroupSize }
}

async function main(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parseGenArgs>
  try {
    opts = parseGenArgs(argv)
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    if (e.message) process.stderr.write(`gen: ${e.message}\n\n`)
    process.stderr.write(USAGE + '\n')
    return e.message ? 2 : 0
  }
  const started = Date.now()
  if (opts.out === undefined || opts.out === '-') {
    const rows = generate({ kind: opts.kind, rows: opts.rows ?? Infinity, seed: opts.seed, lang: opts.lang })
    let r: { rows: number; bytes: number }
    try {
      r = writeJsonl((chunk) => writeAll(1, chunk), rows, opts.bytes)
    } catch (e) {
      // The reader went away (`| head`): that is how a pipe says it has enough.
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') return 0
      throw e
    }
    process.stderr.write(`gen: ${r.rows} ${opts.kind} rows, ${r.bytes} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
    return 0
  }
  const r = await generateShardFile({ ...opts, out: opts.out })
  process.stderr.write(`gen: wrote ${r.rows} ${opts.kind} rows (${opts.lang ?? 'en'}, ${r.format}, ${r.bytes} bytes) to ${r.path} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`gen: ${(e as Error).message}\n`)
      process.exit(1)
    },
  )
}
