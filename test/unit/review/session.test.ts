import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ReviewSession } from '../../../src/core/review/session'

const samples = join(import.meta.dirname, '../../../samples')
let ws: string
before(() => {
  ws = mkdtempSync(join(tmpdir(), 'phoenix-session-'))
  cpSync(samples, ws, { recursive: true })
})
after(() => rmSync(ws, { recursive: true, force: true }))

const open = (file: string, reviewer = 'ada') => ReviewSession.open({ workspace: ws, file: join(ws, file), reviewer })

describe('review session', () => {
  it('pairs en.jsonl with its de.jsonl sibling from either side and shows both languages', async () => {
    for (const file of ['ultrachat/en.jsonl', 'ultrachat/de.jsonl']) {
      const s = await open(file)
      assert.equal(s.mode, 'paired')
      assert.equal(s.kind, 'ultrachat')
      assert.equal(s.size, 32)
      assert.equal(s.info().name, 'de.jsonl')
      const r = await s.record(0)
      const u = r.units.find((x) => x.address === 'messages/0/content')!
      assert.notEqual(u.source, u.target)
      assert.ok(u.segments.length >= 1)
      await s.close()
    }
  })

  it('pairs by `original` fields (mode b)', async () => {
    const s = await open('ultrachat/de-with-original.jsonl')
    assert.equal(s.mode, 'original')
    const r = await s.record(0)
    assert.ok(r.units.length > 0 && r.units.every((u) => u.source.length > 0))
    await s.close()
  })

  it('keeps decisions pending until saved, then finds them after reopening', async () => {
    const s = await open('ultrachat/de.jsonl')
    const before = await s.record(1)
    const address = before.units[1].address
    s.decide(1, { type: 'edit', address, text: 'Korrigiert.', previous: before.units[1].target })
    s.decide(1, { type: 'flag', address, segment: 0, reason: 'omission', severity: 'major', comment: 'Satz fehlt', flagId: 'f1' })
    s.decide(1, { type: 'approve' })
    assert.equal(s.pending.length, 3)
    const during = await s.record(1)
    assert.equal(during.units[1].target, 'Korrigiert.')
    assert.equal(during.units[1].machine, before.units[1].target)
    assert.equal(during.flags[0].reason, 'omission')
    assert.equal(during.approved, true)
    // Undo before save takes the approval back.
    const last = s.pending[s.pending.length - 1]
    assert.equal(s.retract(last.id), true)
    assert.equal((await s.record(1)).approved, false)
    await s.save()
    assert.equal(s.pending.length, 0)
    await s.close()

    const again = await open('ultrachat/de.jsonl')
    const r = await again.record(1)
    assert.equal(r.units[1].target, 'Korrigiert.')
    assert.deepEqual(r.flags.map((f) => [f.reason, f.severity, f.comment, f.reviewer]), [['omission', 'major', 'Satz fehlt', 'ada']])
    assert.equal(r.approved, false)
    await again.close()
  })

  it('undoes a saved decision with a later one (inverse) and shows other reviewers\' flags', async () => {
    const s = await open('ultrafeedback-binarized/de.jsonl', 'bo')
    assert.equal((await s.record(0)).completions.length, 2)
    const body = { type: 'pick' as const, chosen: 1, rejected: 0, verdict: 'pair' as const }
    const inverse = s.inverse(0, body)
    s.decide(0, body)
    await s.save()
    assert.deepEqual((await s.record(0)).pick && { c: (await s.record(0)).pick!.chosen, r: (await s.record(0)).pick!.rejected }, { c: 1, r: 0 })
    s.decide(0, inverse!)
    assert.equal((await s.record(0)).pick, undefined)
    await s.close()
  })

  it('filters by flag, review state, reviewer, text and length ratio, with counts', async () => {
    const s = await open('ultrachat/de.jsonl')
    await s.scan()
    const all = await s.setFilter({})
    assert.equal(all.total, 32)
    assert.equal(all.reviewed, 1) // the record flagged and saved above
    assert.equal(all.byReason.omission, 1)
    assert.equal(all.reviewers.ada, 1)
    assert.equal((await s.setFilter({ flag: 'omission' })).matching, 1)
    assert.equal(s.visibleAt(0), 1)
    assert.equal((await s.setFilter({ reviewed: 'unreviewed' })).matching, 31)
    assert.equal((await s.setFilter({ reviewer: 'nobody' })).matching, 0)
    const first = (await s.record(0)).units[0].target.slice(0, 12)
    assert.ok((await s.setFilter({ text: first.toUpperCase() })).matching >= 1)
    const ratios = (await s.setFilter({})) && (await s.summaries(0, 32)).map((r) => r.lengthRatio!)
    assert.ok(ratios.every((r) => r > 0))
    const sorted = [...ratios].sort((a, b) => a - b)
    const low = (await s.setFilter({ ratioMax: sorted[0] + 0.005 })).matching
    assert.ok(low >= 1 && low < 32, `ratio filter kept ${low}`)
    assert.equal(low + (await s.setFilter({ ratioMin: sorted[0] + 0.005 })).matching, 32)
    await s.close()
  })
})

