import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { main } from '../../../src/cli/phoenix'
import { planPath } from '../../../src/core/estimate/sample'
import { wilson } from '../../../src/core/estimate/stats'
import { newEvent, type ReviewEventBody } from '../../../src/core/review/events'
import { Journal, journalPath, shardIdentity } from '../../../src/core/review/journal'

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string; json?: Record<string, any> }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') })
  return { code, out, err, json: argv.includes('--json') && code === 0 ? JSON.parse(out) : undefined }
}

const ROWS = 40
const id = (i: number) => `id${String(i).padStart(3, '0')}`
// Rows 0, 5, 10 … carry a wrong number in the translation, so QA flags them.
const enRow = (i: number) => ({ prompt: `How many apples are in basket ${i}?`, prompt_id: id(i), messages: [{ role: 'user', content: `How many apples are in basket ${i}?` }, { role: 'assistant', content: `There are ${i + 12} apples in the basket, and ${i + 3} of them are green.` }] })
const deRow = (i: number) => ({ prompt: `Wie viele Äpfel sind in Korb ${i}?`, prompt_id: id(i), messages: [{ role: 'user', content: `Wie viele Äpfel sind in Korb ${i}?` }, { role: 'assistant', content: `Im Korb sind ${i % 5 === 0 ? i + 99 : i + 12} Äpfel, und ${i + 3} davon sind grün.` }] })
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'

