import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newEvent, newEventId, parseEventLine, pickKey, validateEvent } from '../../../src/core/review/events'
import { ev } from './fixtures/events'

const base = { v: 1, id: 'ann-1', ts: '2025-01-01T10:00:00.000Z', reviewer: 'ann', shard: 's.jsonl', promptId: 'p1' }

test('valid events of every type pass validation unchanged', () => {
  const bodies = [
    { type: 'flag', address: 'prompt', segment: 2, reason: 'omission', severity: 'major', comment: 'fehlt', flagId: 'f1' },
    { type: 'flag', address: 'prompt', segment: null, reason: 'other', severity: 'minor', flagId: 'f2' },
    { type: 'unflag', flagId: 'f1' },
    { type: 'qa-confirm', address: 'chosen/1/content', check: 'numbers', flagKey: 'numbers:chosen/1/content:0' },
    { type: 'qa-dismiss', address: 'prompt', check: 'length', flagKey: 'length:prompt' },
    { type: 'edit', address: 'prompt', text: 'Hallo', previous: '' },
    { type: 'approve' },
    { type: 'unapprove' },
    { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' },
    { type: 'pick', chosen: null, rejected: null, verdict: 'tie' },
    { type: 'pick', chosen: null, rejected: null, verdict: 'pair' },
    { type: 'resolve', field: 'approval', value: true },
    { type: 'resolve', field: 'pick', value: { chosen: 0, rejected: 1, verdict: 'pair' } },
  ]
  for (const b of bodies) {
    const e = { ...base, ...b }
    assert.deepEqual(validateEvent(e), e, JSON.stringify(b))
  }
})

test('invalid events give a message naming the problem', () => {
  const cases: [unknown, RegExp][] = [
    [null, /JSON object/],
    [[1], /JSON object/],
    [{ ...base, v: 2, type: 'approve' }, /version/],
    [{ ...base, type: 'approve', ts: 'yesterday' }, /"ts"/],
    [{ ...base, type: 'approve', ts: '2025-13-01T00:00:00.000Z' }, /"ts"/],
    [{ ...base, type: 'approve', reviewer: '' }, /"reviewer"/],
    [{ ...base, type: 'frobnicate' }, /"type"/],
    [{ ...base, type: 'flag', address: 'prompt', reason: 'bad', severity: 'minor', flagId: 'f' }, /"reason"/],
    [{ ...base, type: 'flag', address: 'prompt', reason: 'omission', severity: 'huge', flagId: 'f' }, /"severity"/],
    [{ ...base, type: 'flag', address: 'prompt', reason: 'omission', severity: 'minor', flagId: 'f', segment: -1 }, /"segment"/],
    [{ ...base, type: 'edit', address: 'prompt', text: 3, previous: '' }, /"text"/],
    [{ ...base, type: 'pick', chosen: 0, rejected: 0, verdict: 'pair' }, /differ/],
    [{ ...base, type: 'pick', chosen: 0, rejected: null, verdict: 'pair' }, /both/],
    [{ ...base, type: 'pick', chosen: 1.5, rejected: 0, verdict: 'pair' }, /"chosen"/],
    [{ ...base, type: 'resolve', field: 'approval', value: 'yes' }, /boolean/],
    [{ ...base, type: 'resolve', field: 'pick', value: { chosen: 0, rejected: 1, verdict: 'meh' } }, /"verdict"/],
    [{ ...base, type: 'resolve', field: 'other', value: 1 }, /"field"/],
  ]
  for (const [value, re] of cases) {
    const r = validateEvent(value)
    assert.equal(typeof r, 'string', JSON.stringify(value))
    assert.match(r as string, re)
  }
})

test('parseEventLine reports bad JSON', () => {
  assert.match(parseEventLine('{"v":1,') as string, /not valid JSON/)
  const e = ev('ann', 'p1', { type: 'approve' })
  assert.deepEqual(parseEventLine(JSON.stringify(e)), e)
})

test('newEvent fills the envelope and ids are unique', () => {
  const now = new Date('2025-02-03T04:05:06.007Z')
  const e = newEvent({ reviewer: 'ann', shard: 's' }, 'p9', { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' }, now)
  assert.equal(e.ts, '2025-02-03T04:05:06.007Z')
  assert.equal(e.reviewer, 'ann')
  assert.equal(e.promptId, 'p9')
  assert.ok(e.id.startsWith('ann-'))
  const ids = new Set(Array.from({ length: 1000 }, () => newEventId('ann', now)))
  assert.equal(ids.size, 1000)
  assert.throws(() => newEvent({ reviewer: 'ann', shard: 's' }, 'p', { type: 'edit', address: '', text: 'x', previous: '' }), /address/)
})

test('pickKey distinguishes swap, keep, tie and unusable', () => {
  assert.equal(pickKey({ chosen: 0, rejected: 1, verdict: 'pair' }), '0>1')
  assert.equal(pickKey({ chosen: 1, rejected: 0, verdict: 'pair' }), '1>0')
  assert.equal(pickKey({ chosen: null, rejected: null, verdict: 'tie' }), 'tie')
  assert.equal(pickKey({ chosen: 0, rejected: 1, verdict: 'unusable' }), 'unusable')
})
