import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { test } from 'node:test'
import type { ReviewEvent } from '../../../src/core/review/events'
import {
  Journal,
  JournalLockedError,
  journalDir,
  journalPath,
  readJournal,
  readJournalDir,
  safeName,
  shardIdentity,
} from '../../../src/core/review/journal'
import { ev } from './fixtures/events'
import { tmpDirEachTest } from './fixtures/tmp-dir'

const tmp = tmpDirEachTest()

const edit = (i: number): ReviewEvent => ev('ann', `p${i % 7}`, { type: 'edit', address: 'prompt', text: `Text ${i}\nzweite Zeile`, previous: 'x' })

test('journalPath keeps hostile reviewer names inside the shard folder', () => {
  const ws = path.join(tmp.dir, 'ws')
  const shard = path.join(ws, 'data', 'uf.de.jsonl')
  const folder = journalDir(ws, shard)
  assert.ok(folder.startsWith(path.join(ws, '.phoenix', 'journal') + path.sep))
  for (const name of ['../../etc/passwd', '..', '.', '', 'a/b', 'a\\b', 'CON', 'x'.repeat(300), 'ann\0', 'ä ö']) {
    const p = journalPath(ws, shard, name)
    assert.equal(path.dirname(p), folder, name)
    assert.match(path.basename(p), /^[A-Za-z0-9_-]+\.jsonl$/, name)
    assert.ok(path.basename(p).length <= 70)
  }
  assert.equal(journalPath(ws, shard, 'ann'), path.join(folder, 'ann.jsonl'))
  assert.notEqual(safeName('a/b'), safeName('a_b'))
  assert.equal(shardIdentity(ws, shard), 'data/uf.de.jsonl')
  assert.notEqual(journalDir(ws, path.join(ws, 'a', 'x.jsonl')), journalDir(ws, path.join(ws, 'b', 'x.jsonl')))
})

test('appended events are replayed on reopen, in order', async () => {
  const file = path.join(tmp.dir, 'j', 'ann.jsonl')
  const j = await Journal.open(file)
  assert.deepEqual(j.events, [])
  const events = Array.from({ length: 50 }, (_, i) => edit(i))
  await Promise.all(events.map((e) => j.append(e)))
  await j.close()
  const again = await Journal.open(file)
  assert.deepEqual(again.events, events)
  assert.deepEqual(again.errors, [])
  assert.equal(again.tornTail, false)
  await again.close()
})

test('onEvent streams replayed events instead of collecting them', async () => {
  const file = path.join(tmp.dir, 'ann.jsonl')
  const j = await Journal.open(file)
  const events = [edit(1), edit(2), edit(3)]
  await Promise.all(events.map((e) => j.append(e)))
  await j.close()
  const seen: ReviewEvent[] = []
  const k = await Journal.open(file, { onEvent: (e) => seen.push(e) })
  assert.deepEqual(seen, events)
  assert.deepEqual(k.events, [])
  await k.close()
})

test('append resolves only after the event is in the file; group commit shares fsyncs', async () => {
  const file = path.join(tmp.dir, 'ann.jsonl')
  const j = await Journal.open(file, { batchSize: 1000, batchMs: 40 })
  const e = edit(1)
  const p = j.append(e)
  // Buffered, not yet written: the timer has not fired.
  assert.equal(fs.readFileSync(file, 'utf8'), '')
  await p
  assert.equal(fs.readFileSync(file, 'utf8'), JSON.stringify(e) + '\n')
  assert.equal(j.stats.commits, 1)

  const many = Array.from({ length: 300 }, (_, i) => edit(i))
  await Promise.all(many.map((m) => j.append(m)))
  assert.equal(j.stats.events, 301)
  assert.ok(j.stats.commits <= 3, `300 concurrent appends took ${j.stats.commits} commits`)
  await j.close()
})

test('batchSize triggers a commit without waiting for the timer', async () => {
  const file = path.join(tmp.dir, 'ann.jsonl')
  const j = await Journal.open(file, { batchSize: 4, batchMs: 60_000 })
  const t0 = Date.now()
  await Promise.all([1, 2, 3, 4].map((i) => j.append(edit(i))))
  assert.ok(Date.now() - t0 < 5000)
  // A lone event waits for flush (the timer is a minute away).
  const lone = j.append(edit(5))
  await j.flush()
  await lone
  assert.equal((await readJournal(file)).events.length, 5)
  await j.close()
})

test('sequential awaited appends each become durable', async () => {
  const file = path.join(tmp.dir, 'ann.jsonl')
  const j = await Journal.open(file, { batchMs: 0 })
  for (let i = 0; i < 20; i++) {
    await j.append(edit(i))
    assert.equal((await readJournal(file)).events.length, i + 1)
  }
  await j.close()
})

test('invalid events are rejected and never written', async () => {
  const file = path.join(tmp.dir, 'ann.jsonl')
  const j = await Journal.open(file)
  const bad = { ...edit(1), type: 'flag' } as unknown as ReviewEvent
  await assert.rejects(j.append(bad), /invalid review event/)
  await j.close()
  await assert.rejects(j.append(edit(2)), /closed/)
  assert.equal(fs.readFileSync(file, 'utf8'), '')
})

