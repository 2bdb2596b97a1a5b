/**
 * The English side's scan cache: a re-export with an unchanged English shard takes its ids, row places and
 * lengths from the previous export (the worker only hashes) and writes the same folder; an English shard
 * rewritten in place is caught by its stamps or, with size and time kept, by its sha256.
 */
import assert from 'node:assert/strict'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { exportDataset } from '../../../src/core/export/export'
import { baseOptions, binarized, msg, rewriteKeepingStamp, setStampTime, treeHashes, workspace } from './fixtures'

test('a re-export takes the English side from the cache and writes the same folder, warnings and counts included', async () => {
  const ws = workspace()
  try {
    const ids = Array.from({ length: 30 }, (_, i) => `p${i}`)
    // every third English answer much shorter (its record fails the length ratio), every fifth record a longer
    // conversation (another layout of addresses): the cached lengths must be each row's own
    const enRow = (id: string, i: number) => {
      const r = binarized(id, 'en')
      if (i % 3 === 0) {
        r.chosen[1] = msg('assistant', 'Ok.')
        r.rejected[1] = msg('assistant', 'No.')
      }
      if (i % 5 === 0) r.rejected = [...r.rejected, msg('user', 'And then?'), msg('assistant', 'Then stop.')]
      return r
    }
    const deRow = (id: string, i: number) => {
      const r = binarized(id, 'de')
      if (i % 5 === 0) r.rejected = [...r.rejected, msg('user', 'Und dann?'), msg('assistant', 'Dann aufhören.')]
      return r
    }
    // a broken English row (a warning) and an English record without translation (missing-translation)
    const en = ws.jsonl('uf.en.jsonl', [...ids.map(enRow), binarized('only-en', 'en')])
    writeFileSync(en, readFileSync(en, 'utf8') + '{"prompt": broken\n')
    const de = ws.jsonl('uf.de.jsonl', ids.map(deRow))
    const run = (name: string, over = {}) => exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: join(ws.dir, name), maxRatioDeviation: 0.5, ...over }))
    const first = await run('a')
    const second = await run('b')
    assert.equal(first.englishFromCache, false)
    assert.equal(second.englishFromCache, true)
    assert.equal(first.excluded['missing-translation'], 1)
    assert.ok(first.excluded['length-ratio'] >= 8, `${first.excluded['length-ratio']} excluded by the length ratio`)
    assert.ok(first.warnings.some((w) => w.includes('uf.en.jsonl: line 32')), first.warnings.join('\n'))
    assert.deepEqual(second.warnings, first.warnings)
    assert.deepEqual(second.excluded, first.excluded)
    assert.deepEqual(treeHashes(join(ws.dir, 'b')), treeHashes(join(ws.dir, 'a')))
    // lengths kept serve an export without the ratio filter; a scan kept without lengths does not serve one with it
    const noRatio = await run('c', { maxRatioDeviation: undefined })
    assert.equal(noRatio.englishFromCache, true)
    rmSync(join(ws.dir, '.phoenix', 'cache', 'export-source'), { recursive: true })
    assert.equal((await run('d', { maxRatioDeviation: undefined })).englishFromCache, false)
    const needsLengths = await run('e')
    assert.equal(needsLengths.englishFromCache, false)
    assert.deepEqual(treeHashes(join(ws.dir, 'e')), treeHashes(join(ws.dir, 'a')))
  } finally {
    ws.cleanup()
  }
})

test('an English shard rewritten in place is read again: new stamps skip the cache, same size and time are caught by the sha256', async () => {
  const ws = workspace()
  try {
    const ids = ['p0', 'p1', 'p2']
    // p1's English answer is short, p2's long; swapping them keeps the file's size but not the ratios
    const short = 'Stir it.'
    const long = 'Stir the soup slowly for ten minutes.'
    const enRow = (id: string, answer: string) => ({ ...binarized(id, 'en'), chosen: [msg('user', `Question ${id}?`), msg('assistant', answer)] })
    const deRow = (id: string, answer: string) => ({ ...binarized(id, 'de'), chosen: [msg('user', `Frage ${id}?`), msg('assistant', answer)] })
    const en = ws.jsonl('uf.en.jsonl', [enRow('p0', long), enRow('p1', short), enRow('p2', long)])
    const de = ws.jsonl('uf.de.jsonl', [deRow('p0', 'Rühren Sie die Suppe zehn Minuten lang langsam um.'), deRow('p1', 'Rühren.'), deRow('p2', 'Rühren Sie die Suppe zehn Minuten lang langsam um.')])
    const swapped = readFileSync(en, 'utf8').replace(`"${short}"`, '"\u0000"').replace(`"${long}"`, `"${short}"`).replace('"\u0000"', `"${long}"`)
    const run = (name: string) => exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: join(ws.dir, name), maxRatioDeviation: 0.3, qaFlags: 'confirmed' }))
    setStampTime(en)
    const first = await run('a')
    assert.equal(first.excluded['length-ratio'], 0)

    rewriteKeepingStamp(en, swapped)
    const sameStamp = await run('b')
    assert.equal(sameStamp.englishFromCache, false, 'the cached scan was found stale and the export ran again')
    assert.equal(sameStamp.excluded['length-ratio'], 2, 'p0 and p1 are judged on their new English lengths')
    const again = await run('c')
    assert.equal(again.englishFromCache, true, 'the rerun kept the new scan')
    assert.deepEqual(treeHashes(join(ws.dir, 'c')), treeHashes(join(ws.dir, 'b')))

    // a new change time: the stamps differ, the worker scans without asking the sha256
    setStampTime(en, 5000)
    const touched = await run('d')
    assert.equal(touched.englishFromCache, false)
    assert.deepEqual(touched.excluded, sameStamp.excluded)
  } finally {
    ws.cleanup()
  }
})
