/**
 * Shard reading against DuckDB on the same files in the same run: time to the row count, to the middle
 * row, to a full scan, and peak RSS of each, every measurement in its own process.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const dataDir = join(root, 'bench', '.data')
const tsx = join(root, 'node_modules', '.bin', 'tsx')

/** Generated once and kept (gitignored): a ~1 GB UltraChat JSONL and a ~250 MB parquet shard. */
function ensureData(): { jsonl: string; parquet: string } {
  mkdirSync(dataDir, { recursive: true })
  const jsonlBytes = Number(process.env.PHOENIX_BENCH_JSONL_BYTES ?? 1e9)
  const parquetRows = Number(process.env.PHOENIX_BENCH_PARQUET_ROWS ?? 450_000)
  const jsonl = join(dataDir, `ultrachat-${jsonlBytes}.jsonl`)
  const parquet = join(dataDir, `ultrachat-${parquetRows}.parquet`)
  const gen = (out: string, args: string[]) => {
    if (existsSync(out)) return
    console.error(`  generating ${out} …`)
    execFileSync(tsx, [join(root, 'src/cli/gen.ts'), '--kind', 'ultrachat', '--seed', '7', '--out', out + '.tmp', ...args], { stdio: ['ignore', 'ignore', 'inherit'] })
    renameSync(out + '.tmp', out)
  }
  gen(jsonl, ['--format', 'jsonl', '--rows', '100000000', '--bytes', String(jsonlBytes)])
  gen(parquet, ['--format', 'parquet', '--rows', String(parquetRows)])
  return { jsonl, parquet }
}

interface Probe {
  ms: number
  maxRssMB: number
  value: string
}

function probe(tool: string, op: string, file: string): Probe {
  const out = execFileSync(tsx, [join(root, 'bench/shard-probe.ts'), tool, op, file], { encoding: 'utf8', maxBuffer: 1 << 20 })
  return JSON.parse(out.trim().split('\n').pop()!)
}

/** Median of n runs; the page cache is warm after the first. */
function median(tool: string, op: string, file: string, n: number): Probe {
  const runs = Array.from({ length: n }, () => probe(tool, op, file)).sort((a, b) => a.ms - b.ms)
  return { ...runs[Math.floor(n / 2)], maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)) }
}

export async function benchShards(): Promise<object> {
  const files = ensureData()
  const out: Record<string, unknown> = {}
  for (const [format, file] of Object.entries(files)) {
    const sizeMB = Math.round(statSync(file).size / 2 ** 20)
    probe('phoenix', 'count', file) // warm the page cache
    const row: Record<string, unknown> = { file: file.replace(root + '/', ''), sizeMB }
    for (const op of ['count', 'middle', 'scan']) {
      const n = op === 'scan' ? 1 : 3
      const p = median('phoenix', op, file, n)
      const d = median('duckdb', op, file, n)
      if (op !== 'scan' && p.value !== d.value) throw new Error(`${format} ${op}: phoenix says ${p.value}, duckdb says ${d.value}`)
      row[op] = { phoenix: p, duckdb: d }
      console.error(`  ${format} ${op}: phoenix ${p.ms} ms / ${p.maxRssMB} MB, duckdb ${d.ms} ms / ${d.maxRssMB} MB`)
    }
    const count = row.count as { phoenix: Probe }
    if (format === 'jsonl') row.indexGBps = Math.round((statSync(file).size / 1e9 / (count.phoenix.ms / 1000)) * 100) / 100
    out[format] = row
  }
  return out
}
