/**
 * The export's writer worker thread (writer-worker.ts through tsx here; the bundled one in cli.test.ts):
 * it writes the same bytes as the in-process sinks, parquet and JSON lines, and a batch it cannot write
 * fails the export's sink instead of leaving a short file behind.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { exportDataset } from '../../../src/core/export/export'
import type { Fields } from '../../../src/core/export/output-files'
import { openSink, outputFields, WriterThread } from '../../../src/core/export/sinks'
import { packRows, unpackRows } from '../../../src/core/export/writer-worker-protocol'
import { baseOptions, binarized, sql, treeHashes, workspace } from './fixtures'

test('an export written by the writer worker is byte-identical to one written here, parquet and JSON lines', { timeout: 120_000 }, async () => {
  const ws = workspace()
  try {
    const ids = Array.from({ length: 1200 }, (_, i) => `p${i}`)
    const en = ws.jsonl('uf.en.jsonl', ids.map((id) => binarized(id, 'en')))
    const de = ws.jsonl('uf.de.jsonl', ids.map((id) => binarized(id, 'de')))
    const cases = [['conversational', 'parquet'], ['string', 'parquet'], ['conversational', 'jsonl']] as const
    for (const [dpoFormat, format] of cases) {
      // small row groups (batches): many messages to the worker, and the export waits on it now and then
      const run = (name: string, writerWorker: boolean) =>
        exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', dpoFormat, format, out: join(ws.dir, name), writerWorker, rowGroupSize: 50 }))
      const name = `${dpoFormat}-${format}`
      const here = await run(`here-${name}`, false)
      const there = await run(`there-${name}`, true)
      assert.equal(here.writtenOnWorker, false)
      assert.equal(there.writtenOnWorker, true)
      assert.deepEqual(there.rows, here.rows)
      assert.ok(here.rows.train > 1000, `${here.rows.train} train rows`)
      assert.deepEqual(treeHashes(join(ws.dir, `there-${name}`)), treeHashes(join(ws.dir, `here-${name}`)), name)
    }
    // and an independent reader agrees on what the worker wrote
    const file = join(ws.dir, 'there-conversational-parquet', 'data', 'train-00000-of-00001.parquet')
    const [got] = await sql(`SELECT count(*)::INTEGER AS n, min(len(chosen))::INTEGER AS turns FROM read_parquet('${file}')`)
    const here = await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: join(ws.dir, 'again'), writerWorker: false }))
    assert.deepEqual(got, { n: here.rows.train, turns: 1 })
  } finally {
    ws.cleanup()
  }
})

test('a row group the writer worker cannot encode fails the sink; abort stops the worker and closes the file', { timeout: 60_000 }, async () => {
  const ws = workspace()
  const thread = WriterThread.start()
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
    assert.match(failed?.message ?? 'no error', /writer worker: .*number/)
    await sink.abort()
    assert.ok(existsSync(path), 'the file is left for the export to remove with its temporary folder')
    await assert.rejects(thread.request(1, { finish: 1 }), /writer worker/)
  } finally {
    await thread.close()
    ws.cleanup()
  }
})

test('rows cross to the writer packed by their columns: lists, messages, nulls and missing values come back as parquet reads them', () => {
  const fields: Fields = [
    { name: 'prompt', leaf: 'string' },
    { name: 'messages', structList: [{ name: 'content', leaf: 'string' }, { name: 'role', leaf: 'string' }] },
    { name: 'tags', list: 'string' },
    { name: 'score', leaf: 'double' },
  ]
  const rows = [
    { prompt: 'Wie spät ist es?', messages: [{ role: 'user', content: 'Wie spät ist es?' }, { role: 'assistant', content: 'Kurz nach drei.' }], tags: ['a', null], score: 7.5 },
    { prompt: null, messages: [], tags: null, score: undefined },
    { prompt: '', messages: [null, { content: 'nur Inhalt' }], tags: [] },
  ]
  const packed = packRows(fields, rows)
  assert.ok(packed.every((v) => typeof v !== 'object' || v === null), 'nothing but values and counts')
  assert.deepEqual(unpackRows(fields, packed), [
    { prompt: 'Wie spät ist es?', messages: [{ content: 'Wie spät ist es?', role: 'user' }, { content: 'Kurz nach drei.', role: 'assistant' }], tags: ['a', null], score: 7.5 },
    { prompt: null, messages: [], tags: null, score: null },
    { prompt: '', messages: [null, { content: 'nur Inhalt', role: null }], tags: [], score: null },
  ])
  assert.deepEqual(unpackRows(fields, packRows(fields, [])), [])
})