describe('review session: risk queue and sample estimates', () => {
  it('orders by risk with explanations, walks the sample, and estimates only from sampled rows', async () => {
    const { drawPlan, planPath, writePlan } = await import('../../../src/core/estimate/sample')
    const { reviewRuleChecks } = await import('../../../src/core/qa/review-hooks')
    const { defaultQaConfig } = await import('../../../src/core/qa/config')
    const qa = reviewRuleChecks(defaultQaConfig(), {})
    const s = await ReviewSession.open({ workspace: ws, file: join(ws, 'ultrafeedback-binarized/de.jsonl'), reviewer: 'cy', qa })
    await s.scan()
    const risky = await s.setFilter({ mode: 'risk' })
    assert.equal(risky.mode, 'risk')
    const top = await s.summaries(0, 3)
    assert.ok(top[0].risk! > 0 && top[0].riskWhy!.length > 0)
    assert.ok(top[0].risk! >= top[1].risk! && top[1].risk! >= top[2].risk!)

    assert.equal(s.estimate(), null)
    assert.equal((await s.setFilter({ mode: 'sample' })).matching, 0)
    const plan = await drawPlan('ultrafeedback-binarized/de.jsonl', 15, { size: 5, seed: 7 }, async (i) => (await s.target.read(i)).row!.prompt_id as string)
    writePlan(planPath(ws, s.target.path), plan)
    const counts = await s.setFilter({ mode: 'sample' })
    assert.equal(counts.matching, 5)
    assert.deepEqual(counts.sample && counts.sample.size, 5)
    const sampled = new Set(plan.indices)
    const outside = s.entries.findIndex((e) => !sampled.has(e.targetIndex))
    // A decision outside the sample changes nothing in the estimate.
    s.decide(outside, { type: 'flag', address: 'prompt', segment: null, reason: 'omission', severity: 'critical', flagId: 'out' })
    assert.equal(s.estimate()!.reviewed, 0)
    const first = s.visibleAt(0)!
    const second = s.visibleAt(1)!
    s.decide(first, { type: 'flag', address: 'prompt', segment: null, reason: 'mistranslation', severity: 'major', flagId: 'in' })
    s.decide(second, { type: 'approve' })
    const est = s.estimate()!
    assert.equal(est.reviewed, 2)
    assert.equal(est.sampled, 5)
    assert.equal(est.atLeast.major.count, 1)
    assert.equal(est.byReason.mistranslation!.count, 1)
    assert.equal(est.byReason.omission, undefined)
    assert.ok(['accept', 'reject', 'undecided'].includes(est.verdict.verdict) && est.verdict.explanation.length > 20)
    await s.close()
  })
})

describe('review session: automatic flags on segments', () => {
  it('places a flag with a span on the segment it points into, a flag without one on its unit', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs')
    const { reviewRuleChecks } = await import('../../../src/core/qa/review-hooks')
    const { defaultQaConfig } = await import('../../../src/core/qa/config')
    const dir = join(ws, 'segments')
    mkdirSync(dir)
    const row = (prompt: string, answer: string) => JSON.stringify({ prompt, prompt_id: 'p1', messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: answer }] })
    writeFileSync(join(dir, 'en.jsonl'), row('How long does the train take?', 'The train leaves at noon.\n\nThe ride takes 45 minutes.\n\nTickets cost 12 euros.') + '\n')
    // the second paragraph's number changed; everything else is a faithful translation
    writeFileSync(join(dir, 'de.jsonl'), row('Wie lange fährt der Zug?', 'Der Zug fährt mittags ab.\n\nDie Fahrt dauert 54 Minuten.\n\nFahrkarten kosten 12 Euro.') + '\n')
    const s = await ReviewSession.open({ workspace: ws, file: join(dir, 'de.jsonl'), reviewer: 'ada', qa: reviewRuleChecks(defaultQaConfig(), {}) })
    const r = await s.record(0)
    const answer = r.units.find((u) => u.address === 'messages/1/content')!
    assert.equal(answer.segments.length, 3)
    const numbers = r.qaFlags.filter((f) => f.check === 'numbers')
    assert.equal(numbers.length, 1)
    assert.equal(numbers[0].address, 'messages/1/content')
    assert.equal(numbers[0].segment, 1)
    assert.ok(!('span' in numbers[0]), 'spans stay in the host')
    await s.close()
  })

  it('segmentAt: the part holding an offset, separators counted to the next part, padded parts skipped', async () => {
    const { alignSegments, segmentAt } = await import('../../../src/core/review/align')
    const text = 'One.\n\nTwo two.\n\nThree.'
    const parts = alignSegments(text, text).map((p) => p.source)
    assert.deepEqual(parts, ['One.', 'Two two.', 'Three.'])
    assert.equal(segmentAt(text, parts, 0), 0)
    assert.equal(segmentAt(text, parts, 3), 0)
    assert.equal(segmentAt(text, parts, 4), 1, 'the blank line before a part belongs to it')
    assert.equal(segmentAt(text, parts, text.indexOf('Three')), 2)
    assert.equal(segmentAt(text, parts, text.length), undefined)
    // a target with fewer paragraphs is padded with empty parts, which hold nothing
    assert.equal(segmentAt('Eins.', ['Eins.', '', ''], 2), 0)
    assert.equal(segmentAt('Eins.', ['Eins.', '', ''], 5), undefined)
    // any number of blank lines separates two paragraphs, none of them starts the next one
    assert.deepEqual(alignSegments('A.\n\n\n\nB.\r\n\r\n\r\nC.', 'x').map((p) => p.source), ['A.', 'B.', 'C.'])
  })
})
