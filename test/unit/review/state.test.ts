import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ReviewEvent } from '../../../src/core/review/events'
import { currentPick, isApproved, isFlagOpen, mergeAll, mergeRecord, openFlags, recordVerdict, replay } from '../../../src/core/review/state'
import { at, ev } from './fixtures/events'

const flag = (reviewer: string, promptId: string, flagId: string, m: number) =>
  ev(reviewer, promptId, { type: 'flag', address: 'prompt', segment: 0, reason: 'omission', severity: 'major', flagId }, at(m))

test('replay builds flags, QA decisions, edits, approval and pick for one reviewer', () => {
  const events: ReviewEvent[] = [
    flag('ann', 'p1', 'f1', 1),
    flag('ann', 'p1', 'f2', 2),
    ev('ann', 'p1', { type: 'unflag', flagId: 'f1' }, at(3)),
    ev('ann', 'p1', { type: 'qa-confirm', address: 'prompt', check: 'numbers', flagKey: 'k1' }, at(4)),
    ev('ann', 'p1', { type: 'qa-dismiss', address: 'prompt', check: 'numbers', flagKey: 'k1' }, at(5)),
    ev('ann', 'p1', { type: 'edit', address: 'prompt', text: 'eins', previous: 'one' }, at(6)),
    ev('ann', 'p1', { type: 'edit', address: 'prompt', text: 'Eins', previous: 'eins' }, at(7)),
    ev('ann', 'p1', { type: 'approve' }, at(8)),
    ev('ann', 'p1', { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' }, at(9)),
  ]
  const s = replay(events)
  assert.equal(s.eventCount, 9)
  const rec = s.byReviewer.get('ann')!.get('p1')!
  assert.deepEqual(openFlags(rec).map((f) => f.flagId), ['f2'])
  assert.equal(isFlagOpen(rec.flags.get('f1')!, rec.unflags.get('f1')), false)
  assert.equal(rec.qa.get('k1')!.type, 'qa-dismiss')
  assert.equal(rec.edits.get('prompt')!.text, 'Eins')
  assert.equal(isApproved(rec), true)
  assert.deepEqual({ c: rec.pick!.chosen, r: rec.pick!.rejected, v: rec.pick!.verdict }, { c: 1, r: 0, v: 'pair' })
  assert.equal(rec.last.ts, at(9))
})

test('last writer wins by ts, whatever order the events arrive in', () => {
  const events: ReviewEvent[] = [
    ev('ann', 'p1', { type: 'edit', address: 'prompt', text: 'late', previous: 'x' }, at(10)),
    ev('ann', 'p1', { type: 'edit', address: 'prompt', text: 'early', previous: 'x' }, at(5)),
    ev('ann', 'p1', { type: 'unapprove' }, at(9)),
    ev('ann', 'p1', { type: 'approve' }, at(2)),
    ev('ann', 'p1', { type: 'unflag', flagId: 'f1' }, at(8)),
    flag('ann', 'p1', 'f1', 7),
  ]
  const forward = replay(events).byReviewer.get('ann')!.get('p1')!
  const backward = replay([...events].reverse()).byReviewer.get('ann')!.get('p1')!
  for (const rec of [forward, backward]) {
    assert.equal(rec.edits.get('prompt')!.text, 'late')
    assert.equal(isApproved(rec), false)
    assert.equal(isFlagOpen(rec.flags.get('f1')!, rec.unflags.get('f1')), false)
    assert.equal(recordVerdict(rec), null)
  }
  // Time zone offsets are ordered by instant, not by string.
  const tz = replay([
    ev('ann', 'p2', { type: 'edit', address: 'prompt', text: 'A', previous: '' }, '2025-01-01T10:00:00.000Z'),
    { ...ev('ann', 'p2', { type: 'edit', address: 'prompt', text: 'B', previous: '' }), ts: '2025-01-01T09:30:00+01:00' },
  ])
  assert.equal(tz.byReviewer.get('ann')!.get('p2')!.edits.get('prompt')!.text, 'A')
})

test('recordVerdict: approval after flags approves, a flag after approval flags, confirmed QA counts as a flag', () => {
  const v = (events: ReviewEvent[]) => recordVerdict(replay(events).byReviewer.get('ann')!.get('p1')!)
  assert.equal(v([flag('ann', 'p1', 'f', 1), ev('ann', 'p1', { type: 'approve' }, at(2))]), 'approve')
  assert.equal(v([ev('ann', 'p1', { type: 'approve' }, at(1)), flag('ann', 'p1', 'f', 2)]), 'flag')
  assert.equal(v([ev('ann', 'p1', { type: 'qa-confirm', address: 'prompt', check: 'c', flagKey: 'k' }, at(1))]), 'flag')
  assert.equal(v([ev('ann', 'p1', { type: 'qa-dismiss', address: 'prompt', check: 'c', flagKey: 'k' }, at(1))]), null)
})

test('merge shows every reviewer, closes flags unflagged by anyone, and reports conflicts until resolved', () => {
  const events: ReviewEvent[] = [
    ev('ann', 'p1', { type: 'approve' }, at(1)),
    ev('ann', 'p1', { type: 'pick', chosen: 0, rejected: 1, verdict: 'pair' }, at(1)),
    ev('ann', 'p1', { type: 'edit', address: 'prompt', text: 'Ann', previous: 'orig' }, at(2)),
    flag('bob', 'p1', 'bf1', 1),
    flag('bob', 'p1', 'bf2', 1),
    ev('ann', 'p1', { type: 'unflag', flagId: 'bf2' }, at(3)),
    ev('bob', 'p1', { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' }, at(2)),
    ev('bob', 'p1', { type: 'edit', address: 'prompt', text: 'Bob', previous: 'orig' }, at(4)),
    ev('bob', 'p2', { type: 'approve' }, at(1)),
    ev('ann', 'p2', { type: 'approve' }, at(1)),
  ]
  const s = replay(events)
  const m = mergeRecord(s, 'p1')
  assert.deepEqual(m.reviewers, ['ann', 'bob'])
  assert.deepEqual(m.flags.map((f) => f.flagId), ['bf1'])
  assert.equal(m.edits.get('prompt')!.text, 'Bob')
  assert.deepEqual(m.competingEdits.get('prompt')!.map((e) => e.text), ['Ann'])
  assert.deepEqual(Object.fromEntries(m.verdicts), { ann: 'approve', bob: 'flag' })
  assert.equal(m.approvalConflict, true)
  assert.equal(m.approved, null)
  assert.equal(m.pickConflict, true)
  assert.equal(m.pick, null)

  const agreed = mergeRecord(s, 'p2')
  assert.equal(agreed.approved, true)
  assert.equal(agreed.approvalConflict, false)

  replay(
    [
      ev('lead', 'p1', { type: 'resolve', field: 'approval', value: false }, at(20)),
      ev('lead', 'p1', { type: 'resolve', field: 'pick', value: { chosen: 0, rejected: 1, verdict: 'pair' } }, at(21)),
      ev('lead', 'p1', { type: 'resolve', field: 'pick', value: { chosen: 1, rejected: 0, verdict: 'pair' } }, at(22)),
    ],
    s,
  )
  const r = mergeAll(s).get('p1')!
  assert.equal(r.approvalConflict, false)
  assert.equal(r.approved, false)
  assert.equal(r.pickConflict, false)
  assert.deepEqual(r.pick, { chosen: 1, rejected: 0, verdict: 'pair' })
  // A resolution alone does not make its author a reviewer of the record.
  assert.deepEqual(r.reviewers, ['ann', 'bob'])
})

test('a withdrawn pick (nulls with verdict pair) counts as no pick', () => {
  const s = replay([
    ev('ann', 'p1', { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' }, at(1)),
    ev('bob', 'p1', { type: 'pick', chosen: 0, rejected: 1, verdict: 'pair' }, at(1)),
    ev('bob', 'p1', { type: 'pick', chosen: null, rejected: null, verdict: 'pair' }, at(2)),
  ])
  assert.equal(currentPick(s.byReviewer.get('bob')!.get('p1')!), null)
  const m = mergeRecord(s, 'p1')
  assert.equal(m.pickConflict, false)
  assert.deepEqual(m.pick, { chosen: 1, rejected: 0, verdict: 'pair' })
  assert.deepEqual([...m.picks.keys()], ['ann'])
})
