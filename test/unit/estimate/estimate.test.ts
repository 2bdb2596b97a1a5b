import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { qaAgreement } from '../../../src/core/estimate/agreement'
import { sampleOutcomes } from '../../../src/core/estimate/decisions'
import { acceptance, estimateDrift } from '../../../src/core/estimate/estimate'
import type { SamplePlan } from '../../../src/core/estimate/sample'
import { wilson } from '../../../src/core/estimate/stats'
import { newEvent, type FlagReason, type ReviewEvent, type ReviewEventBody, type Severity } from '../../../src/core/review/events'
import { replay } from '../../../src/core/review/state'

const ctx = { reviewer: 'ana', shard: 'de.jsonl' }
let clock = Date.parse('2025-03-01T10:00:00.000Z')
const ev = (promptId: string, body: ReviewEventBody, reviewer = 'ana'): ReviewEvent => newEvent({ ...ctx, reviewer }, promptId, body, new Date((clock += 1000)))
const flag = (id: string, reason: FlagReason, severity: Severity, flagId = `${id}-${reason}-${severity}`): ReviewEvent =>
  ev(id, { type: 'flag', address: 'messages/1/content', reason, severity, flagId })

/** 100 rows, rows 0, 2, 4 … 38 sampled (20 rows), prompt ids `p<i>`; row 38 unreadable. */
function plan(): SamplePlan {
  const indices = Array.from({ length: 20 }, (_, k) => 2 * k)
  return {
    version: 1,
    shard: 'de.jsonl',
    seed: 1,
    size: 20,
    population: 100,
    indices,
    promptIds: indices.map((i) => (i === 38 ? null : `p${i}`)),
    created: '2025-03-01T00:00:00.000Z',
    margin: 0.2,
    confidence: 0.95,
    p: 0.5,
    method: 'test',
  }
}

function decisions(): ReviewEvent[] {
  const out: ReviewEvent[] = []
  for (let i = 0; i < 30; i += 2) out.push(ev(`p${i}`, { type: 'approve' })) // p0 … p28 approved (15 rows)
  out.push(flag('p0', 'mistranslation', 'major')) // approved earlier, open flag after: drift
  out.push(flag('p2', 'omission', 'critical'))
  out.push(flag('p4', 'fluency', 'minor'))
  out.push(flag('p6', 'terminology', 'major'), ev('p6', { type: 'unflag', flagId: 'p6-terminology-major' })) // withdrawn
  out.push(ev('p8', { type: 'qa-confirm', address: 'messages/1/content', check: 'numbers', flagKey: 'k1' })) // numbers: warning → minor
  out.push(ev('p10', { type: 'qa-confirm', address: 'messages/1/content', check: 'code', flagKey: 'k2' })) // code: error → major
  out.push(ev('p12', { type: 'qa-dismiss', address: 'messages/1/content', check: 'numbers', flagKey: 'k3' }))
  out.push(flag('p30', 'untranslated', 'critical', 'f30')) // sampled, flagged only: reviewed (verdict flag)
  out.push(ev('p32', { type: 'edit', address: 'messages/1/content', text: 'x', previous: 'y' })) // an edit is not a review
  return out
}

describe('outcomes of the sampled rows', () => {
  it('counts a row as reviewed on approve or flag, with its worst drift per reason', () => {
    const rows = sampleOutcomes(plan(), replay(decisions()))
    const by = new Map(rows.map((r) => [r.index, r]))
    assert.equal(rows.filter((r) => r.status === 'reviewed').length, 16)
    assert.equal(by.get(32)!.status, 'not-reviewed')
    assert.equal(by.get(38)!.status, 'unreadable')
    assert.deepEqual(by.get(0)!.drift, { mistranslation: 'major' })
    assert.equal(by.get(6)!.severity, null)
    assert.deepEqual(by.get(8)!.drift, { 'number-entity': 'minor' })
    assert.deepEqual(by.get(10)!.drift, { formatting: 'major' })
    assert.deepEqual(by.get(12)!.dismissedChecks, ['numbers'])
    assert.equal(by.get(12)!.severity, null)
    assert.equal(by.get(30)!.severity, 'critical')
  })

  it('decisions on rows outside the sample change nothing', () => {
    const base = estimateDrift(plan(), sampleOutcomes(plan(), replay(decisions())))
    const extra = [...decisions()]
    for (let i = 1; i < 100; i += 2) extra.push(flag(`p${i}`, 'omission', 'critical'), ev(`p${i}`, { type: 'approve' }))
    for (let i = 40; i < 100; i += 2) extra.push(flag(`p${i}`, 'mistranslation', 'critical'))
    const more = estimateDrift(plan(), sampleOutcomes(plan(), replay(extra)))
    const { rows: _a, ...a } = base
    const { rows: _b, ...b } = more
    assert.deepEqual(b, a)
  })
})

