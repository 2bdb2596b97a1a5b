import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { openShard, shardKind } from '../../../src/core/records/open'
import { ParquetShard } from '../../../src/core/records/parquet'
import { writeShardParquet } from '../../../src/core/records/parquet-write'
import { ShardOpenError, type RowResult } from '../../../src/core/records/types'
import { tempDir } from './tmp'

const t = tempDir()
after(t.cleanup)

const rows = Array.from({ length: 2500 }, (_, i) => ({
  prompt: `Prompt ${i}`,
  prompt_id: `id-${i}`,
  messages: [
    { role: 'user', content: `Prompt ${i}` },
    { role: 'assistant', content: `Answer ${i} ` + 'x'.repeat(i % 50) },
  ],
}))

describe('parquet reader', () => {
  it('gets the row count from the footer and reads nested list<struct<role,content>> as objects', async () => {
    const file = t.dir + '/uc.parquet'
    await writeShardParquet(file, 'ultrachat', rows, { rowGroupSize: 1000 })
    const s = (await openShard(file)) as ParquetShard
    assert.equal(s.format, 'parquet')
    assert.equal(s.rowCount, 2500)
    assert.equal(s.rowGroupCount, 3)
    assert.deepEqual(s.fields.sort(), ['messages', 'prompt', 'prompt_id'])
    assert.equal(await shardKind(s), 'ultrachat')
    const r = await s.read(1234)
    assert.deepEqual(r.row, rows[1234])
    const all: RowResult[] = []
    for await (const x of s.rows(990, 1010)) all.push(x)
    assert.deepEqual(all.map((x) => x.row?.prompt_id), rows.slice(990, 1010).map((x) => x.prompt_id))
    let n = 0
    for await (const x of s.rows()) if (x.row) n++
    assert.equal(n, 2500)
    await s.close()
  })

  it('rejects a truncated file with a ShardOpenError naming it', async () => {
    const file = t.dir + '/cut.parquet'
    await writeShardParquet(file, 'ultrachat', rows.slice(0, 100))
    const bytes = readFileSync(file)
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)))
    await assert.rejects(openShard(file), (e: unknown) => e instanceof ShardOpenError && e.message.startsWith(file) && /not a readable parquet file/.test(e.message))
  })

  it('refuses files of unknown type', async () => {
    await assert.rejects(openShard(t.file('x.csv', 'a,b\n')), /unsupported file type "\.csv"/)
  })
})
