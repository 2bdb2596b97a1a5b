import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { exportDataset } from '../../../src/core/export/export'
import { baseOptions, binarized, msg, rewriteKeepingStamp, setStampTime, treeHashes, workspace } from './fixtures'

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

test('the severity limit picks the checks: a changed number (a warning) excludes at major, not at critical; each limit keeps its own cache', async () => {
  const ws = workspace()
  try {
    const ids = ['p0', 'p1', 'p2']
    const en = ws.jsonl('uf.en.jsonl', ids.map((id) => ({ ...binarized(id, 'en'), chosen: [msg('user', `Question ${id}?`), msg('assistant', 'Mix 41 grams of flour with water.')] })))
    const de = ws.jsonl('uf.de.jsonl', ids.map((id) => ({ ...binarized(id, 'de'), chosen: [msg('user', `Frage ${id}?`), msg('assistant', id === 'p1' ? 'Mischen Sie 14 Gramm Mehl mit Wasser.' : 'Mischen Sie 41 Gramm Mehl mit Wasser.')] })))
    const run = (name: string, maxSeverity: 'critical' | 'major') => exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: join(ws.dir, name), maxSeverity }))

    const critical = await run('a', 'critical')
    assert.equal(critical.excluded['flag-severity'], 0)
    assert.ok(!critical.filters.qaFlags.checks!.includes('numbers'), `numbers ran under critical: ${critical.filters.qaFlags.checks}`)
    assert.ok(critical.filters.qaFlags.checks!.includes('untranslated'))
    // the cache of the critical run holds no number flags: the major run must not take its entries
    const major = await run('b', 'major')
    assert.equal(major.excluded['flag-severity'], 1)
    assert.ok(major.filters.qaFlags.checks!.includes('numbers'))
    assert.equal(major.filters.qaFlags.flags, 1)
    const again = await run('c', 'major')
    assert.deepEqual(again.filters.qaFlags, major.filters.qaFlags)
    assert.equal(again.excluded['flag-severity'], 1)
  } finally {
    ws.cleanup()
  }
})

test('a translation rewritten in place keeps no cached flags: new stamps skip the cache, same size and time are caught by the sha256', async () => {
  const ws = workspace()
  try {
    const ids = Array.from({ length: 6 }, (_, i) => `p${i}`)
    const en = ws.jsonl('uf.en.jsonl', ids.map((id) => ({ ...binarized(id, 'en'), chosen: [msg('user', `Question ${id}?`), msg('assistant', 'Stir the soup and serve it with bread.')] })))
    const good = (id: string) => ({ ...binarized(id, 'de'), chosen: [msg('user', `Frage ${id}?`), msg('assistant', 'Rühren Sie die Suppe um und servieren Sie sie mit Brot.')] })
    // the same length in UTF-8 as the good answer, but English: the untranslated check (an error) flags it
    const english = 'Stir the soup well and then serve it with the bread now.'
    const de = ws.jsonl('uf.de.jsonl', ids.map(good))
    const goodText = readFileSync(de, 'utf8')
    const badText = goodText.replace('Rühren Sie die Suppe um und servieren Sie sie mit Brot.', english)
    assert.equal(Buffer.byteLength(badText), Buffer.byteLength(goodText), 'the rewrite keeps the size')
    const run = (name: string) => exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: join(ws.dir, name) }))

    setStampTime(de)
    const first = await run('a')
    assert.equal(first.excluded['flag-severity'], 0)
    // rewritten with the same size and change time (and inode): the stamps match, the cached flags are void
    rewriteKeepingStamp(de, badText)
    const sameStamp = await run('b')
    assert.equal(sameStamp.excluded['flag-severity'], 1, 'the rewritten record is judged on its new text')
    // and the cache written by that run serves the next one
    const again = await run('c')
    assert.deepEqual(again.filters.qaFlags, sameStamp.filters.qaFlags)
    assert.deepEqual(treeHashes(join(ws.dir, 'c')), treeHashes(join(ws.dir, 'b')))

    // rewritten back with a new change time: the stamps differ, the engine runs on every record
    writeFileSync(de, goodText)
    setStampTime(de, 5000)
    const back = await run('d')
    assert.equal(back.excluded['flag-severity'], 0)
    assert.deepEqual(treeHashes(join(ws.dir, 'd')), treeHashes(join(ws.dir, 'a')))
  } finally {
    ws.cleanup()
  }
})

test('the QA worker thread gives the same export as the engine in process (first export, corrections included)', { timeout: 120_000 }, async () => {
  const ws = workspace()
  try {
    const ids = Array.from({ length: 300 }, (_, i) => `p${i}`)
    const en = ws.jsonl('uf.en.jsonl', ids.map((id) => ({ ...binarized(id, 'en'), chosen: [msg('user', `Question ${id}?`), msg('assistant', 'The answer is 41 and this is what you should do.')] })))
    // every 7th German answer left in English (an error), every 11th with a changed number (a warning)
    const de = ws.jsonl('uf.de.jsonl', ids.map((id, i) => (i % 7 === 0 ? bad(id) : i % 11 === 0 ? { ...binarized(id, 'de'), chosen: [msg('user', `Frage ${id}?`), msg('assistant', 'Die Antwort ist 14, und so gehen Sie vor.')] } : binarized(id, 'de'))))
    // a correction fixes p7; one breaks p8
    await ws.review(de, 'ann', [
      ['p7', { type: 'edit', address: 'chosen/1/content', text: 'Die Antwort ist 41, und so gehen Sie vor.', previous: '' }, 1],
      ['p8', { type: 'edit', address: 'chosen/1/content', text: 'This answer was put back into English by mistake, sadly.', previous: '' }, 2],
    ])
    const cacheDir = join(ws.dir, '.phoenix', 'cache', 'export-qa')
    const run = async (name: string, qaWorker: boolean, maxSeverity: 'critical' | 'major') => {
      rmSync(cacheDir, { recursive: true, force: true })
      return exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: join(ws.dir, name), qaWorker, maxSeverity }))
    }
    for (const sev of ['critical', 'major'] as const) {
      const here = await run(`here-${sev}`, false, sev)
      const there = await run(`there-${sev}`, true, sev)
      assert.ok(here.excluded['flag-severity'] >= (sev === 'critical' ? 43 : 70), `${sev}: ${here.excluded['flag-severity']} excluded`)
      assert.equal(here.qaOnWorker, 0)
      assert.equal(there.qaOnWorker, 300, 'every record judged on the worker')
      assert.deepEqual(there.excluded, here.excluded, sev)
      assert.deepEqual(there.filters.qaFlags, here.filters.qaFlags, sev)
      assert.deepEqual(treeHashes(join(ws.dir, `there-${sev}`)), treeHashes(join(ws.dir, `here-${sev}`)), sev)
      // the worker's flags went into the cache: a re-export from it writes the same folder
      const again = await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: join(ws.dir, `again-${sev}`), qaWorker: true, maxSeverity: sev }))
      assert.equal(again.qaOnWorker, 0, 'all from the cache')
      assert.deepEqual(again.excluded, here.excluded)
      assert.deepEqual(treeHashes(join(ws.dir, `again-${sev}`)), treeHashes(join(ws.dir, `here-${sev}`)))
    }
  } finally {
    ws.cleanup()
  }
})
