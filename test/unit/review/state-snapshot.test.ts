import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { test } from 'node:test'
import { newEvent, type ReviewEvent, type ReviewEventBody } from '../../../src/core/review/events'
import { readJournal, readJournalDir, replayJournal, replayJournalDir, type ReadOptions } from '../../../src/core/review/journal'
import { snapshotPath } from '../../../src/core/review/snapshot'
import { applyEvent, emptyState, mergeAll, replay, type ReviewState } from '../../../src/core/review/state'
import { decodeState, encodeState } from '../../../src/core/review/state-codec'
import { mergeState, stateEvents } from '../../../src/core/review/state-merge'
import { SHARD } from './fixtures/events'
import { tmpDirEachTest } from './fixtures/tmp-dir'
import { rng, type Rng } from './fixtures/rng'

const tmp = tmpDirEachTest()


const BASE = Date.UTC(2025, 0, 1, 10, 0)

/** Small key space and few instants (in several ISO forms), so events supersede and tie often. */
function randomEvent(r: Rng, reviewer: string): ReviewEvent {
  const flagId = `f${r.int(6)}`
  const bodies: (() => ReviewEventBody)[] = [
    () => ({ type: 'flag', address: r.pick(['prompt', 'chosen/1/content']), segment: r.pick([null, 0, 2]), reason: r.pick(['omission', 'fluency'] as const), severity: r.pick(['minor', 'critical'] as const), comment: r.pick(['Ä ✓', 'x', '"q"\n']), flagId }),
    () => ({ type: 'flag', address: 'prompt', reason: 'other', severity: 'major', flagId }),
    () => ({ type: 'unflag', flagId }),
    () => ({ type: 'qa-confirm', address: 'prompt', check: 'numbers', flagKey: `k${r.int(3)}` }),
    () => ({ type: 'qa-dismiss', address: 'prompt', check: 'numbers', flagKey: `k${r.int(3)}` }),
    () => ({ type: 'edit', address: r.pick(['prompt', 'chosen/1/content']), text: r.pick(['t ✓', '', 'ü\u2028']), previous: 'p' }),
    () => ({ type: 'approve' }),
    () => ({ type: 'unapprove' }),
    () => ({ type: 'pick', ...r.pick([{ chosen: 0, rejected: 1 }, { chosen: 1, rejected: 0 }, { chosen: null, rejected: null }]), verdict: 'pair' }),
    () => ({ type: 'pick', chosen: null, rejected: null, verdict: r.pick(['tie', 'unusable'] as const) }),
    () => ({ type: 'resolve', field: 'approval', value: r.next() < 0.5 }),
    () => ({ type: 'resolve', field: 'pick', value: r.pick([{ chosen: 1, rejected: 0, verdict: 'pair' as const }, { chosen: null, rejected: null, verdict: 'tie' as const }]) }),
  ]
  const e = newEvent({ reviewer, shard: SHARD }, `p${r.int(5)}`, r.pick(bodies)())
  const d = new Date(BASE + r.int(12) * 60_000)
  const ts = r.pick([d.toISOString(), d.toISOString().replace('.000Z', 'Z'), new Date(d.getTime() + 3_600_000).toISOString().replace('.000Z', '+01:00')])
  return { ...e, ts }
}

const line = (e: ReviewEvent) => JSON.stringify(e) + '\n'

/** Parsed back from JSON, as a journal read gives them (no keys with undefined values). */
const fromJson = (events: ReviewEvent[]) => events.map((e) => JSON.parse(JSON.stringify(e)) as ReviewEvent)

/** The full fold: every line of every journal of the folder, in file-name order, no snapshots. */
async function fullFold(jdir: string): Promise<ReviewState> {
  const events = [...(await readJournalDir(jdir, { snapshot: false })).values()].flatMap((x) => x.events)
  return replay(events)
}

/**
 * A state as nested entry lists, so that the order of every Map's and object's keys is compared too
 * (deepStrictEqual alone ignores the order of keys).
 */
function ordered(s: ReviewState): unknown {
  const entries = (m: Map<string, unknown>) => [...m.entries()]
  return {
    eventCount: s.eventCount,
    byReviewer: [...s.byReviewer].map(([r, recs]) => [r, [...recs].map(([id, rec]) => [id, { ...rec, flags: entries(rec.flags), unflags: entries(rec.unflags), qa: entries(rec.qa), edits: entries(rec.edits) }])]),
    resolutions: [...s.resolutions].map(([id, res]) => [id, Object.entries(res)]),
  }
}