describe('phoenix sample and phoenix estimate', () => {
  let ws: string
  let de: string
  let indices: number[]

  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'phoenix-'))
    writeFileSync(join(ws, 'en.jsonl'), jsonl(Array.from({ length: ROWS }, (_, i) => enRow(i))))
    writeFileSync((de = join(ws, 'de.jsonl')), jsonl(Array.from({ length: ROWS }, (_, i) => deRow(i))))
  })
  after(() => rmSync(ws, { recursive: true, force: true }))

  it('estimate without a plan exits 2 and says how to draw one', async () => {
    const r = await run('estimate', de, '--workspace', ws)
    assert.equal(r.code, 2)
    assert.match(r.err, /no sample plan for de\.jsonl .*phoenix sample/)
  })

  it('sample writes a seeded plan and prints it', async () => {
    const r = await run('sample', de, '--size', '20', '--seed', '5', '--workspace', ws, '--json')
    assert.equal(r.code, 0, r.err)
    const plan = r.json!
    assert.equal(plan.size, 20)
    assert.equal(plan.population, ROWS)
    assert.equal(plan.seed, 5)
    assert.equal(plan.shard, 'de.jsonl')
    assert.equal(plan.file, planPath(ws, de))
    indices = plan.indices
    assert.deepEqual(plan.promptIds, indices.map(id))
    assert.deepEqual(JSON.parse(readFileSync(planPath(ws, de), 'utf8')).indices, indices)
    const text = await run('sample', de, '--size', '20', '--seed', '5', '--workspace', ws)
    assert.equal(text.code, 0)
    assert.match(text.out, /sample: +20 of 40 rows of de\.jsonl/)
    assert.match(text.out, /unchanged/)
  })

  it('refuses to replace a plan with a different one unless forced, and checks its arguments', async () => {
    const other = await run('sample', de, '--size', '20', '--seed', '6', '--workspace', ws)
    assert.equal(other.code, 2)
    assert.match(other.err, /already holds a different sample .*--force/)
    assert.equal((await run('sample', de, '--seed', '5', '--workspace', ws)).code, 2)
    assert.equal((await run('sample', de, '--size', '5', '--margin', '0.1', '--workspace', ws)).code, 2)
    assert.match((await run('sample', de, '--margin', '3', '--workspace', ws)).err, /--margin must be a number between 0 and 1/)
    const missing = await run('sample', join(ws, 'nope.jsonl'), '--size', '3', '--workspace', ws)
    assert.equal(missing.code, 2)
    assert.match(missing.err, /nope\.jsonl: file not found/)
    // a margin-sized plan in another workspace: ±10% of 40 rows at 95% → 29 rows
    const ws2 = mkdtempSync(join(tmpdir(), 'phoenix-'))
    try {
      const m = await run('sample', de, '--margin', '0.1', '--seed', 'x', '--workspace', ws2, '--json')
      assert.equal(m.code, 0, m.err)
      assert.equal(m.json!.size, 29)
      assert.ok(m.json!.margin <= 0.1)
    } finally {
      rmSync(ws2, { recursive: true, force: true })
    }
  })

  it('estimate counts only sampled rows that reviewers decided, with a verdict and QA agreement', async () => {
    const sampled = new Set(indices)
    const outside = Array.from({ length: ROWS }, (_, i) => i).filter((i) => !sampled.has(i))
    const journal = await Journal.open(journalPath(ws, de, 'ana'))
    const shard = shardIdentity(ws, de)
    const put = (i: number, body: ReviewEventBody) => journal.append(newEvent({ reviewer: 'ana', shard }, id(i), body))
    const reviewed = indices.slice(0, 16)
    let flagged = 0
    for (const i of reviewed) {
      if (i % 5 === 0) {
        flagged++
        await put(i, { type: 'flag', address: 'messages/1/content', reason: 'number-entity', severity: 'major', flagId: `f${i}` })
      } else await put(i, { type: 'approve' })
    }
    // Rows reviewed from the risk queue, outside the sample: must not count.
    for (const i of outside) await put(i, { type: 'flag', address: 'messages/1/content', reason: 'omission', severity: 'critical', flagId: `o${i}` })
    await journal.close()
    assert.ok(flagged >= 2 && flagged < 16, `seed 5 should sample some drifted rows, got ${flagged}`)

    const r = await run('estimate', de, '--workspace', ws, '--no-langid', '--json')
    assert.equal(r.code, 0, r.err)
    const j = r.json!
    assert.equal(j.plan.seed, 5)
    assert.equal(j.estimate.sampled, 20)
    assert.equal(j.estimate.reviewed, 16)
    assert.equal(j.estimate.notReviewed, 4)
    assert.equal(j.estimate.any.count, flagged)
    assert.equal(j.estimate.atLeast.critical.count, 0)
    assert.equal(j.estimate.byReason.omission.count, 0)
    assert.equal(j.estimate.byReason['number-entity'].count, flagged)
    assert.equal(j.estimate.rows, undefined)
    assert.equal(j.verdict.count, flagged)
    assert.equal(j.verdict.reviewed, 16)
    const w = wilson(flagged, 16, { population: ROWS })
    assert.equal(j.verdict.upper, w.upper)
    assert.equal(j.verdict.verdict, w.upper < 0.05 ? 'accept' : w.lower >= 0.05 ? 'reject' : 'undecided')
    assert.equal(j.verdict.maxShare, 0.05)
    // The numbers check fires exactly on rows i % 5 == 0 and the reviewer flagged exactly those.
    const numbers = j.qaAgreement.checks.find((c: { check: string }) => c.check === 'numbers')
    assert.ok(numbers, JSON.stringify(j.qaAgreement))
    assert.equal(numbers.fp, 0)
    assert.equal(numbers.fn, 0)
    assert.equal(numbers.tp, flagged)
    assert.ok(j.warnings.some((w: string) => /4 of 20 sampled rows are not reviewed/.test(w)))

    const strict = await run('estimate', de, '--workspace', ws, '--no-qa', '--severity', 'minor', '--max-share', '0.9', '--json')
    assert.equal(strict.json!.verdict.verdict, 'accept')
    assert.equal(strict.json!.qaAgreement, null)
    const text = await run('estimate', de, '--workspace', ws, '--no-langid')
    assert.match(text.out, /reviewed: +16 of 20 sampled rows \(4 not yet\)/)
    assert.match(text.out, /verdict: +(accept|reject|undecided): /)
    assert.match(text.out, /numbers +\d+ +0 +0/)
    const withRows = await run('estimate', de, '--workspace', ws, '--no-qa', '--rows', '--json')
    assert.equal(withRows.json!.estimate.rows.length, 20)
  })

  it('exits 2 when the shard changed since the sample was drawn, or on bad options', async () => {
    assert.equal((await run('estimate', de, '--workspace', ws, '--severity', 'huge')).code, 2)
    assert.equal((await run('estimate', de, '--workspace', ws, '--max-share', '1.5')).code, 2)
    assert.equal((await run('estimate', de, '--workspace', ws, '--bogus')).code, 2)
    writeFileSync(de, jsonl(Array.from({ length: ROWS }, (_, i) => deRow(ROWS - 1 - i))))
    const r = await run('estimate', de, '--workspace', ws)
    assert.equal(r.code, 2)
    assert.match(r.err, /changed since its sample was drawn/)
    writeFileSync(de, jsonl(Array.from({ length: ROWS - 1 }, (_, i) => deRow(i))))
    assert.match((await run('estimate', de, '--workspace', ws)).err, /39 rows, the plan was drawn from 40/)
    writeFileSync(planPath(ws, de), '{not json')
    const broken = await run('estimate', de, '--workspace', ws)
    assert.equal(broken.code, 2)
    assert.match(broken.err, /not valid JSON/)
  })
})
