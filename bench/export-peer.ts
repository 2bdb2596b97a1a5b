/**
 * The export benchmark's peer, in a fresh process so that its peak RSS is its own: DuckDB reads the same
 * translated JSONL shard and writes its prompt / chosen / rejected columns to one snappy-compressed parquet
 * file, the part of an export that has a counterpart in a general-purpose engine (no journals, filters,
 * QA, split, card or manifest). It shows what this machine does with the same bytes in the same run, which
 * drifts by up to 2× over minutes here.
 * usage: tsx bench/export-peer.ts <shard.jsonl> <out.parquet>; prints one JSON line { seconds, cpuSeconds, maxRssMB, rows }.
 */
import { DuckDBInstance } from '@duckdb/node-api'

const [shard, out] = process.argv.slice(2)
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`
const t0 = process.hrtime.bigint()
const cpu0 = process.cpuUsage()
const db = await DuckDBInstance.create(':memory:')
const c = await db.connect()
const src = `read_json(${quote(shard)}, format='newline_delimited')`
await c.run(`COPY (SELECT prompt, chosen, rejected FROM ${src}) TO ${quote(out)} (FORMAT parquet, COMPRESSION snappy)`)
const rows = Number((await c.runAndReadAll(`SELECT count(*) FROM read_parquet(${quote(out)})`)).getRowsJson()[0][0])
const seconds = Number(process.hrtime.bigint() - t0) / 1e9
const cpu = process.cpuUsage(cpu0)
console.log(
  JSON.stringify({
    seconds: Math.round(seconds * 1000) / 1000,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    rows,
  }),
)