function assertSameState(actual: ReviewState, expected: ReviewState, msg?: string): void {
  assert.deepStrictEqual(actual, expected, msg)
  assert.deepStrictEqual(ordered(actual), ordered(expected), msg)
}

/** Writes random journals for 1..3 reviewers (some events of other reviewers in each), with resolutions. */
function writeJournals(r: Rng, jdir: string, maxEvents = 120): Map<string, string[]> {
  fs.mkdirSync(jdir, { recursive: true })
  const out = new Map<string, string[]>()
  for (const reviewer of ['ann', 'bob', 'cy'].slice(0, 1 + r.int(3))) {
    const lines = Array.from({ length: 1 + r.int(maxEvents) }, () => line(randomEvent(r, r.next() < 0.85 ? reviewer : r.pick(['ann', 'bob', 'zed']))))
    if (r.next() < 0.3) lines.splice(r.int(lines.length), 0, '{"v":1,"broken\n')
    out.set(path.join(jdir, `${reviewer}.jsonl`), lines)
  }
  return out
}

// ------------------------------------------------------------------------------------------- codec

test('encodeState/decodeState round-trips a state exactly (key order, eventCount, last, resolutions)', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = rng(seed)
    const state = replay(fromJson(Array.from({ length: 1 + r.int(200) }, () => randomEvent(r, r.pick(['ann', 'bob'])))))
    const decoded = decodeState(JSON.parse(JSON.stringify(encodeState(state))))
    assertSameState(decoded, state, `seed ${seed}`)
    // Each decoded event is its own object, also where the state holds one event in several slots.
    for (const e of stateEvents(decoded)) assert.equal(Object.getPrototypeOf(e), Object.prototype)
  }
  assertSameState(decodeState(encodeState(emptyState())), emptyState())
})

test('decodeState gives the same state where code cannot be generated', () => {
  const r = rng(4)
  const state = replay(fromJson(Array.from({ length: 150 }, () => randomEvent(r, r.pick(['ann', 'bob'])))))
  const enc = encodeState(state)
  const original = globalThis.Function
  globalThis.Function = function () {
    throw new EvalError('code generation from strings disallowed')
  } as unknown as FunctionConstructor
  try {
    assertSameState(decodeState(enc), state)
  } finally {
    globalThis.Function = original
  }
})

test('decodeState throws on streams it could not have written', () => {
  const r = rng(2)
  const enc = encodeState(replay(fromJson(Array.from({ length: 50 }, () => randomEvent(r, 'ann')))))
  const cut = (b64: string) => Buffer.from(b64, 'base64').subarray(0, -4).toString('base64')
  const cases = [
    { ...enc, layout: cut(enc.layout) },
    { ...enc, events: cut(enc.events) },
    { ...enc, layout: Buffer.concat([Buffer.from(enc.layout, 'base64'), Buffer.alloc(4)]).toString('base64') },
    { ...enc, text: enc.text.slice(0, 5) },
    { ...enc, bounds: Buffer.from(Uint32Array.from([40, 20]).buffer).toString('base64') },
    { ...enc, bounds: Buffer.from(Uint32Array.from([2 * 999 + 1]).buffer).toString('base64') },
    { ...enc, shapes: [] },
    { ...enc, shapes: [[['__proto__'], 's']] as [string[], string][] },
    { ...enc, events: 'not base64 of whole words' },
    { ...enc, layout: Buffer.from(Uint32Array.from([1, 0, 1, 0, 0, 0, 0, 0, 0, 999_999]).buffer).toString('base64') },
  ]
  for (const c of cases) assert.throws(() => decodeState(c))
})

// ------------------------------------------------------------------------------------------- merge

test('folding journals one by one and merging gives the fold of all their events, in either order', () => {
  for (let seed = 1; seed <= 80; seed++) {
    const r = rng(seed)
    const parts = Array.from({ length: 1 + r.int(4) }, () => fromJson(Array.from({ length: r.int(60) }, () => randomEvent(r, r.pick(['ann', 'bob', 'cy'])))))
    const merged = emptyState()
    for (const p of parts) mergeState(merged, replay(p))
    assertSameState(merged, replay(parts.flat()), `seed ${seed}`)
    const reversed = emptyState()
    for (const p of [...parts].reverse()) mergeState(reversed, replay(p))
    assertSameState(reversed, replay([...parts].reverse().flat()), `seed ${seed} (reversed)`)
  }
})

