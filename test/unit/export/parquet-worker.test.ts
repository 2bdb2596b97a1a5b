/**
 * The export's parquet worker thread (parquet-worker.ts through tsx here; the bundled one in cli.test.ts):
 * it writes the same bytes as the in-process sink, holds at most a few row groups, and a group it cannot
 * write fails the export's sink instead of leaving a short file behind.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { exportDataset } from '../../../src/core/export/export'
import { openSink, outputFields, ParquetThread } from '../../../src/core/export/sinks'
import { baseOptions, binarized, sql, treeHashes, workspace } from './fixtures'

test('an export encoded on the parquet worker is byte-identical to one encoded here', { timeout: 120_000 }, async () => {
  const ws = workspace()
  try {
    const ids = Array.from({ length: 1200 }, (_, i) => `p${i}`)
    const en = ws.jsonl('uf.en.jsonl', ids.map((id) => binarized(id, 'en')))
    const de = ws.jsonl('uf.de.jsonl', ids.map((id) => binarized(id, 'de')))
    for (const dpoFormat of ['conversational', 'string'] as const) {
      // small row groups: many messages to the worker, and the export waits on it now and then
      const run = (name: string, parquetWorker: boolean) =>
        exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', dpoFormat, out: join(ws.dir, name), parquetWorker, rowGroupSize: 50 }))
      const here = await run(`here-${dpoFormat}`, false)
      const there = await run(`there-${dpoFormat}`, true)
      assert.equal(here.parquetOnWorker, false)
      assert.equal(there.parquetOnWorker, true)
      assert.deepEqual(there.rows, here.rows)
      assert.ok(here.rows.train > 1000, `${here.rows.train} train rows`)
      assert.deepEqual(treeHashes(join(ws.dir, `there-${dpoFormat}`)), treeHashes(join(ws.dir, `here-${dpoFormat}`)), dpoFormat)
    }
    // and an independent reader agrees on what the worker wrote
    const file = join(ws.dir, 'there-conversational', 'data', 'train-00000-of-00001.parquet')
    const [got] = await sql(`SELECT count(*)::INTEGER AS n, min(len(chosen))::INTEGER AS turns FROM read_parquet('${file}')`)
    const here = await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: join(ws.dir, 'again'), parquetWorker: false }))
    assert.deepEqual(got, { n: here.rows.train, turns: 1 })
  } finally {
    ws.cleanup()
  }
})

test('a row group the parquet worker cannot encode fails the sink; abort stops the worker and closes the file', { timeout: 60_000 }, async () => {
  const ws = workspace()
  const thread = ParquetThread.start()
  assert.ok(thread, 'a worker starts here')
  try {
    const path = join(ws.dir, 'train.parquet')
    const sink = openSink(path, 'parquet', outputFields('dpo', 'string'), { thread, rowGroupSize: 1 })
    const row = (score: unknown) => ({ prompt: 'Frage', chosen: 'Gut', rejected: 'Schlecht', prompt_id: 'p', score_chosen: score, score_rejected: 1 })
    await sink.add(row(8))
    // an object where a DOUBLE goes: the worker's encoder throws
    let failed: Error | undefined
    try {
      for (let i = 0; i < 5; i++) await sink.add(row(i === 0 ? { not: 'a number' } : 7))
      await sink.close()
    } catch (e) {
      failed = e as Error
    }
    assert.match(failed?.message ?? 'no error', /parquet worker: .*number/)
    await sink.abort()
    assert.ok(existsSync(path), 'the file is left for the export to remove with its temporary folder')
    await assert.rejects(thread.request(1, { finish: 1 }), /parquet worker/)
  } finally {
    await thread.close()
    ws.cleanup()
  }
})