describe('drift estimates', () => {
  it('gives per-severity and per-reason shares with Wilson intervals over the reviewed rows', () => {
    const est = estimateDrift(plan(), sampleOutcomes(plan(), replay(decisions())), { fpc: false })
    assert.equal(est.sampled, 20)
    assert.equal(est.reviewed, 16)
    assert.equal(est.notReviewed, 3)
    assert.equal(est.unreadable, 1)
    // drift: p0 major, p2 critical, p4 minor, p8 minor, p10 major, p30 critical
    assert.deepEqual([est.any.count, est.atLeast.minor.count, est.atLeast.major.count, est.atLeast.critical.count], [6, 6, 4, 2])
    assert.equal(est.byReason.mistranslation.count, 1)
    assert.equal(est.byReason['number-entity'].count, 1)
    assert.equal(est.byReason.terminology.count, 0)
    const w = wilson(4, 16)
    assert.equal(est.atLeast.major.lower, w.lower)
    assert.equal(est.atLeast.major.upper, w.upper)
    assert.equal(est.atLeast.major.shardRows.point, 25)
    assert.equal(est.atLeast.major.shardRows.upper, Math.ceil(w.upper * 100))
    assert.ok(est.warnings.some((x) => /3 of 19 sampled rows are not reviewed/.test(x)))
  })

  it('narrows intervals with the finite population correction (default)', () => {
    const rows = sampleOutcomes(plan(), replay(decisions()))
    const fpc = estimateDrift(plan(), rows)
    const plain = estimateDrift(plan(), rows, { fpc: false })
    assert.equal(fpc.fpc, true)
    assert.ok(fpc.any.upper < plain.any.upper && fpc.any.lower > plain.any.lower)
    assert.equal(fpc.any.upper, wilson(6, 16, { population: 100 }).upper)
  })
})

describe('acceptance verdict', () => {
  const est = estimateDrift(plan(), sampleOutcomes(plan(), replay(decisions())), { fpc: false })
  const { lower, upper } = wilson(4, 16)

  it('flips from undecided to accept exactly when the upper bound falls below the threshold', () => {
    assert.equal(acceptance(est, { severity: 'major', maxShare: upper }).verdict, 'undecided')
    const a = acceptance(est, { severity: 'major', maxShare: upper + 1e-12 })
    assert.equal(a.verdict, 'accept')
    assert.equal(a.count, 4)
    assert.equal(a.reviewed, 16)
    assert.equal(a.sampled, 20)
    assert.match(a.explanation, /^accept: major-or-worse drift stays below/)
  })

  it('flips to reject exactly when the lower bound reaches the threshold', () => {
    assert.equal(acceptance(est, { severity: 'major', maxShare: lower }).verdict, 'reject')
    assert.equal(acceptance(est, { severity: 'major', maxShare: lower + 1e-12 }).verdict, 'undecided')
    assert.match(acceptance(est, { maxShare: lower }).explanation, /4 of 16 reviewed sampled rows/)
  })

  it('counts by severity and reason and uses its own confidence', () => {
    const crit = acceptance(est, { severity: 'critical', maxShare: 0.5 })
    assert.equal(crit.count, 2)
    assert.equal(crit.verdict, 'accept')
    assert.equal(acceptance(est, { severity: 'minor', reason: 'omission', maxShare: 0.5 }).count, 1)
    const wide = acceptance(est, { severity: 'major', maxShare: 0.05, confidence: 0.99 })
    assert.equal(wide.upper, wilson(4, 16, { confidence: 0.99 }).upper)
    assert.throws(() => acceptance(est, { maxShare: 0 }), RangeError)
  })
})