test('resolutions compete across journals: the latest wins, a tie goes to the journal merged last', () => {
  const mk = (reviewer: string, value: boolean, ts: string) => ({ ...newEvent({ reviewer, shard: SHARD }, 'p1', { type: 'resolve', field: 'approval', value }), ts })
  const a = [mk('ann', true, '2025-01-01T10:00:00.000Z')]
  const b = [mk('bob', false, '2025-01-01T11:00:00+01:00')] // the same instant
  const c = [mk('cy', true, '2025-01-01T09:00:00.000Z')]
  const s = emptyState()
  for (const p of [a, b, c]) mergeState(s, replay(p))
  assert.equal(s.resolutions.get('p1')!.approval!.reviewer, 'bob')
  assertSameState(s, replay([...a, ...b, ...c]))
})

// -------------------------------------------------------------------------------- through the files

test('replayJournalDir with snapshots gives the full fold, also after appends (random journals, several reviewers, resolutions)', async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = rng(seed)
    const jdir = path.join(tmp.dir, `s${seed}`)
    const journals = writeJournals(r, jdir)
    const splits = new Map<string, number>()
    for (const [file, lines] of journals) {
      const split = r.int(lines.length + 1)
      splits.set(file, split)
      fs.writeFileSync(file, lines.slice(0, split).join(''))
    }
    const first = await replayJournalDir(jdir, { snapshotAfter: 0 })
    assertSameState(first.state, await fullFold(jdir), `seed ${seed}: first read`)
    for (const [file, res] of first.journals) assert.equal(res.snapshot?.written, res.count > 0, `seed ${seed} ${file}`)
    // Appended after the snapshots were written; a reopen folds only those.
    for (const [file, lines] of journals) fs.appendFileSync(file, lines.slice(splits.get(file)).join(''))
    const reopened = await replayJournalDir(jdir, { snapshotAfter: Infinity })
    assertSameState(reopened.state, await fullFold(jdir), `seed ${seed}: reopen`)
    assert.deepEqual(mergeAll(reopened.state), mergeAll(await fullFold(jdir)))
    for (const [file, res] of reopened.journals) {
      const full = await readJournal(file, undefined, { snapshot: false })
      assert.deepEqual(res.errors, full.errors, `seed ${seed} ${file}`)
      assert.equal(res.count, full.count)
      assert.equal(res.events.length, 0)
      // Only the appended lines were parsed.
      if (res.snapshot!.used) assert.ok(res.snapshot!.parsed <= journals.get(file)!.length - splits.get(file)!, `seed ${seed} ${file}`)
    }
    assert.ok([...reopened.journals.values()].some((x) => x.snapshot!.used), `seed ${seed}: no snapshot was used`)
  }
})

test('a snapshot rebuilt from a long tail still gives the full fold; readJournal events agree with it', async () => {
  const r = rng(21)
  const jdir = path.join(tmp.dir, 'j')
  const journals = writeJournals(r, jdir, 400)
  for (const [file, lines] of journals) fs.writeFileSync(file, lines.slice(0, lines.length >> 2).join(''))
  await replayJournalDir(jdir, { snapshotAfter: 0 })
  for (const [file, lines] of journals) fs.appendFileSync(file, lines.slice(lines.length >> 2).join(''))
  const opts: ReadOptions = { snapshotAfter: 10 }
  const refresh = await replayJournalDir(jdir, opts)
  assertSameState(refresh.state, await fullFold(jdir))
  const again = await replayJournalDir(jdir, opts)
  for (const res of again.journals.values()) assert.deepEqual({ used: res.snapshot?.used, parsed: res.snapshot?.parsed }, { used: true, parsed: 0 })
  assertSameState(again.state, await fullFold(jdir))
  // The event interface reads the same snapshots (its `last` and `eventCount` may differ, see stateEvents).
  const viaEvents = [...(await readJournalDir(jdir)).values()].flatMap((x) => x.events)
  assert.deepEqual(mergeAll(replay(viaEvents)), mergeAll(await fullFold(jdir)))
})

