/**
 * Journal benchmark: append throughput with group fsync, and reopening a journal of 200k events (target
 * < 300 ms): cold (every line parsed, no snapshot) and warm (snapshot, then an empty or a 1k-event tail).
 * Standalone: `npx tsx bench/journal.ts` prints JSON. Set PHOENIX_BENCH_DIR to measure on another disk
 * (the default temp folder may be tmpfs, where fsync costs nothing).
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { newEvent, type ReviewEvent, type ReviewEventBody } from '../src/core/review/events'
import { Journal, readJournal, type ReadOptions } from '../src/core/review/journal'
import { snapshotPath } from '../src/core/review/snapshot'
import { applyEvent, emptyState, replay } from '../src/core/review/state'

const REPLAY_EVENTS = 200_000
const APPEND_EVENTS = 20_000
const SEQUENTIAL_EVENTS = 200
const TAIL_EVENTS = 1000
const TARGET_MS = 300

function sampleEvent(i: number, reviewer = 'bench'): ReviewEvent {
  const promptId = (i % 5000).toString(16).padStart(64, '0')
  const kinds: ReviewEventBody[] = [
    { type: 'flag', address: `messages/${i % 4}/content`, segment: i % 3, reason: 'terminology', severity: 'minor', comment: 'Begriff uneinheitlich', flagId: `f${i}` },
    { type: 'edit', address: 'prompt', text: 'Schreibe eine kurze Zusammenfassung des folgenden Textes über Übersetzung.', previous: 'Schreibe eine kurze Zusammenfassung des folgenden Textes.' },
    { type: 'approve' },
    { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' },
    { type: 'qa-confirm', address: `chosen/${i % 2}/content`, check: 'numbers', flagKey: `numbers:${i}` },
    { type: 'unflag', flagId: `f${i - 5}` },
  ]
  return newEvent({ reviewer, shard: 'data/ultrafeedback_binarized.de.jsonl' }, promptId, kinds[i % kinds.length], new Date(1_735_689_600_000 + i * 1000))
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d

async function coldParts(file: string): Promise<{ parseOnly: number; foldOnly: number }> {
  let t0 = process.hrtime.bigint()
  await readJournal(file, () => undefined, { snapshot: false })
  const parseOnly = ms(t0)
  const { events: parsed } = await readJournal(file, undefined, { snapshot: false })
  t0 = process.hrtime.bigint()
  replay(parsed)
  return { parseOnly, foldOnly: ms(t0) }
}

export async function benchJournal(): Promise<object> {
  const base = process.env.PHOENIX_BENCH_DIR ?? os.tmpdir()
  const dir = fs.mkdtempSync(path.join(base, 'phoenix-bench-'))
  try {
    // Group commit: many appends in flight, as when a reviewer works fast or a batch action runs.
    const appendFile = path.join(dir, 'append.jsonl')
    const j = await Journal.open(appendFile)
    const events = Array.from({ length: APPEND_EVENTS }, (_, i) => sampleEvent(i))
    let t0 = process.hrtime.bigint()
    await Promise.all(events.map((e) => j.append(e)))
    const groupMs = ms(t0)
    const commits = j.stats.commits
    // One at a time, each awaited: the latency a single click sees.
    t0 = process.hrtime.bigint()
    for (let i = 0; i < SEQUENTIAL_EVENTS; i++) await j.append(sampleEvent(APPEND_EVENTS + i))
    const seqMs = ms(t0)
    await j.close()

    // Replay: 200k events written directly (their durability is not what is measured here).
    const replayFile = path.join(dir, 'replay.jsonl')
    const fd = fs.openSync(replayFile, 'w')
    for (let start = 0; start < REPLAY_EVENTS; start += 10_000) {
      const lines: string[] = []
      for (let i = start; i < Math.min(start + 10_000, REPLAY_EVENTS); i++) lines.push(JSON.stringify(sampleEvent(i)))
      fs.writeSync(fd, lines.join('\n') + '\n')
    }
    fs.closeSync(fd)
    const bytes = fs.statSync(replayFile).size
    // Replay as opening a journal does it: stream the file, fold each event into state.
    let records = 0
    const reopen = async (expected: number, opts: ReadOptions) => {
      const runs: number[] = []
      let res
      let delivered = 0
      for (let r = 0; r < 3; r++) {
        t0 = process.hrtime.bigint()
        const state = emptyState()
        delivered = 0
        res = await readJournal(replayFile, (e) => (delivered++, applyEvent(state, e)), opts)
        runs.push(ms(t0))
        if (res.count !== expected || res.errors.length) throw new Error(`replayed ${res.count} events, ${res.errors.length} errors`)
        records = state.byReviewer.get('bench')!.size
      }
      return { bestMs: round(Math.min(...runs)), runsMs: runs.map((r) => round(r)), snapshot: res!.snapshot, delivered }
    }
    const cold = await reopen(REPLAY_EVENTS, { snapshot: false })
    // The parts: reading and validating alone, and folding already parsed events (in a function of its
    // own, so that the 200k parsed events are garbage before the warm runs).
    const { parseOnly, foldOnly } = await coldParts(replayFile)
    // First open with snapshots on: a cold read that also compacts and writes the snapshot.
    t0 = process.hrtime.bigint()
    const first = await readJournal(replayFile, () => undefined)
    const firstOpenMs = ms(t0)
    if (!first.snapshot?.written) throw new Error(`no snapshot written: ${JSON.stringify(first.snapshot)}`)
    const snapshotBytes = fs.statSync(snapshotPath(replayFile)).size
    const warm = await reopen(REPLAY_EVENTS, {})
    // Events appended after the snapshot (fewer than the refresh threshold, so it stays as it is).
    const tail = Array.from({ length: TAIL_EVENTS }, (_, i) => JSON.stringify(sampleEvent(REPLAY_EVENTS + i))).join('\n') + '\n'
    fs.appendFileSync(replayFile, tail)
    const warmTail = await reopen(REPLAY_EVENTS + TAIL_EVENTS, {})
    if (warmTail.snapshot?.parsed !== TAIL_EVENTS || warmTail.snapshot.written) throw new Error(`unexpected tail read: ${JSON.stringify(warmTail.snapshot)}`)
    // A fixed CPU loop, to compare numbers taken on different machines.
    t0 = process.hrtime.bigint()
    let x = 0
    for (let i = 0; i < 1e8; i++) x += i & 7
    const calibration = ms(t0)
    return {
      dir: base,
      append: {
        events: APPEND_EVENTS,
        ms: round(groupMs),
        eventsPerSec: Math.round(APPEND_EVENTS / (groupMs / 1000)),
        fsyncs: commits,
        eventsPerFsync: round(APPEND_EVENTS / Math.max(1, commits)),
      },
      sequentialAppend: {
        events: SEQUENTIAL_EVENTS,
        eventsPerSec: Math.round(SEQUENTIAL_EVENTS / (seqMs / 1000)),
        meanLatencyMs: round(seqMs / SEQUENTIAL_EVENTS, 2),
      },
      replay: {
        events: REPLAY_EVENTS,
        megabytes: round(bytes / 2 ** 20),
        records,
        targetMs: TARGET_MS,
        // The target is the warm reopen (what every open after the first does); cold is the first open ever.
        ok: Math.max(warm.bestMs, warmTail.bestMs) < TARGET_MS,
        cold: { totalMs: cold.bestMs, runsMs: cold.runsMs, readAndValidateMs: round(parseOnly), foldIntoStateMs: round(foldOnly) },
        firstOpenWritingSnapshotMs: round(firstOpenMs),
        snapshot: { megabytes: round(snapshotBytes / 2 ** 20), covers: first.count, keeps: warm.delivered },
        warm: { totalMs: warm.bestMs, runsMs: warm.runsMs },
        warmWithTail: { tailEvents: TAIL_EVENTS, totalMs: warmTail.bestMs, runsMs: warmTail.runsMs },
      },
      load: os.loadavg().map((l) => round(l, 2)),
      machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, loop1e8Ms: round(calibration + (x & 0)) },
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  console.log(JSON.stringify(await benchJournal(), null, 2))
}
