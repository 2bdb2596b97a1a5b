import assert from 'node:assert/strict'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { exportDataset } from '../../../src/core/export/export'
import { baseOptions, binarized, msg, treeHashes, workspace } from './fixtures'

// p1's German answer keeps an English sentence and a changed number: the engine flags it.
const bad = (id: string) => ({ ...binarized(id, 'de'), chosen: [msg('user', `Frage ${id}?`), msg('assistant', 'The answer is 42 and this is what you should do.')] })

test('a re-export takes unchanged records from the QA cache, re-runs corrected ones, and writes the same folder', async () => {
  const ws = workspace()
  try {
    const ids = Array.from({ length: 8 }, (_, i) => `p${i}`)
    const en = ws.jsonl('uf.en.jsonl', ids.map((id) => ({ ...binarized(id, 'en'), chosen: [msg('user', `Question ${id}?`), msg('assistant', 'The answer is 41 and this is what you should do.')] })))
    const de = ws.jsonl('uf.de.jsonl', ids.map((id) => (id === 'p1' ? bad(id) : binarized(id, 'de'))))
    const run = (name: string) => exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: join(ws.dir, name), qaFlags: 'not-dismissed' }))

    const cold = await run('a')
    const cacheDir = join(ws.dir, '.phoenix', 'cache', 'export-qa')
    assert.equal(readdirSync(cacheDir).length, 1)
    const warm = await run('b')
    assert.deepEqual(warm.filters.qaFlags, cold.filters.qaFlags)
    assert.deepEqual(warm.excluded, cold.excluded)
    assert.deepEqual(treeHashes(join(ws.dir, 'b')), treeHashes(join(ws.dir, 'a')))
    assert.ok(cold.filters.qaFlags.flags > 0, 'the fixture raises flags')

    // A reviewer's correction of p1 must be judged on the corrected text, not on the cached flags.
    await ws.review(de, 'ann', [['p1', { type: 'edit', address: 'chosen/1/content', text: 'Die Antwort ist 41, und so gehen Sie vor.', previous: '' }, 1]])
    const corrected = await run('c')
    rmSync(cacheDir, { recursive: true })
    const fresh = await run('d')
    assert.deepEqual(corrected.filters.qaFlags, fresh.filters.qaFlags)
    assert.deepEqual(corrected.excluded, fresh.excluded)
    assert.deepEqual(treeHashes(join(ws.dir, 'c')), treeHashes(join(ws.dir, 'd')))
    assert.ok(existsSync(cacheDir))
  } finally {
    ws.cleanup()
  }
})
