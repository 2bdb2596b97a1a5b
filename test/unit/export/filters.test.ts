import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { exportDataset } from '../../../src/core/export/export'
import { baseOptions, binarized, msg, sql, workspace, type Workspace } from './fixtures'

let ws: Workspace
let en: string
let de: string

const readJsonl = (out: string, split = 'train') =>
  readFileSync(join(out, 'data', `${split}.jsonl`), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))

before(async () => {
  ws = workspace()
  // English and German texts of about the same length: ratio ≈ 1.0–1.3 unless a row is stretched.
  const enRows = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => binarized(id, 'en', id === 'd' ? [5, 4.5] : [8, 4]))
  const deRows = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => binarized(id, 'de', id === 'd' ? [5, 4.5] : [8, 4]))
  // e: a translation four times too long.
  deRows[4].chosen[1].content = deRows[4].messages[1].content = 'Sehr, sehr lange Antwort e. '.repeat(4)
  en = ws.jsonl('en.jsonl', enRows)
  de = ws.jsonl('de.jsonl', deRows)
  await ws.review(de, 'ann', [
    ['a', { type: 'approve' }, 1],
    ['b', { type: 'approve' }, 2],
    ['b', { type: 'flag', address: 'chosen/1/content', reason: 'terminology', severity: 'minor', flagId: 'fb' }, 3],
    ['c', { type: 'approve' }, 4],
    ['c', { type: 'qa-confirm', address: 'chosen/1/content', check: 'numbers', flagKey: 'numbers:c' }, 5],
    ['f', { type: 'approve' }, 6],
    ['f', { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' }, 7],
  ])
  await ws.review(de, 'bob', [['a', { type: 'flag', address: 'prompt', reason: 'fluency', severity: 'major', flagId: 'fa' }, 8]])
})

after(() => ws.cleanup())

test('--approved-only keeps approved records; an approval conflict without resolution is its own reason', async () => {
  const out = join(ws.dir, 'approved')
  const rep = await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out, format: 'jsonl', testSize: 0, approvedOnly: true, maxSeverity: null }))
  // a: ann approves, bob flags → conflict. b, c: a flag or a confirmed QA flag newer than the approval
  // makes the verdict 'flag'. d, e: nobody approved.
  assert.equal(rep.excluded['approval-conflict'], 1)
  assert.equal(rep.excluded['not-approved'], 4)
  assert.deepEqual(readJsonl(out).map((r) => r.prompt_id), ['f'])
})

test('--max-severity: open human flags, and automatic QA flags nobody dismissed (or, with qaFlags confirmed, only confirmed ones)', async () => {
  const run = async (maxSeverity: 'minor' | 'major' | 'critical', qaFlags?: 'confirmed') => {
    const out = join(ws.dir, `sev-${maxSeverity}-${qaFlags ?? 'auto'}`)
    const rep = await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out, format: 'jsonl', testSize: 0, maxSeverity, qaFlags }))
    return { n: rep.excluded['flag-severity'], ids: readJsonl(out).map((r) => r.prompt_id), qa: rep.filters.qaFlags }
  }
  // a: major (human), b: minor (human), c: a confirmed `numbers` flag the engine no longer raises (resolved),
  // e: the engine flags the looping answer (repetition, an error → critical) in chosen and in messages.
  const minor = await run('minor')
  assert.deepEqual([minor.n, minor.ids], [3, ['c', 'd', 'f']])
  assert.equal(minor.qa.mode, 'not-dismissed')
  assert.ok(minor.qa.flags >= 2)
  assert.deepEqual([(await run('major')).ids, (await run('critical')).ids], [['b', 'c', 'd', 'f'], ['a', 'b', 'c', 'd', 'f']])
  // Only confirmed automatic flags: c counts (numbers is a warning check → major), e does not.
  const confirmed = await run('minor', 'confirmed')
  assert.deepEqual([confirmed.n, confirmed.ids, confirmed.qa.mode], [3, ['d', 'e', 'f'], 'confirmed'])
  // Dismissing both of e's automatic flags resolves them.
  await ws.review(de, 'carol', [
    ['e', { type: 'qa-dismiss', address: 'chosen/1/content', check: 'repetition', flagKey: 'chosen/1/content|repetition|0-112' }, 30],
    ['e', { type: 'qa-dismiss', address: 'messages/1/content', check: 'repetition', flagKey: 'messages/1/content|repetition|0-112' }, 31],
  ])
  const dismissed = await run('critical')
  assert.deepEqual(dismissed.ids, ['a', 'b', 'c', 'd', 'e', 'f'])
  assert.equal(dismissed.qa.dismissed, 2)
})

