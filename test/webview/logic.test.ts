/** The review webview's pure parts: page cache, pick rules, fenced code splitting (no browser needed). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PAGE, RowCache } from '../../webview/review/row-cache'
import { applyPick, currentPair } from '../../webview/review/picks'
import { splitFences } from '../../webview/review/text-blocks'
import { segmentSlots } from '../../webview/review/slots'
import { syntheticRecord, syntheticRow, ultrafeedbackRecord } from './fixtures'
import type { RecordView } from '../../src/protocol/review'

const rows = (start: number, n: number) => Array.from({ length: n }, (_, i) => syntheticRow(start + i))

test('row cache: requests each missing page once, merges neighbours, keeps what was asked for', () => {
  const c = new RowCache()
  c.reset(200_000, false)
  assert.deepEqual(c.need(1000, 1020), [{ start: 800, end: 1400 }])
  assert.deepEqual(c.need(1000, 1020), [], 'already on its way')
  assert.equal(c.put(1000, rows(1000, PAGE)), true)
  assert.equal(c.get(1005)?.index, 1005)
  // A page nobody asked for (an answer to an earlier filter) is dropped.
  assert.equal(c.put(50_000, rows(50_000, PAGE)), false)
  assert.equal(c.get(50_000), undefined)
  // The last page is short.
  assert.deepEqual(c.need(199_990, 199_999, 0), [{ start: 199_800, end: 200_000 }])
})

test('row cache: after a filter change old rows stay visible as stale but never count as fresh', () => {
  const c = new RowCache()
  c.reset(1000, false)
  c.put(0, rows(0, PAGE), true)
  c.reset(10)
  assert.equal(c.get(3), undefined)
  assert.equal(c.peek(3)?.index, 3)
  assert.deepEqual(c.need(0, 5), [{ start: 0, end: 10 }])
  c.put(0, rows(500, 10))
  assert.equal(c.peek(3)?.index, 503)
  assert.equal(c.positionOf(505), 5)
})

test('row cache: evicts the pages least recently in view', () => {
  const c = new RowCache(3)
  c.reset(10_000, false)
  for (const p of [0, 10, 20, 30]) {
    c.need(p * PAGE, p * PAGE, 0)
    c.put(p * PAGE, rows(p * PAGE, PAGE))
  }
  c.need(40 * PAGE, 40 * PAGE, 0)
  assert.ok(c.pageCount <= 3)
  assert.equal(c.get(0), undefined, 'the oldest page went first')
  assert.equal(c.get(30 * PAGE)?.index, 30 * PAGE)
})

test('picks on binarized rows: a number names the pair, swap flips what is shown, tie/unusable carry no indices', () => {
  const r = ultrafeedbackRecord(0)
  assert.deepEqual(currentPair(r, null), { chosen: 0, rejected: 1 })
  assert.deepEqual(applyPick(r, null, { kind: 'chosen', n: 2 }).send, { chosen: 1, rejected: 0, verdict: 'pair' })
  assert.deepEqual(applyPick(r, null, { kind: 'rejected', n: 2 }).send, { chosen: 0, rejected: 1, verdict: 'pair' })
  assert.deepEqual(applyPick(r, null, { kind: 'swap' }).send, { chosen: 1, rejected: 0, verdict: 'pair' })
  const swapped: RecordView = { ...r, pick: { chosen: 1, rejected: 0, verdict: 'pair', reviewer: 'x', ts: '' } }
  assert.deepEqual(applyPick(swapped, null, { kind: 'swap' }).send, { chosen: 0, rejected: 1, verdict: 'pair' })
  assert.deepEqual(applyPick(r, null, { kind: 'tie' }).send, { chosen: null, rejected: null, verdict: 'tie' })
  assert.deepEqual(applyPick(r, null, { kind: 'unusable' }).send, { chosen: null, rejected: null, verdict: 'unusable' })
  assert.match(applyPick(r, null, { kind: 'chosen', n: 3 }).error ?? '', /no completion 3/)
  assert.match(applyPick(syntheticRecord(0), null, { kind: 'tie' }).error ?? '', /no completions/)
})

test('picks on raw rows (4 completions): one side waits for the other, never a pair with a null', () => {
  const r: RecordView = {
    ...ultrafeedbackRecord(0),
    completions: [0, 1, 2, 3].map((i) => ({ index: i, label: `completion ${i + 1}`, address: `completions/${i}/response` })),
  }
  const a = applyPick(r, null, { kind: 'chosen', n: 3 })
  assert.equal(a.send, undefined)
  assert.deepEqual(a.pending, { chosen: 2, rejected: null })
  const b = applyPick(r, a.pending, { kind: 'rejected', n: 3 })
  assert.deepEqual(b.pending, { chosen: null, rejected: 2 }, 'the same completion cannot be both')
  const c = applyPick(r, b.pending, { kind: 'chosen', n: 1 })
  assert.deepEqual(c.send, { chosen: 0, rejected: 2, verdict: 'pair' })
  assert.equal(c.pending, null)
  assert.match(applyPick(r, null, { kind: 'swap' }).error ?? '', /before swapping/)
})

test('fenced code splits from prose and an open fence carries into the next segment', () => {
  const a = splitFences('Text\n```js\nx()\n', false)
  assert.deepEqual(a.blocks, [
    { code: false, text: 'Text\n' },
    { code: true, text: '```js\nx()\n' },
  ])
  assert.equal(a.inCode, true)
  const b = splitFences('y()\n```\nafter', a.inCode)
  assert.deepEqual(b.blocks, [
    { code: true, text: 'y()\n```\n' },
    { code: false, text: 'after' },
  ])
  assert.equal(b.inCode, false)
})

test('segment slots follow reading order: conversation, then each completion', () => {
  assert.deepEqual(
    segmentSlots(ultrafeedbackRecord(0)).map((s) => `${s.address}#${s.segment}`),
    ['prompt#0', 'chosen/1/content#0', 'rejected/1/content#0'],
  )
  assert.equal(segmentSlots(syntheticRecord(1)).length, 5)
})