test('a journal truncated, rewritten or replaced after its snapshot: the snapshot is not used, the fold is the full one, and it is rebuilt', async () => {
  const r = rng(5)
  const make = async () => {
    const jdir = fs.mkdtempSync(path.join(tmp.dir, 'j'))
    const journals = writeJournals(r, jdir, 200)
    for (const [file, lines] of journals) fs.writeFileSync(file, lines.join(''))
    await replayJournalDir(jdir, { snapshotAfter: 0 })
    const [file, lines] = [...journals].find(([, l]) => l.length > 20) ?? [...journals][0]
    return { jdir, file, lines }
  }
  const damage: [string, (file: string, lines: string[]) => void, RegExp][] = [
    ['truncated', (file, lines) => fs.truncateSync(file, Buffer.byteLength(lines.slice(0, lines.length >> 1).join(''))), /shorter/],
    [
      'truncated and written again past the covered length',
      (file, lines) => {
        const size = fs.statSync(file).size
        const fd = fs.openSync(file, 'r+')
        fs.ftruncateSync(fd, 0)
        const other = lines.slice(1).join('') + lines[0]
        let written = 0
        while (written < size) written += fs.writeSync(fd, other)
        fs.closeSync(fd)
      },
      /rewritten/,
    ],
    [
      'replaced by a copy',
      (file) => {
        fs.copyFileSync(file, `${file}.new`)
        fs.renameSync(`${file}.new`, file)
      },
      /replaced/,
    ],
  ]
  for (const [what, change, reason] of damage) {
    const { jdir, file, lines } = await make()
    const before = fs.readFileSync(snapshotPath(file))
    change(file, lines)
    const res = await replayJournalDir(jdir, { snapshotAfter: Infinity })
    assert.equal(res.journals.get(file)!.snapshot!.used, false, what)
    assert.match(res.journals.get(file)!.snapshot!.ignored ?? '', reason, what)
    assertSameState(res.state, await fullFold(jdir), what)
    // The next read that may write one replaces it with a snapshot of the journal as it is now.
    const rebuilt = await replayJournalDir(jdir, { snapshotAfter: 0 })
    assert.equal(rebuilt.journals.get(file)!.snapshot!.written, true, what)
    assert.notDeepEqual(fs.readFileSync(snapshotPath(file)), before, what)
    const reopened = await replayJournalDir(jdir, { snapshotAfter: Infinity })
    assert.equal(reopened.journals.get(file)!.snapshot!.used, true, what)
    assertSameState(reopened.state, await fullFold(jdir), what)
  }
})

