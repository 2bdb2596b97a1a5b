import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { test } from 'node:test'
import { newEvent, type ReviewEvent, type ReviewEventBody } from '../../../src/core/review/events'
import { Journal, readJournal, readJournalDir, type ReadOptions, type ReplayResult } from '../../../src/core/review/journal'
import { snapshotPath } from '../../../src/core/review/snapshot'
import { mergeAll, replay, timeKey, type ReviewState } from '../../../src/core/review/state'
import { SHARD } from './fixtures/events'
import { tmpDirEachTest } from './fixtures/tmp-dir'
import { rng, type Rng } from './fixtures/rng'

const tmp = tmpDirEachTest()

// ------------------------------------------------------------------------------------------ generators


const BASE = Date.UTC(2025, 0, 1, 10, 0)
/** Instant `m` minutes after BASE, in a random one of the ISO forms that name it (ties across forms). */
function tsOf(r: ReturnType<typeof rng>, m: number): string {
  const d = new Date(BASE + m * 60_000)
  const iso = d.toISOString()
  switch (r.int(4)) {
    case 0:
      return iso.replace('.000Z', 'Z')
    case 1:
      return new Date(d.getTime() + 3_600_000).toISOString().replace('.000Z', '+01:00')
    default:
      return iso
  }
}

/** A random event from a small key space, so events supersede, tie and cross each other often. */
function randomEvent(r: ReturnType<typeof rng>, reviewer: string): ReviewEvent {
  const flagId = `f${r.int(6)}`
  const bodies: (() => ReviewEventBody)[] = [
    () => ({ type: 'flag', address: r.pick(['prompt', 'chosen/1/content']), segment: r.pick([null, 0, 2]), reason: r.pick(['omission', 'fluency'] as const), severity: r.pick(['minor', 'critical'] as const), comment: r.pick(['Ä', 'x']), flagId }),
    () => ({ type: 'unflag', flagId }),
    () => ({ type: 'qa-confirm', address: 'prompt', check: 'numbers', flagKey: `k${r.int(3)}` }),
    () => ({ type: 'qa-dismiss', address: 'prompt', check: 'numbers', flagKey: `k${r.int(3)}` }),
    () => ({ type: 'edit', address: r.pick(['prompt', 'chosen/1/content']), text: `t${r.int(5)} ✓`, previous: 'p' }),
    () => ({ type: 'approve' }),
    () => ({ type: 'unapprove' }),
    () => ({ type: 'pick', ...r.pick([{ chosen: 0, rejected: 1 }, { chosen: 1, rejected: 0 }, { chosen: null, rejected: null }]), verdict: 'pair' }),
    () => ({ type: 'pick', chosen: null, rejected: null, verdict: r.pick(['tie', 'unusable'] as const) }),
    () => ({ type: 'resolve', field: 'approval', value: r.next() < 0.5 }),
    () => ({ type: 'resolve', field: 'pick', value: { chosen: 1, rejected: 0, verdict: 'pair' } }),
  ]
  const e = newEvent({ reviewer, shard: SHARD }, `p${r.int(4)}`, r.pick(bodies)())
  // Out of order, with many equal instants.
  return { ...e, ts: tsOf(r, r.int(12)) }
}

const line = (e: ReviewEvent) => JSON.stringify(e) + '\n'

/**
 * The replayed state, as nested entry lists so that the order of every Map's keys is compared too.
 * Left out by design: `eventCount` (counts what was replayed) and which of several events of the same
 * time a record's `last` names (only its time is kept).
 */
