/**
 * One measurement in a fresh process, so peak RSS belongs to that measurement alone.
 * usage: tsx bench/shard-probe.ts <phoenix|duckdb> <count|middle|scan> <file>
 * Prints one JSON line: { ms, maxRssMB, value }.
 */
import { openShard } from '../src/core/records/open'

const [tool, op, file] = process.argv.slice(2)

async function phoenix(): Promise<unknown> {
  const shard = await openShard(file)
  try {
    if (op === 'count') return shard.rowCount
    if (op === 'middle') {
      const r = await shard.read(Math.floor(shard.rowCount / 2))
      return (r.row?.prompt_id as string | undefined) ?? r.error?.message
    }
    // Full scan: every row decoded, every text touched.
    let chars = 0
    for await (const r of shard.rows()) {
      const row = r.row
      if (!row) continue
      chars += (row.prompt as string).length
      for (const m of row.messages as { content: string }[]) chars += m.content.length
    }
    return chars
  } finally {
    await shard.close()
  }
}

async function duckdb(): Promise<unknown> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const db = await DuckDBInstance.create(':memory:')
  const c = await db.connect()
  const src = file.endsWith('.parquet') ? `read_parquet('${file}')` : `read_json('${file}', format='newline_delimited')`
  const one = async (sql: string) => (await c.runAndReadAll(sql)).getRowsJson()[0][0]
  if (op === 'count') return one(`SELECT count(*) FROM ${src}`)
  if (op === 'middle') {
    const n = Number(await one(`SELECT count(*) FROM ${src}`))
    return one(`SELECT prompt_id FROM ${src} LIMIT 1 OFFSET ${Math.floor(n / 2)}`)
  }
  return one(`SELECT sum(length(prompt)) + sum(list_sum(list_transform(messages, m -> length(m.content)))) FROM ${src}`)
}

const t0 = performance.now()
const value = await (tool === 'duckdb' ? duckdb() : phoenix())
const ms = performance.now() - t0
process.stdout.write(JSON.stringify({ ms: Math.round(ms * 10) / 10, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), value: String(value) }) + '\n')