test('a second writer gets a clear error; the lock is released on close', async () => {
  const file = path.join(tmp.dir, 'ann.jsonl')
  const j = await Journal.open(file)
  await assert.rejects(Journal.open(file), (e: unknown) => {
    assert.ok(e instanceof JournalLockedError)
    assert.match(e.message, new RegExp(`process ${process.pid}`))
    assert.match(e.message, /already open for writing/)
    return true
  })
  // Readers need no lock.
  await j.append(edit(1))
  assert.equal((await readJournal(file)).events.length, 1)
  await j.close()
  assert.equal(fs.existsSync(file + '.lock'), false)
  const k = await Journal.open(file)
  assert.equal(k.events.length, 1)
  await k.close()
})

test('a lock left by a dead process is taken over; a live one is not', async () => {
  const file = path.join(tmp.dir, 'ann.jsonl')
  // A real process that has exited: its pid is free.
  const child = spawn(process.execPath, ['-e', ''])
  const deadPid = await new Promise<number>((res) => child.on('exit', () => res(child.pid!)))
  fs.writeFileSync(file + '.lock', JSON.stringify({ pid: deadPid, host: os.hostname(), token: 'old' }))
  const j = await Journal.open(file)
  assert.match(fs.readFileSync(file + '.lock', 'utf8'), new RegExp(`"pid":${process.pid}`))
  await j.close()

  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'])
  try {
    fs.writeFileSync(file + '.lock', JSON.stringify({ pid: sleeper.pid, host: os.hostname(), token: 'live' }))
    await assert.rejects(Journal.open(file), JournalLockedError)
    assert.match(fs.readFileSync(file + '.lock', 'utf8'), /"token":"live"/)
  } finally {
    sleeper.kill('SIGKILL')
  }
})

test('a torn last line is skipped and reported; the next event starts on a fresh line', async () => {
  const file = path.join(tmp.dir, 'ann.jsonl')
  const a = edit(1)
  const b = edit(2)
  const full = JSON.stringify(b)
  fs.writeFileSync(file, JSON.stringify(a) + '\n' + full.slice(0, full.length - 9))
  const r = await readJournal(file)
  assert.deepEqual(r.events, [a])
  assert.equal(r.tornTail, true)
  assert.equal(r.errors.length, 1)
  assert.equal(r.errors[0].line, 2)
  assert.match(r.errors[0].message, /torn last line/)

  const sizeBefore = fs.statSync(file).size
  const j = await Journal.open(file)
  assert.deepEqual(j.events, [a])
  assert.equal(j.errors[0].line, 2)
  const c = edit(3)
  await j.append(c)
  await j.close()
  const text = fs.readFileSync(file, 'utf8')
  // The torn bytes are kept (never rewrite user data), the new event follows on its own line.
  assert.equal(text.slice(0, sizeBefore), JSON.stringify(a) + '\n' + full.slice(0, full.length - 9))
  const again = await readJournal(file)
  assert.deepEqual(again.events, [a, c])
  assert.equal(again.tornTail, false)
  assert.deepEqual(
    again.errors.map((e) => e.line),
    [2],
  )
})

test('corrupt and invalid lines in the middle are reported with their line numbers', async () => {
  const file = path.join(tmp.dir, 'ann.jsonl')
  const a = edit(1)
  const c = edit(3)
  fs.writeFileSync(file, [JSON.stringify(a), '', 'garbage{', JSON.stringify({ ...edit(2), severity: 'x', type: 'flag' }), JSON.stringify(c), ''].join('\n'))
  const r = await readJournal(file)
  assert.deepEqual(r.events, [a, c])
  assert.deepEqual(
    r.errors.map((e) => e.line),
    [3, 4],
  )
  assert.match(r.errors[0].message, /not valid JSON/)
  assert.match(r.errors[1].message, /flag event/)
  assert.equal(r.tornTail, false)
})

test('a complete event missing only its newline is kept', async () => {
  const file = path.join(tmp.dir, 'ann.jsonl')
  const a = edit(1)
  fs.writeFileSync(file, JSON.stringify(a))
  const r = await readJournal(file)
  assert.deepEqual(r.events, [a])
  assert.deepEqual(r.errors, [])
  assert.equal(r.tornTail, true)
})

test('replay handles multi-byte text across read chunks and readJournalDir reads every reviewer', async () => {
  const jdir = path.join(tmp.dir, 'shard')
  const ann = await Journal.open(path.join(jdir, 'ann.jsonl'))
  const bob = await Journal.open(path.join(jdir, 'bob.jsonl'))
  const big = 'Größenänderung – „Übersetzung“ 🦜 '.repeat(250_000) // > 8 MiB: crosses the reader's chunk size
  const e1 = ev('ann', 'p1', { type: 'edit', address: 'prompt', text: big, previous: '' })
  const e2 = ev('bob', 'p1', { type: 'approve' })
  await Promise.all([ann.append(e1), bob.append(e2)])
  await Promise.all([ann.close(), bob.close()])
  assert.equal((await readJournal(path.join(jdir, 'missing.jsonl'))).events.length, 0)
  const all = await readJournalDir(jdir)
  assert.deepEqual([...all.keys()].map((k) => path.basename(k)), ['ann.jsonl', 'bob.jsonl'])
  assert.deepEqual(all.get(path.join(jdir, 'ann.jsonl'))!.events, [e1])
  assert.deepEqual(all.get(path.join(jdir, 'bob.jsonl'))!.events, [e2])
})
