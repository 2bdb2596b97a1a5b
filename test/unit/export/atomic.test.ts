import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { recoverStale } from '../../../src/core/export/atomic-dir'
import { exportDataset } from '../../../src/core/export/export'
import { ExportArgumentError, ExportCancelled } from '../../../src/core/export/types'
import { baseOptions, binarized, treeHashes, workspace, type Workspace } from './fixtures'

let ws: Workspace
let en: string
let de: string
const ids = Array.from({ length: 40 }, (_, i) => `id-${i}`)

before(async () => {
  ws = workspace()
  en = ws.jsonl('en.jsonl', ids.map((id) => binarized(id, 'en')))
  de = ws.jsonl('de.jsonl', ids.map((id) => binarized(id, 'de')))
  await ws.review(de, 'ann', [
    ['id-3', { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' }, 1],
    ['id-4', { type: 'edit', address: 'rejected/1/content', text: 'Neu.', previous: 'x' }, 2],
  ])
})

after(() => ws.cleanup())

const leftovers = (dir: string) => readdirSync(dir).filter((n) => /\.(tmp|old)-/.test(n))

test('the same inputs and seed give byte-identical folders; parquet and jsonl alike', async () => {
  for (const format of ['parquet', 'jsonl'] as const) {
    const a = join(ws.dir, `det-a-${format}`)
    const b = join(ws.dir, `det-b-${format}`)
    await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: a, format, testSize: 0.25 }))
    await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out: b, format, testSize: 0.25 }))
    const ha = treeHashes(a)
    assert.deepEqual(Object.keys(ha).sort(), format === 'parquet'
      ? ['README.md', 'data/test-00000-of-00001.parquet', 'data/train-00000-of-00001.parquet', 'phoenix-manifest.json']
      : ['README.md', 'data/test.jsonl', 'data/train.jsonl', 'phoenix-manifest.json'])
    assert.deepEqual(treeHashes(b), ha)
  }
})

test('the split depends on seed and prompt_id only: reordered rows land in the same splits', async () => {
  const rev = ws.jsonl('de-reversed.jsonl', [...ids].reverse().map((id) => binarized(id, 'de')))
  const split = async (target: string, seed: number, out: string) => {
    await exportDataset(baseOptions(ws, { target, kind: 'dpo', out, format: 'jsonl', testSize: 0.3, seed }))
    return readFileSync(join(out, 'data', 'test.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).prompt_id).sort()
  }
  const fwd = await split(de, 42, join(ws.dir, 's-fwd'))
  assert.ok(fwd.length > 0 && fwd.length < ids.length)
  assert.deepEqual(await split(rev, 42, join(ws.dir, 's-rev')), fwd)
  assert.notDeepEqual(await split(de, 7, join(ws.dir, 's-seed')), fwd)
})

test('a failed export leaves the previous good set intact and no temporary folder behind', async () => {
  const out = join(ws.dir, 'good')
  await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out }))
  const before = treeHashes(out)
  const boom = () => {
    throw new Error('similarity service down')
  }
  await assert.rejects(
    exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out, minSimilarity: 0.5, similarity: boom, seed: 1 })),
    /similarity service down/,
  )
  assert.deepEqual(treeHashes(out), before)
  assert.deepEqual(leftovers(ws.dir), [])

  // An invalid out path (its parent is a file) fails before writing anything.
  const file = join(ws.dir, 'plain-file')
  writeFileSync(file, 'x')
  await assert.rejects(exportDataset(baseOptions(ws, { target: de, kind: 'dpo', out: join(file, 'set') })))
  assert.deepEqual(leftovers(ws.dir), [])

  // A successful re-export replaces the set as a whole.
  await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out, seed: 1 }))
  assert.notDeepEqual(treeHashes(out), before)
  assert.deepEqual(leftovers(ws.dir), [])
})

test('a folder that is not a previous export is never replaced', async () => {
  const out = join(ws.dir, 'precious')
  mkdirSync(out)
  writeFileSync(join(out, 'notes.txt'), 'keep me')
  await assert.rejects(exportDataset(baseOptions(ws, { target: de, kind: 'dpo', out })), ExportArgumentError)
  assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'keep me')
  assert.ok(!existsSync(join(out, 'data')))
  assert.deepEqual(leftovers(ws.dir), [])
})

test('leftovers of a killed export are cleaned up: its temp folder removed, a set it had moved aside restored', async () => {
  const out = join(ws.dir, 'killed')
  const dead = 99_999_999 // above any pid_max: no such process
  await exportDataset(baseOptions(ws, { target: de, kind: 'dpo', out }))
  const good = treeHashes(out)
  // Killed between "old set aside" and "new set in place": only the aside folder and the temp folder exist.
  renameSync(out, `${out}.old-${dead}-0badc0de`)
  mkdirSync(`${out}.tmp-${dead}-deadbeef`)
  writeFileSync(join(`${out}.tmp-${dead}-deadbeef`, 'half.parquet'), 'PAR1')
  recoverStale(out)
  assert.deepEqual(treeHashes(out), good)
  assert.deepEqual(leftovers(ws.dir), [])
  // A temp folder of a live process (this one) is left alone.
  const live = `${out}.tmp-${process.pid}-00000000`
  mkdirSync(live)
  recoverStale(out)
  assert.ok(existsSync(live))
  rmSync(live, { recursive: true })
})

test('an export stopped through its signal writes nothing and keeps the previous set; progress comes every 1,000 rows', async () => {
  const ids = Array.from({ length: 2500 }, (_, i) => `s${i}`)
  const enBig = ws.jsonl('big.en.jsonl', ids.map((id) => binarized(id, 'en')))
  const deBig = ws.jsonl('big.de.jsonl', ids.map((id) => binarized(id, 'de')))
  const out = join(ws.dir, 'stoppable')
  const seen: { read: number; written: number }[] = []
  const full = await exportDataset(baseOptions(ws, { source: enBig, target: deBig, kind: 'dpo', out, onProgress: (p) => seen.push(p) }))
  assert.deepEqual(seen.map((p) => p.read), [1000, 2000, 2500])
  assert.equal(seen[2].written, full.rows.written)
  assert.ok(seen[0].written > 0 && seen[0].written <= seen[1].written)
  const before = treeHashes(out)

  const stop = new AbortController()
  const reads: number[] = []
  await assert.rejects(
    exportDataset(baseOptions(ws, { source: enBig, target: deBig, kind: 'dpo', out, seed: 5, signal: stop.signal, onProgress: (p) => (reads.push(p.read), stop.abort()) })),
    ExportCancelled,
  )
  assert.deepEqual(reads, [1000], 'stopped at the next check after the abort')
  assert.deepEqual(treeHashes(out), before)
  assert.deepEqual(leftovers(ws.dir), [])
  // aborted before it starts: not even the shards are opened
  await assert.rejects(exportDataset(baseOptions(ws, { target: join(ws.dir, 'no-such.jsonl'), kind: 'dpo', out, signal: AbortSignal.abort() })), ExportCancelled)
})