function stateOf(events: ReviewEvent[]): unknown {
  const s: ReviewState = replay(events)
  const entries = (m: Map<string, unknown>) => [...m.entries()]
  return {
    byReviewer: [...s.byReviewer].map(([r, recs]) => [
      r,
      [...recs].map(([id, rec]) => [id, { ...rec, last: timeKey(rec.last.ts), flags: entries(rec.flags), unflags: entries(rec.unflags), qa: entries(rec.qa), edits: entries(rec.edits) }]),
    ]),
    resolutions: [...s.resolutions].map(([id, res]) => [id, Object.entries(res)]),
  }
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

// ---------------------------------------------------------------------------------------- equivalence

test('replaying snapshot events + tail gives the state of replaying every event (random streams, several reviewers)', async () => {
  for (let seed = 1; seed <= 60; seed++) {
    const r = rng(seed)
    const jdir = path.join(tmp.dir, `s${seed}`)
    fs.mkdirSync(jdir)
    const reviewers = ['ann', 'bob', 'cy'].slice(0, 1 + r.int(3))
    const all: ReviewEvent[] = []
    for (const reviewer of reviewers) {
      const file = path.join(jdir, `${reviewer}.jsonl`)
      // Mostly the reviewer's own events, some of another reviewer (a journal may hold those too).
      const events = Array.from({ length: 1 + r.int(120) }, () => randomEvent(r, r.next() < 0.85 ? reviewer : r.pick(['ann', 'bob', 'zed'])))
      const lines = events.map(line)
      // A bad line inside the covered part: a full read and a snapshot read must report it alike.
      if (r.next() < 0.3) lines.splice(r.int(lines.length), 0, '{"v":1,"broken\n')
      const split = r.int(lines.length + 1)
      fs.writeFileSync(file, lines.slice(0, split).join(''))
      const first = await readJournal(file, undefined, { snapshotAfter: 0 })
      assert.equal(first.snapshot?.written, first.count > 0, `seed ${seed}: ${JSON.stringify(first.snapshot)}`)
      fs.appendFileSync(file, lines.slice(split).join(''))
      all.push(...events)
    }
    const full = await readJournalDir(jdir, { snapshot: false })
    const warm = await readJournalDir(jdir, { snapshotAfter: Infinity })
    const flat = (m: Map<string, ReplayResult>) => [...m.values()].flatMap((x) => x.events)
    assert.equal(flat(full).length, all.length)
    for (const [file, w] of warm) {
      const f = full.get(file)!
      assert.deepEqual(w.errors, f.errors, `seed ${seed} ${file}`)
      assert.equal(w.count, f.count)
      assert.equal(w.tornTail, f.tornTail)
      if (w.snapshot!.used) assert.ok(w.events.length <= f.events.length)
    }
    assert.ok([...warm.values()].some((w) => w.snapshot!.used), `seed ${seed}: no snapshot was used`)
    assert.deepEqual(stateOf(flat(warm)), stateOf(flat(full)), `seed ${seed}`)
    assert.deepEqual(mergeAll(replay(flat(warm))), mergeAll(replay(flat(full))), `seed ${seed}`)
    // Journals read in another order (callers concatenate them in any order) still agree.
    const rev = (m: Map<string, ReplayResult>) => [...m.values()].reverse().flatMap((x) => x.events)
    assert.deepEqual(mergeAll(replay(rev(warm))), mergeAll(replay(rev(full))), `seed ${seed} (reversed)`)
  }
})

test('a long tail refreshes the snapshot, which then covers the whole journal', async () => {
  const r = rng(7)
  const file = path.join(tmp.dir, 'ann.jsonl')
  const events = Array.from({ length: 400 }, () => randomEvent(r, 'ann'))
  fs.writeFileSync(file, events.slice(0, 100).map(line).join(''))
  assert.equal((await readJournal(file, undefined, { snapshotAfter: 50 })).snapshot?.written, true)
  fs.appendFileSync(file, events.slice(100).map(line).join(''))
  const opts: ReadOptions = { snapshotAfter: 250 }
  const refresh = await readJournal(file, undefined, opts)
  assert.deepEqual({ used: refresh.snapshot?.used, parsed: refresh.snapshot?.parsed, written: refresh.snapshot?.written }, { used: true, parsed: 300, written: true })
  const again = await readJournal(file, undefined, opts)
  assert.deepEqual({ used: again.snapshot?.used, parsed: again.snapshot?.parsed, written: again.snapshot?.written }, { used: true, parsed: 0, written: false })
  assert.equal(again.count, 400)
  assert.ok(again.events.length < 400)
  assert.deepEqual(mergeAll(replay(again.events)), mergeAll(replay(events)))
  assert.deepEqual(stateOf(again.events), stateOf(events))
})

test('onEvent receives the snapshot events, then the tail, and line numbers of tail errors stay the file lines', async () => {
  const r = rng(3)
  const file = path.join(tmp.dir, 'ann.jsonl')
  const events = Array.from({ length: 30 }, () => randomEvent(r, 'ann'))
  fs.writeFileSync(file, events.slice(0, 20).map(line).join('') + 'not json\n')
  await readJournal(file, undefined, { snapshotAfter: 0 })
  fs.appendFileSync(file, events.slice(20, 25).map(line).join('') + '\n{"v":2}\n' + events.slice(25).map(line).join(''))
  const seen: ReviewEvent[] = []
  const res = await readJournal(file, (e) => seen.push(e))
  const full = await readJournal(file, undefined, { snapshot: false })
  assert.equal(res.snapshot?.used, true)
  assert.equal(res.events.length, 0)
  assert.deepEqual(seen.slice(-10), events.slice(20))
  assert.deepEqual(res.errors, full.errors)
  assert.deepEqual(res.errors.map((e) => e.line), [21, 28])
  assert.equal(res.count, 30)
})

// ----------------------------------------------------------------------------------------- invalidation

async function journalWithSnapshot(n = 40): Promise<{ file: string; events: ReviewEvent[] }> {
  const r = rng(11)
  const file = path.join(tmp.dir, 'ann.jsonl')
  const events = Array.from({ length: n }, () => randomEvent(r, 'ann'))
  fs.writeFileSync(file, events.map(line).join(''))
  const res = await readJournal(file, undefined, { snapshotAfter: 0 })
  assert.equal(res.snapshot?.written, true)
  assert.equal((await readJournal(file)).snapshot?.used, true)
  return { file, events }
}

/** Reads with snapshots on; must ignore the snapshot for `reason` and give exactly what a full read gives. */
async function assertIgnored(file: string, reason: RegExp): Promise<ReplayResult> {
  const res = await readJournal(file, undefined, { snapshotAfter: Infinity })
  const full = await readJournal(file, undefined, { snapshot: false })
  assert.equal(res.snapshot?.used, false)
  assert.match(res.snapshot?.ignored ?? '', reason)
  assert.deepEqual(res.events, full.events)
  assert.deepEqual(res.errors, full.errors)
  assert.equal(res.tornTail, full.tornTail)
  return res
}

test('a truncated journal (shorter than the snapshot covers) is read in full', async () => {
  const { file, events } = await journalWithSnapshot()
  const keep = events.slice(0, 10).map(line).join('')
  fs.truncateSync(file, Buffer.byteLength(keep))
  const res = await assertIgnored(file, /shorter/)
  assert.deepEqual(res.events, events.slice(0, 10))
})

test('a journal truncated and written again past the covered length is noticed by the content check', async () => {
  const { file, events } = await journalWithSnapshot()
  const size = fs.statSync(file).size
  const other = events.slice(0, 5).map(line).join('')
  // Same inode, different bytes where the snapshot's covered part ends.
  const fd = fs.openSync(file, 'r+')
  fs.ftruncateSync(fd, 0)
  let written = 0
  while (written < size) written += fs.writeSync(fd, other)
  fs.closeSync(fd)
  await assertIgnored(file, /rewritten/)
})

test('a journal replaced by another file (even with the same bytes) is read in full', async () => {
  const { file } = await journalWithSnapshot()
  const tmp = `${file}.new`
  fs.copyFileSync(file, tmp)
  fs.renameSync(tmp, file)
  await assertIgnored(file, /replaced/)
})

test('an in-place edit inside the first or last 4 KiB of the covered part is noticed', async () => {
  const { file } = await journalWithSnapshot(80)
  const bytes = fs.readFileSync(file)
  for (const at of [bytes.indexOf('"ann"') + 2, bytes.lastIndexOf('"ann"') + 2]) {
    const copy = Buffer.from(bytes)
    copy[at] = 'x'.charCodeAt(0)
    fs.writeFileSync(file, copy) // same inode, same size
    await assertIgnored(file, /rewritten/)
  }
})

test('a corrupt, truncated, foreign or outdated snapshot is ignored and reported', async () => {
  const { file } = await journalWithSnapshot()
  const snap = snapshotPath(file)
  const good = fs.readFileSync(snap, 'latin1')
  const parsed = JSON.parse(good)
  const cases: [string, RegExp][] = [
    ['garbage', /not valid JSON/],
    [good.slice(0, good.length >> 1), /not valid JSON/],
    ['', /not valid JSON/],
    ['[]', /not a journal snapshot/],
    [JSON.stringify({ ...parsed, version: 999 }), /another version/],
    [JSON.stringify({ ...parsed, eventVersion: 2 }), /another version/],
    [JSON.stringify({ ...parsed, offset: -1 }), /malformed header/],
    [JSON.stringify({ ...parsed, strings: parsed.strings.map(() => 'x') }), /damaged/],
    [JSON.stringify({ ...parsed, events: parsed.events.slice(0, -1) }), /damaged/],
    [JSON.stringify({ ...parsed, events: [...parsed.events, 0] }), /damaged/],
    [JSON.stringify({ ...parsed, shapes: [] }), /damaged/],
  ]
  for (const [content, reason] of cases) {
    fs.writeFileSync(snap, content)
    await assertIgnored(file, reason)
  }
  fs.rmSync(snap)
  const res = await readJournal(file, undefined, { snapshotAfter: Infinity })
  assert.deepEqual(res.snapshot && { used: res.snapshot.used, ignored: res.snapshot.ignored }, { used: false, ignored: undefined })
  // The next read that may write replaces a bad snapshot with a good one.
  fs.writeFileSync(snap, 'garbage')
  assert.equal((await readJournal(file, undefined, { snapshotAfter: 0 })).snapshot?.written, true)
  assert.equal((await readJournal(file)).snapshot?.used, true)
})

test('a torn line appended after the snapshot is reported as before, and the writer continues after it', async () => {
  const { file, events } = await journalWithSnapshot()
  const extra = newEvent({ reviewer: 'ann', shard: SHARD }, 'p1', { type: 'approve' })
  fs.appendFileSync(file, line(extra) + line(extra).slice(0, 30))
  const res = await readJournal(file)
  assert.equal(res.snapshot?.used, true)
  assert.equal(res.tornTail, true)
  assert.deepEqual(res.errors.map((e) => e.line), [events.length + 2])
  assert.match(res.errors[0].message, /torn last line/)
  assert.equal(res.count, events.length + 1)
  const full = await readJournal(file, undefined, { snapshot: false })
  assert.deepEqual(res.errors, full.errors)
  assert.deepEqual(mergeAll(replay(res.events)), mergeAll(replay(full.events)))

  const j = await Journal.open(file, { snapshotAfter: 0 })
  assert.equal(j.tornTail, true)
  const later = newEvent({ reviewer: 'ann', shard: SHARD }, 'p1', { type: 'unapprove' }, new Date(BASE + 3_600_000))
  await j.append(later)
  await j.close()
  const after = await readJournal(file)
  assert.equal(after.snapshot?.used, true)
  assert.equal(after.snapshot?.parsed, 0, 'close() refreshed the snapshot to the end of the journal')
  assert.equal(after.count, events.length + 2)
  assert.equal(after.tornTail, false)
  assert.deepEqual(after.errors, (await readJournal(file, undefined, { snapshot: false })).errors)
  assert.equal(after.errors.length, 1)
  assert.deepEqual(stateOf(after.events), stateOf([...events, extra, later]))
})

// -------------------------------------------------------------------------------------------- writing

test('Journal.close() writes the snapshot once enough events are outside it; reads never change the journal', async () => {
  const file = path.join(tmp.dir, 'j', 'ann.jsonl')
  const r = rng(5)
  const events = Array.from({ length: 60 }, () => randomEvent(r, 'ann'))
  const j = await Journal.open(file, { snapshotAfter: 50 })
  await Promise.all(events.slice(0, 40).map((e) => j.append(e)))
  await j.close()
  assert.equal(fs.existsSync(snapshotPath(file)), false, '40 events: below the threshold')
  const k = await Journal.open(file, { snapshotAfter: 50 })
  await Promise.all(events.slice(40).map((e) => k.append(e)))
  await k.close()
  assert.equal(fs.existsSync(snapshotPath(file)), true)
  const before = sha(file)
  const res = await readJournal(file)
  assert.deepEqual({ used: res.snapshot?.used, parsed: res.snapshot?.parsed, count: res.count }, { used: true, parsed: 0, count: 60 })
  assert.deepEqual(stateOf(res.events), stateOf(events))
  const reopened = await Journal.open(file)
  assert.deepEqual(stateOf(reopened.events), stateOf(events))
  await reopened.close()
  assert.equal(sha(file), before)
  // Only the journal is listed by readJournalDir; no temporary files are left behind.
  assert.deepEqual([...(await readJournalDir(path.dirname(file))).keys()], [file])
  assert.deepEqual(fs.readdirSync(path.dirname(file)).sort(), ['ann.jsonl', 'ann.jsonl.snapshot.json'])
})

test('concurrent readers refreshing one snapshot leave a valid one (last rename wins)', async () => {
  const r = rng(9)
  const file = path.join(tmp.dir, 'ann.jsonl')
  const events = Array.from({ length: 300 }, () => randomEvent(r, 'ann'))
  fs.writeFileSync(file, events.slice(0, 150).map(line).join(''))
  // Both see no snapshot and write one; one of them for a longer journal.
  const a = readJournal(file, undefined, { snapshotAfter: 0 })
  fs.appendFileSync(file, events.slice(150).map(line).join(''))
  const results = await Promise.all([a, readJournal(file, undefined, { snapshotAfter: 0 }), readJournal(file, undefined, { snapshotAfter: 0 })])
  for (const res of results) assert.equal(res.snapshot?.written, true, JSON.stringify(res.snapshot))
  const res = await readJournal(file, undefined, { snapshotAfter: Infinity })
  assert.equal(res.snapshot?.used, true)
  assert.equal(res.count, 300)
  // A temporary file left by a writer that was killed before its rename is removed by a later writer.
  const stale = `${snapshotPath(file)}.999-dead.tmp`
  fs.writeFileSync(stale, 'x')
  const old = new Date(Date.now() - 3_600_000)
  fs.utimesSync(stale, old, old)
  fs.writeFileSync(`${snapshotPath(file)}.998-live.tmp`, 'x')
  fs.appendFileSync(file, line(events[0]))
  assert.equal((await readJournal(file, undefined, { snapshotAfter: 0 })).snapshot?.written, true)
  assert.deepEqual(fs.readdirSync(tmp.dir).sort(), ['ann.jsonl', 'ann.jsonl.snapshot.json', 'ann.jsonl.snapshot.json.998-live.tmp'])
  fs.rmSync(`${snapshotPath(file)}.998-live.tmp`)
  assert.deepEqual(stateOf(res.events), stateOf(events))
  assert.deepEqual(fs.readdirSync(tmp.dir).sort(), ['ann.jsonl', 'ann.jsonl.snapshot.json'])
})

test('snapshots off: every historical event, no snapshot read or written', async () => {
  const { file, events } = await journalWithSnapshot()
  fs.rmSync(snapshotPath(file))
  const res = await readJournal(file, undefined, { snapshot: false, snapshotAfter: 0 })
  assert.equal(res.snapshot, undefined)
  assert.deepEqual(res.events, events)
  assert.equal(fs.existsSync(snapshotPath(file)), false)
  const j = await Journal.open(file, { snapshot: false, snapshotAfter: 0 })
  await j.append(newEvent({ reviewer: 'ann', shard: SHARD }, 'p1', { type: 'approve' }))
  await j.close()
  assert.equal(fs.existsSync(snapshotPath(file)), false)
})