describe('agreement of automatic QA with reviewers', () => {
  it('computes per-check precision and recall on reviewed sampled rows only', () => {
    const rows = sampleOutcomes(plan(), replay(decisions()))
    const auto = new Map<number, { check: string }[]>()
    for (const r of rows) auto.set(r.index, [])
    auto.set(8, [{ check: 'numbers' }]) // confirmed: TP
    auto.set(12, [{ check: 'numbers' }]) // dismissed: FP
    auto.set(14, [{ check: 'numbers' }]) // approved, no flag: FP
    auto.set(10, [{ check: 'code' }]) // confirmed: TP
    auto.set(2, [{ check: 'truncation' }]) // omission flag, truncation covers omission: TP
    auto.set(32, [{ check: 'numbers' }]) // not reviewed: ignored
    const a = qaAgreement(rows, auto)
    assert.equal(a.rows, 16)
    const numbers = a.checks.find((c) => c.check === 'numbers')!
    assert.deepEqual([numbers.tp, numbers.fp, numbers.fn, numbers.tn], [1, 2, 0, 13])
    assert.equal(numbers.precision, 1 / 3)
    assert.equal(numbers.recall, 1)
    assert.equal(numbers.confirmedRows, 1)
    assert.equal(numbers.dismissedRows, 1)
    assert.equal(a.checks.find((c) => c.check === 'truncation')!.tp, 1)
    // untranslated never fired, but a reviewer flagged p30 as untranslated: a miss.
    const untranslated = a.checks.find((c) => c.check === 'untranslated')!
    assert.deepEqual([untranslated.tp, untranslated.fn, untranslated.recall], [0, 1, 0])
    // any QA flag vs any drift: flagged rows 2, 8, 10 drift; 12, 14 do not; drift rows 0, 4, 30 unflagged.
    assert.deepEqual([a.any.tp, a.any.fp, a.any.fn, a.any.tn], [3, 2, 3, 8])
    assert.equal(a.any.precisionInterval.upper, wilson(3, 5).upper)
  })
})

describe('QA report agreement table', () => {
  it('is null without a sample and counts per check once a sample is reviewed', async () => {
    const { cpSync, mkdtempSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { sampleAgreement } = await import('../../../src/core/estimate/report-agreement')
    const { drawPlan, planPath, writePlan } = await import('../../../src/core/estimate/sample')
    const { defaultQaConfig } = await import('../../../src/core/qa/config')
    const { Journal, journalPath, shardIdentity } = await import('../../../src/core/review/journal')
    const { newEvent } = await import('../../../src/core/review/events')
    const { openShard } = await import('../../../src/core/records/open')
    const ws = mkdtempSync(join(tmpdir(), 'phoenix-agree-'))
    try {
      cpSync(join(import.meta.dirname, '../../../samples/ultrachat'), join(ws, 'ultrachat'), { recursive: true })
      const target = join(ws, 'ultrachat/de.jsonl')
      const source = join(ws, 'ultrachat/en.jsonl')
      assert.equal(await sampleAgreement(ws, target, source, defaultQaConfig(), {}), null)
      const shard = await openShard(target)
      const plan = await drawPlan(shardIdentity(ws, target), shard.rowCount, { size: 32, seed: 1 }, async (i) => (await shard.read(i)).row!.prompt_id as string)
      writePlan(planPath(ws, target), plan)
      const j = await Journal.open(journalPath(ws, target, 'ann'))
      for (let i = 0; i < shard.rowCount; i++) {
        const id = (await shard.read(i)).row!.prompt_id as string
        await j.append(newEvent({ reviewer: 'ann', shard: shardIdentity(ws, target) }, id, i === 4 ? { type: 'flag', address: 'messages/1/content', segment: null, reason: 'formatting', severity: 'major', flagId: 'c1' } : { type: 'approve' }))
      }
      await j.close()
      await shard.close()
      const a = (await sampleAgreement(ws, target, source, defaultQaConfig(), {}))!
      assert.equal(a.rows, 32)
      const any = a.checks[0]
      assert.equal(any.check, 'any')
      assert.equal(any.tp + any.fn, 1, 'one row has human drift')
      assert.ok(any.fp >= 1, 'QA flags rows the reviewer approved')
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  })
})
