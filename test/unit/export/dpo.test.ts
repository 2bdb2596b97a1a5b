import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { exportDataset } from '../../../src/core/export/export'
import type { ExportReport } from '../../../src/core/export/types'
import { baseOptions, binarized, msg, rawRow, sql, trlDpoProblem, workspace, type Workspace } from './fixtures'

// One reviewed binarized pair of shards, exported once; the tests read the result.
let ws: Workspace
let report: ExportReport
let out: string
const ids = Array.from({ length: 12 }, (_, i) => `p${i}`)

before(async () => {
  ws = workspace()
  const en = ws.jsonl('data/uf.en.jsonl', [...ids.filter((id) => id !== 'p8').map((id) => binarized(id, 'en'))])
  const de = ws.jsonl('data/uf.de.jsonl', [
    ...ids.filter((id) => id !== 'p9').map((id) => binarized(id, 'de')),
    '{"prompt": "kaputt', // malformed line
    binarized('p0', 'de'), // duplicate prompt_id
  ])
  await ws.review(de, 'ann', [
    ['p1', { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' }, 1],
    ['p2', { type: 'edit', address: 'chosen/1/content', text: 'Korrigierte Antwort p2.', previous: 'Gute Antwort p2.' }, 2],
    ['p3', { type: 'pick', chosen: null, rejected: null, verdict: 'tie' }, 3],
    ['p4', { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' }, 4],
    ['p5', { type: 'pick', chosen: null, rejected: null, verdict: 'unusable' }, 5],
    ['p6', { type: 'flag', address: 'chosen/1/content', reason: 'mistranslation', severity: 'critical', flagId: 'f6' }, 6],
    ['p7', { type: 'flag', address: 'prompt', reason: 'fluency', severity: 'critical', flagId: 'f7' }, 7],
    ['p10', { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' }, 8],
  ])
  await ws.review(de, 'bob', [
    // A later edit of another copy of the prompt text wins for every copy.
    ['p2', { type: 'edit', address: 'prompt', text: 'Korrigierte Frage p2?', previous: 'Frage p2?' }, 10],
    ['p4', { type: 'pick', chosen: 0, rejected: 1, verdict: 'pair' }, 11],
    ['p7', { type: 'unflag', flagId: 'f7' }, 12],
    ['p10', { type: 'pick', chosen: 0, rejected: 1, verdict: 'pair' }, 13],
  ])
  // carol resolves p4's disagreement by keeping the stored order; p10 stays unresolved.
  await ws.review(de, 'carol', [['p4', { type: 'resolve', field: 'pick', value: { chosen: 0, rejected: 1, verdict: 'pair' } }, 20]])
  out = join(ws.dir, 'out', 'uf-dpo')
  report = await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out, testSize: 0.3 }))
})

after(() => ws.cleanup())

async function allRows(): Promise<Record<string, any>[]> {
  return sql(`SELECT * FROM read_parquet(['${out}/data/train-00000-of-00001.parquet', '${out}/data/test-00000-of-00001.parquet']) ORDER BY prompt_id`)
}

test('exclusions are counted exactly, once per record, by reason', () => {
  const nonzero = Object.fromEntries(Object.entries(report.excluded).filter(([, n]) => n > 0))
  assert.deepEqual(nonzero, {
    'invalid-row': 1,
    'duplicate-prompt-id': 1,
    'missing-source': 1, // p8
    'missing-translation': 1, // p9
    'flag-severity': 1, // p6
    'pick-conflict': 1, // p10
    'pick-tie': 1, // p3
    'pick-unusable': 1, // p5
  })
  assert.equal(report.excludedTotal, 8)
  assert.equal(report.rows.read, 13)
  assert.equal(report.rows.written, 6) // p0 p1 p2 p4 p7 p11
  assert.equal(report.rows.train + report.rows.test, 6)
  assert.ok(report.rows.test > 0 && report.rows.train > 0, 'both splits have rows at test share 0.3')
})

test('DuckDB reads the parquet back with nested LIST<STRUCT<content, role>> columns', async () => {
  const types = Object.fromEntries((await sql(`DESCRIBE SELECT * FROM '${out}/data/train-00000-of-00001.parquet'`)).map((r) => [r.column_name, r.column_type]))
  const msgs = 'STRUCT("content" VARCHAR, "role" VARCHAR)[]'
  assert.deepEqual(types, { prompt: msgs, chosen: msgs, rejected: msgs, prompt_id: 'VARCHAR', score_chosen: 'DOUBLE', score_rejected: 'DOUBLE' })
  const rows = await allRows()
  assert.deepEqual(rows.map((r) => r.prompt_id), ['p0', 'p1', 'p11', 'p2', 'p4', 'p7'])
  for (const r of rows) assert.equal(trlDpoProblem(r as never), null, `${r.prompt_id}: ${trlDpoProblem(r as never)}`)
})

test('swaps, resolutions and corrections are applied, in German', async () => {
  const byId = new Map((await allRows()).map((r) => [r.prompt_id, r]))
  // p0: untouched.
  assert.deepEqual(byId.get('p0')!.prompt, [msg('user', 'Frage p0?')].map(({ role, content }) => ({ content, role })))
  assert.deepEqual(byId.get('p0')!.chosen, [{ content: 'Gute Antwort p0.', role: 'assistant' }])
  // p1: swapped by ann's pick, scores travel with the texts.
  const p1 = byId.get('p1')!
  assert.equal(p1.chosen[0].content, 'Schlechte Antwort p1.')
  assert.equal(p1.rejected[0].content, 'Gute Antwort p1.')
  assert.deepEqual([p1.score_chosen, p1.score_rejected], [4, 8])
  // p2: ann's edit of the chosen answer and bob's later edit of `prompt` (a copy of the user turn).
  const p2 = byId.get('p2')!
  assert.deepEqual(p2.prompt, [{ content: 'Korrigierte Frage p2?', role: 'user' }])
  assert.equal(p2.chosen[0].content, 'Korrigierte Antwort p2.')
  // p4: ann swapped, bob kept, carol's resolution keeps: the resolution wins.
  assert.equal(byId.get('p4')!.chosen[0].content, 'Gute Antwort p4.')
  // p7: the critical flag was unflagged, so the record stays.
  assert.ok(byId.has('p7'))
  assert.equal(report.stats.swapped, 1)
  assert.equal(report.stats.editsApplied >= 2, true)
})

test('manifest and card describe the export', () => {
  const m = JSON.parse(readFileSync(join(out, 'phoenix-manifest.json'), 'utf8'))
  assert.equal(m.tool.version, JSON.parse(readFileSync('package.json', 'utf8')).version)
  assert.deepEqual(m.inputs.map((i: { role: string; path: string }) => [i.role, i.path]), [['target', 'data/uf.de.jsonl'], ['source', 'data/uf.en.jsonl']])
  assert.match(m.inputs[0].sha256, /^[0-9a-f]{64}$/)
  assert.deepEqual(m.review.reviewers.map((r: { name: string }) => r.name), ['ann', 'bob', 'carol'])
  assert.equal(m.review.journals.length, 3)
  assert.equal(m.review.agreement.conflicts, 2) // p4 (resolved) and p10
  assert.equal(m.review.agreement.openConflicts, 1)
  assert.equal(m.excluded['pick-tie'], 1)
  assert.deepEqual([m.split.seed, m.split.train + m.split.test], [42, 6])
  assert.equal(m.files.length, 2)
  assert.equal('created' in m, false)
  const card = readFileSync(join(out, 'README.md'), 'utf8')
  assert.match(card, /^---\n[\s\S]*configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data\/train-\*\n  - split: test\n    path: data\/test-\*\n---\n/)
  assert.match(card, /\| pick-tie \| 1 \|/)
})

test('raw UltraFeedback: reviewer picks by index, else H4 rule (best chosen, seeded random rejected, ties skipped); string format', async () => {
  const w = workspace()
  try {
    const rows = [
      rawRow('q-best', 'de', [9, 3, 5, 7], 'r1'),
      rawRow('q-tie', 'de', [8, 8, 2, 1], 'r2'),
      rawRow('q-pick', 'de', [9, 3, 5, 7], 'r3'),
      rawRow('q-one', 'de', [6], 'r4'),
    ]
    const de = w.jsonl('raw.de.jsonl', rows)
    await w.review(de, 'ann', [['r3', { type: 'pick', chosen: 1, rejected: 2, verdict: 'pair' }, 1]])
    const o = join(w.dir, 'raw-out')
    const rep = await exportDataset(baseOptions(w, { target: de, kind: 'dpo', out: o, format: 'jsonl', dpoFormat: 'string', testSize: 0 }))
    assert.equal(rep.excluded['tie-best-score'], 1)
    assert.equal(rep.excluded['no-rejected-candidate'], 1)
    assert.equal(rep.filters.lengthRatio.applied, false)
    const lines = readFileSync(join(o, 'data', 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    const r1 = lines.find((l) => l.prompt_id === 'r1')
    assert.equal(r1.prompt, 'q-best')
    assert.equal(r1.chosen, 'Antwort 0 auf q-best')
    assert.notEqual(r1.rejected, r1.chosen)
    assert.ok(r1.score_rejected < 9)
    const r3 = lines.find((l) => l.prompt_id === 'r3')
    assert.deepEqual([r3.chosen, r3.rejected, r3.score_chosen, r3.score_rejected], ['Antwort 1 auf q-pick', 'Antwort 2 auf q-pick', 3, 5])
    for (const l of lines) assert.deepEqual(Object.keys(l), ['prompt', 'chosen', 'rejected', 'prompt_id', 'score_chosen', 'score_rejected'])
    // The rejected draw depends on seed and prompt_id only.
    const again = await exportDataset(baseOptions(w, { target: de, kind: 'dpo', out: o, format: 'jsonl', dpoFormat: 'string', testSize: 0 }))
    assert.equal(again.rows.written, rep.rows.written)
    assert.equal(JSON.parse(readFileSync(join(o, 'data', 'train.jsonl'), 'utf8').split('\n')[0]).rejected, lines[0].rejected)
  } finally {
    w.cleanup()
  }
})