test('a corrupt snapshot (bit flips anywhere, cut short, garbage, empty, wrong checksum) falls back to the full fold without throwing', async () => {
  const r = rng(8)
  const jdir = path.join(tmp.dir, 'j')
  const journals = writeJournals(r, jdir, 150)
  for (const [file, lines] of journals) fs.writeFileSync(file, lines.join(''))
  await replayJournalDir(jdir, { snapshotAfter: 0 })
  const file = [...journals.keys()][0]
  const snap = snapshotPath(file)
  const good = fs.readFileSync(snap)
  const expected = await fullFold(jdir)
  const variants: Buffer[] = [Buffer.from('garbage'), Buffer.alloc(0), good.subarray(0, good.length >> 1), good.subarray(0, good.length - 1), Buffer.from(good.toString('latin1').replace(/"hash":"[0-9a-f]{4}/, '"hash":"0000'), 'latin1')]
  // A flipped byte in the header, in each stream and in the tables.
  for (const at of [10, good.indexOf('"events":"') + 20, good.indexOf('"layout":"') + 15, good.indexOf('"strings":[') + 15, good.length - 3]) {
    const copy = Buffer.from(good)
    copy[at] ^= 0x01
    variants.push(copy)
  }
  for (const [i, content] of variants.entries()) {
    fs.writeFileSync(snap, content)
    const res = await replayJournalDir(jdir, { snapshotAfter: Infinity })
    const report = res.journals.get(file)!.snapshot!
    assert.equal(report.used, false, `variant ${i}`)
    assert.ok(report.ignored, `variant ${i}`)
    assertSameState(res.state, expected, `variant ${i}`)
  }
  // The journal itself was never touched.
  assert.equal(fs.readFileSync(file, 'utf8'), journals.get(file)!.join(''))
})

test('replayJournal merges into a state that already holds other events, and a torn last line is folded but not covered', async () => {
  const r = rng(13)
  const file = path.join(tmp.dir, 'ann.jsonl')
  const events = Array.from({ length: 80 }, () => randomEvent(r, 'ann'))
  fs.writeFileSync(file, events.slice(0, 60).map(line).join(''))
  await replayJournal(file, emptyState(), { snapshotAfter: 0 })
  const last = line(events[79])
  fs.appendFileSync(file, events.slice(60, 79).map(line).join('') + last.slice(0, -1))
  const live = fromJson(Array.from({ length: 30 }, () => randomEvent(r, r.pick(['ann', 'bob']))))
  const into = replay(live)
  const res = await replayJournal(file, into, { snapshotAfter: 0 })
  assert.deepEqual({ used: res.snapshot?.used, parsed: res.snapshot?.parsed, written: res.snapshot?.written, uncovered: res.snapshot?.uncovered }, { used: true, parsed: 19, written: true, uncovered: 1 })
  assert.equal(res.tornTail, true)
  assertSameState(into, replay([...live, ...fromJson(events)]))
  // The refreshed snapshot stops before the line without its newline.
  const again = await replayJournal(file, emptyState(), { snapshotAfter: Infinity })
  assert.deepEqual({ used: again.snapshot?.used, uncovered: again.snapshot?.uncovered, count: again.count }, { used: true, uncovered: 1, count: 80 })
  const s = emptyState()
  await replayJournal(file, s)
  assertSameState(s, replay(fromJson(events)))
})

test('a live state folded from a snapshot keeps taking events like any other', async () => {
  const r = rng(17)
  const file = path.join(tmp.dir, 'ann.jsonl')
  const events = fromJson(Array.from({ length: 100 }, () => randomEvent(r, 'ann')))
  fs.writeFileSync(file, events.map(line).join(''))
  await replayJournal(file, emptyState(), { snapshotAfter: 0 })
  const s = emptyState()
  assert.equal((await replayJournal(file, s)).snapshot?.used, true)
  const more = fromJson(Array.from({ length: 40 }, () => randomEvent(r, r.pick(['ann', 'bob']))))
  for (const e of more) applyEvent(s, e)
  assertSameState(s, replay([...events, ...more]))
})

test('a review session reopened through snapshots holds the full fold, and undo before save rebuilds it', async () => {
  const { ReviewSession } = await import('../../../src/core/review/session')
  const { journalDir } = await import('../../../src/core/review/journal')
  fs.cpSync(path.join(import.meta.dirname, '../../../samples'), tmp.dir, { recursive: true })
  const file = path.join(tmp.dir, 'ultrachat/de.jsonl')
  const open = (reviewer: string) => ReviewSession.open({ workspace: tmp.dir, file, reviewer })
  const r = rng(31)
  for (const reviewer of ['ann', 'bob']) {
    const s = await open(reviewer)
    for (let i = 0; i < 60; i++) {
      const body = r.pick<ReviewEventBody>([{ type: 'approve' }, { type: 'unapprove' }, { type: 'flag', address: 'messages/1/content', reason: 'omission', severity: 'minor', flagId: `f${r.int(4)}` }, { type: 'unflag', flagId: `f${r.int(4)}` }, { type: 'resolve', field: 'approval', value: r.next() < 0.5 }])
      s.decide(r.int(6), body)
    }
    await s.save()
    await s.close()
  }
  const jdir = journalDir(tmp.dir, file)
  await replayJournalDir(jdir, { snapshotAfter: 0 })
  const s = await open('ann')
  assertSameState(s.state, await fullFold(jdir))
  const kept = s.decide(2, { type: 'approve' })
  const undone = s.decide(3, { type: 'flag', address: 'messages/1/content', reason: 'fluency', severity: 'major', flagId: 'late' })
  assert.equal(s.retract(undone.id), true)
  const expected = await fullFold(jdir)
  applyEvent(expected, kept)
  assertSameState(s.state, expected)
  await s.close()
})

test('a snapshot of the earlier format (events, no checksum) is reported as another version and replaced', async () => {
  const r = rng(41)
  const file = path.join(tmp.dir, 'ann.jsonl')
  const events = fromJson(Array.from({ length: 50 }, () => randomEvent(r, 'ann')))
  fs.writeFileSync(file, events.map(line).join(''))
  fs.writeFileSync(snapshotPath(file), JSON.stringify({ format: 'phoenix-journal-snapshot', version: 1, eventVersion: 1, offset: 10, lines: 1, count: 1, errors: [], strings: [], shapes: [], events: [] }))
  const s = emptyState()
  const res = await replayJournal(file, s, { snapshotAfter: 0 })
  assert.match(res.snapshot?.ignored ?? '', /another version/)
  assert.equal(res.snapshot?.written, true)
  assertSameState(s, replay(events))
  const again = emptyState()
  assert.equal((await replayJournal(file, again)).snapshot?.used, true)
  assertSameState(again, replay(events))
})