test('--max-ratio-deviation judges target/source characters of the exported texts against the expected ratio', async () => {
  const out = join(ws.dir, 'ratio')
  const rep = await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out, format: 'jsonl', testSize: 0, maxSeverity: null, maxRatioDeviation: 0.5 }))
  assert.equal(rep.excluded['length-ratio'], 1)
  assert.equal(rep.filters.lengthRatio.applied, true)
  assert.ok(!readJsonl(out).some((r) => r.prompt_id === 'e'))
  // Without an English side the filter cannot apply and says so.
  const alone = await exportDataset(baseOptions(ws, { target: de, kind: 'dpo', out, format: 'jsonl', testSize: 0, maxSeverity: null, maxRatioDeviation: 0.5 }))
  assert.equal(alone.excluded['length-ratio'], 0)
  assert.equal(alone.filters.lengthRatio.applied, false)
  assert.match(alone.filters.lengthRatio.note!, /not applied/)
})

test('--min-margin drops score-ordered pairs with a small margin; pairs a reviewer ordered are exempt', async () => {
  const out = join(ws.dir, 'margin')
  const rep = await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out, format: 'jsonl', testSize: 0, maxSeverity: null, minMargin: 1 }))
  assert.equal(rep.excluded['min-margin'], 1) // d: 5 - 4.5
  assert.equal(rep.filters.minMargin.exemptHumanPicks, 1) // f: swapped by ann, margin -4
  const f = readJsonl(out).find((r) => r.prompt_id === 'f')
  assert.deepEqual(f.chosen, [{ content: 'Schlechte Antwort f.', role: 'assistant' }])
})

test('--min-similarity applies only where a similarity is known', async () => {
  const out = join(ws.dir, 'sim')
  const none = await exportDataset(baseOptions(ws, { target: de, kind: 'dpo', out, format: 'jsonl', testSize: 0, maxSeverity: null, minSimilarity: 0.8 }))
  assert.equal(none.filters.minSimilarity.applied, false)
  assert.equal(none.excluded['min-similarity'], 0)
  const sims: Record<string, number> = { a: 0.95, b: 0.5, c: 0.79 }
  const some = await exportDataset(baseOptions(ws, { target: de, kind: 'dpo', out, format: 'jsonl', testSize: 0, maxSeverity: null, minSimilarity: 0.8, similarity: (id) => sims[id] }))
  assert.equal(some.filters.minSimilarity.applied, true)
  assert.equal(some.excluded['min-similarity'], 2)
  assert.equal(some.filters.minSimilarity.withoutValue, 3)
})

test('SFT from UltraChat with original fields: corrections applied, prompt follows the first user turn, bad shapes excluded', async () => {
  const w = workspace()
  try {
    const conv = (id: string, turns: [string, string, string][]) => ({
      prompt: turns[0][1],
      prompt_id: id,
      messages: turns.map(([role, content, original]) => ({ role, content, original })),
    })
    const de2 = w.jsonl('uc.de.jsonl', [
      conv('u1', [['user', 'Hallo?', 'Hello?'], ['assistant', 'Hallo!', 'Hello!'], ['user', 'Wie geht es?', 'How are you?'], ['assistant', 'Gut.', 'Fine.']]),
      conv('u2', [['user', 'Frage', 'Question'], ['assistant', 'Antwort', 'Answer'], ['user', 'Noch was', 'One more']]),
      conv('u3', [['user', 'Frage drei', 'Question three'], ['assistant', '  ', 'Answer']]),
    ])
    await w.review(de2, 'ann', [
      ['u1', { type: 'edit', address: 'messages/0/content', text: 'Hallo, du?', previous: 'Hallo?' }, 1],
      ['u1', { type: 'edit', address: 'messages/3/content', text: 'Sehr gut.', previous: 'Gut.' }, 2],
    ])
    const out = join(w.dir, 'sft')
    const rep = await exportDataset(baseOptions(w, { target: de2, kind: 'sft', out, testSize: 0, maxRatioDeviation: 5, qaFlags: 'confirmed' }))
    assert.equal(rep.mode, 'original-fields')
    assert.deepEqual([rep.excluded['bad-conversation'], rep.excluded['empty-text'], rep.rows.written], [1, 1, 1])
    const types = Object.fromEntries((await sql(`DESCRIBE SELECT * FROM '${out}/data/train-00000-of-00001.parquet'`)).map((r) => [r.column_name, r.column_type]))
    assert.deepEqual(types, { prompt: 'VARCHAR', prompt_id: 'VARCHAR', messages: 'STRUCT("content" VARCHAR, "role" VARCHAR)[]' })
    const [row] = await sql(`SELECT * FROM '${out}/data/train-00000-of-00001.parquet'`)
    assert.equal(row.prompt, 'Hallo, du?')
    assert.deepEqual(row.messages, [msg('user', 'Hallo, du?'), msg('assistant', 'Hallo!'), msg('user', 'Wie geht es?'), msg('assistant', 'Sehr gut.')].map(({ role, content }) => ({ content, role })))
    const card = readFileSync(join(out, 'README.md'), 'utf8')
    assert.ok(!card.includes('split: test'), 'no test split when --test-size 0')
  } finally {
    w.cleanup()
  }
})
