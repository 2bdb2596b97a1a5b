import assert from 'node:assert/strict'
import { test } from 'node:test'
import { agreement, cohensKappa } from '../../../src/core/review/agreement'
import type { PickValue, ReviewEvent } from '../../../src/core/review/events'
import { replay } from '../../../src/core/review/state'
import { at, ev } from './fixtures/events'

const approve = (r: string, p: string) => ev(r, p, { type: 'approve' }, at(1))
const flag = (r: string, p: string) =>
  ev(r, p, { type: 'flag', address: 'prompt', segment: null, reason: 'fluency', severity: 'minor', flagId: `${r}-${p}` }, at(1))
const pick = (r: string, p: string, v: PickValue) => ev(r, p, { type: 'pick', ...v }, at(1))
const KEEP: PickValue = { chosen: 0, rejected: 1, verdict: 'pair' }
const SWAP: PickValue = { chosen: 1, rejected: 0, verdict: 'pair' }

test('cohensKappa matches a hand-computed example', () => {
  // 10 items: both approve 4, both flag 3, A approve/B flag 2, A flag/B approve 1.
  // po = 7/10 = 0.7; A approves 6/10, B approves 5/10; pe = 0.6*0.5 + 0.4*0.5 = 0.5; kappa = 0.2/0.5 = 0.4
  const a = [...'AAAA', ...'FFF', ...'AA', ...'F']
  const b = [...'AAAA', ...'FFF', ...'FF', ...'A']
  const k = cohensKappa(a, b)
  assert.equal(k.n, 10)
  assert.equal(k.agreements, 7)
  assert.ok(Math.abs(k.po - 0.7) < 1e-12)
  assert.ok(Math.abs(k.pe - 0.5) < 1e-12)
  assert.ok(Math.abs(k.kappa! - 0.4) < 1e-12)
  assert.equal(cohensKappa([], []).kappa, null)
  assert.equal(cohensKappa(['A', 'A'], ['A', 'A']).kappa, null)
  assert.equal(cohensKappa(['A', 'F'], ['F', 'A']).kappa, -1)
})

test('agreement over review events: kappa per pair, conflicts, resolutions', () => {
  const events: ReviewEvent[] = []
  const plan = 'AA AA AA AA FF FF FF AF AF FA'.split(' ')
  plan.forEach((pair, i) => {
    events.push(pair[0] === 'A' ? approve('ann', `p${i}`) : flag('ann', `p${i}`))
    events.push(pair[1] === 'A' ? approve('bob', `p${i}`) : flag('bob', `p${i}`))
  })
  // Picks on 4 shared records: agree, agree, disagree (keep vs swap), agree (tie).
  events.push(pick('ann', 'p0', KEEP), pick('bob', 'p0', KEEP))
  events.push(pick('ann', 'p1', SWAP), pick('bob', 'p1', SWAP))
  events.push(pick('ann', 'p2', KEEP), pick('bob', 'p2', SWAP))
  events.push(pick('ann', 'p3', { chosen: null, rejected: null, verdict: 'tie' }), pick('bob', 'p3', { chosen: null, rejected: null, verdict: 'tie' }))
  // A third reviewer on a record no one else saw, and one only ann picked.
  events.push(approve('cy', 'q1'), pick('ann', 'p4', KEEP))

  const s = replay(events)
  const rep = agreement(s)
  assert.deepEqual(rep.reviewers, ['ann', 'bob', 'cy'])
  assert.equal(rep.sharedRecords, 10)
  const ab = rep.pairs.find((p) => p.a === 'ann' && p.b === 'bob')!
  assert.equal(ab.approval.n, 10)
  assert.ok(Math.abs(ab.approval.kappa! - 0.4) < 1e-12)
  // Picks: labels ann [0>1, 1>0, 0>1, tie], bob [0>1, 1>0, 1>0, tie]; po = 3/4;
  // pe = (2/4)(1/4) + (1/4)(2/4) + (1/4)(1/4) = 5/16; kappa = (12/16 - 5/16) / (11/16) = 7/11
  assert.equal(ab.pick.n, 4)
  assert.ok(Math.abs(ab.pick.kappa! - 7 / 11) < 1e-12)
  const ac = rep.pairs.find((p) => p.a === 'ann' && p.b === 'cy')!
  assert.equal(ac.approval.n, 0)
  assert.equal(ac.approval.kappa, null)

  assert.deepEqual(
    rep.conflicts.map((c) => `${c.promptId}:${c.field}`),
    ['p2:pick', 'p7:approval', 'p8:approval', 'p9:approval'],
  )
  assert.deepEqual(rep.conflicts.find((c) => c.promptId === 'p9')!.byReviewer, { ann: 'flag', bob: 'approve' })
  assert.equal(rep.openConflicts, 4)

  replay(
    [
      ev('lead', 'p2', { type: 'resolve', field: 'pick', value: SWAP }, at(5)),
      ev('lead', 'p9', { type: 'resolve', field: 'approval', value: true }, at(5)),
    ],
    s,
  )
  const after = agreement(s)
  assert.equal(after.conflicts.length, 4)
  assert.equal(after.openConflicts, 2)
  const p9 = after.conflicts.find((c) => c.promptId === 'p9')!
  assert.equal(p9.resolution!.value, true)
  assert.equal(p9.resolution!.reviewer, 'lead')
  // Resolving does not change the reviewers' agreement numbers.
  assert.deepEqual(after.pairs, rep.pairs)
})
