import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { openShard } from '../../../src/core/records/open'
import { RowShapeError, writeShardJsonl, writeShardParquet } from '../../../src/core/records/parquet-write'
import type { Row } from '../../../src/core/records/types'
import { generate, SYNTH_KINDS } from '../../../src/core/synth'
import { tempDir, withoutNulls } from './helpers'

const t = tempDir()
let db: DuckDBInstance
let sql: DuckDBConnection
before(async () => {
  db = await DuckDBInstance.create(':memory:')
  sql = await db.connect()
})
after(() => {
  sql.closeSync()
  db.closeSync()
  t.cleanup()
})

async function readBack(path: string): Promise<Row[]> {
  const file = await asyncBufferFromFile(path)
  return parquetReadObjects({ file, compressors })
}

async function duck(query: string): Promise<Record<string, unknown>[]> {
  return (await sql.runAndReadAll(query)).getRowObjectsJson() as Record<string, unknown>[]
}

async function types(path: string): Promise<Record<string, string>> {
  const rows = await duck(`DESCRIBE SELECT * FROM read_parquet('${path}')`)
  return Object.fromEntries(rows.map((r) => [r.column_name as string, r.column_type as string]))
}

describe('parquet writer', () => {
  for (const kind of SYNTH_KINDS)
    for (const lang of ['en', 'de'] as const)
      it(`round-trips ${kind} (${lang}) through hyparquet and DuckDB, in several row groups`, async () => {
        const rows = [...generate({ kind, rows: 23, seed: 4, lang })]
        const path = t.path(`${kind}-${lang}.parquet`)
        // A generator, not an array: the writer must take a stream.
        const n = await writeShardParquet(path, kind, generate({ kind, rows: 23, seed: 4, lang }), { rowGroupSize: 10 })
        assert.equal(n, 23)
        const back = await readBack(path)
        assert.deepEqual(withoutNulls(back), rows)
        const meta = await parquetMetadataAsync(await asyncBufferFromFile(path))
        assert.deepEqual(meta.row_groups.map((g) => Number(g.num_rows)), [10, 10, 3])

        const [{ n: count }] = await duck(`SELECT count(*)::INTEGER AS n FROM read_parquet('${path}')`)
        assert.equal(count, 23)
        const ty = await types(path)
        if (kind === 'ultrafeedback-raw') {
          assert.equal(ty.instruction, 'VARCHAR')
          assert.equal(ty.models, 'VARCHAR[]')
          assert.match(ty.completions, /^STRUCT\(model VARCHAR, response VARCHAR, annotations JSON, "fine-grained_score" DOUBLE, overall_score DOUBLE, custom_system_prompt VARCHAR, principle VARCHAR, critique VARCHAR\)\[\]$/)
          assert.equal(ty.prompt_id, lang === 'de' ? 'VARCHAR' : undefined)
          const d = await duck(`SELECT completions[1].response AS r, completions[1].annotations->>'$.honesty[0].Rating' AS h FROM read_parquet('${path}') LIMIT 1`)
          const c0 = (rows[0].completions as Row[])[0]
          assert.equal(d[0].r, c0.response)
          assert.equal(d[0].h, (c0.annotations as Record<string, { Rating: string }[]>).honesty[0].Rating)
        } else {
          assert.equal(ty.prompt, 'VARCHAR')
          assert.equal(ty.prompt_id, 'VARCHAR')
          assert.equal(ty.messages, 'STRUCT("content" VARCHAR, "role" VARCHAR)[]')
          const ids = await duck(`SELECT prompt_id, len(messages)::INTEGER AS turns, messages[2].content AS answer FROM read_parquet('${path}')`)
          assert.deepEqual(ids.map((r) => r.prompt_id), rows.map((r) => r.prompt_id))
          assert.deepEqual(ids.map((r) => r.answer), rows.map((r) => (r.messages as Row[])[1].content))
        }
        if (kind === 'ultrafeedback-binarized') {
          assert.equal(ty.score_chosen, 'DOUBLE')
          assert.equal(ty.score_rejected, 'DOUBLE')
          assert.equal(ty.chosen, ty.messages)
        }
        // The project's own reader sees the same rows.
        const shard = await openShard(path)
        assert.equal(shard.rowCount, 23)
        assert.deepEqual(withoutNulls((await shard.read(17)).row), rows[17])
        await shard.close()
      })

  it('adds `original` to message structs when rows carry it (pairing mode b)', async () => {
    const rows = [
      { prompt: 'Hallo', prompt_id: 'a1', messages: [{ role: 'user', content: 'Hallo', original: 'Hello' }, { role: 'assistant', content: 'Guten Tag!', original: 'Good day!' }] },
      { prompt: 'Danke', prompt_id: 'a2', messages: [{ role: 'user', content: 'Danke' }] },
    ]
    const path = t.path('orig.parquet')
    await writeShardParquet(path, 'ultrachat', rows)
    assert.equal((await types(path)).messages, 'STRUCT("content" VARCHAR, "role" VARCHAR, original VARCHAR)[]')
    assert.deepEqual(withoutNulls(await readBack(path)), rows)
    // Forced on even when no row has it, so a translation run can declare the column up front.
    const forced = t.path('forced.parquet')
    await writeShardParquet(forced, 'ultrachat', [rows[1]], { withOriginal: true })
    assert.match((await types(forced)).messages, /original VARCHAR/)
  })

  it('names the row and field of a value of the wrong type and leaves the old file alone', async () => {
    const path = t.path('keep.parquet')
    writeFileSync(path, 'old content')
    const rows = [...generate({ kind: 'ultrachat', rows: 3, seed: 1 })]
    ;(rows[2].messages as Row[])[1].content = 42
    await assert.rejects(writeShardParquet(path, 'ultrachat', rows), (e: unknown) => {
      assert.ok(e instanceof RowShapeError)
      assert.equal(e.row, 2)
      assert.equal(e.address, 'messages/1/content')
      assert.match(e.message, /row 2: messages\/1\/content should be a string, found a number/)
      return true
    })
    assert.equal(readFileSync(path, 'utf8'), 'old content')
    const bad = [{ prompt: 'x', prompt_id: 'y', chosen: [], rejected: [], messages: [], score_chosen: '9', score_rejected: 1 }]
    await assert.rejects(writeShardParquet(t.path('bad.parquet'), 'ultrafeedback-binarized', bad), /row 0: score_chosen should be a number, found a string/)
    assert.equal(existsSync(t.path('bad.parquet')), false)
  })

  it('writes an empty shard that still has the schema', async () => {
    const path = t.path('empty.parquet')
    assert.equal(await writeShardParquet(path, 'ultrafeedback-binarized', []), 0)
    assert.equal((await types(path)).score_chosen, 'DOUBLE')
    assert.deepEqual(await readBack(path), [])
  })

  it('writes JSON lines atomically from a stream', async () => {
    const path = t.path('rows.jsonl')
    const n = await writeShardJsonl(path, generate({ kind: 'ultrachat', rows: 5, seed: 2 }))
    assert.equal(n, 5)
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l))
    assert.deepEqual(lines, [...generate({ kind: 'ultrachat', rows: 5, seed: 2 })])
  })
})
