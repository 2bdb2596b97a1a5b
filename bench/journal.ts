/**
 * Journal benchmark: append throughput with group fsync, and reopening a shard whose journal holds 200k
 * events (target < 300 ms) as a review session does (`replayJournalDir`): cold (every line parsed, no
 * snapshot) and warm (the snapshot's state, then an empty or a 1k-event tail); also the warm reopen
 * through the event interface (`readJournal` + `applyEvent`). Median wall and process CPU time of several
 * runs each. Standalone, `npx tsx bench/journal.ts` writes bench/results/journal.json and prints it.
 * Set PHOENIX_BENCH_DIR to measure on another disk (the default temp folder may be tmpfs, where fsync
 * costs nothing).
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import * as v8 from 'node:v8'
import * as vm from 'node:vm'
import { newEvent, type ReviewEvent, type ReviewEventBody } from '../src/core/review/events'
import { Journal, readJournal, replayJournalDir, type ReadOptions } from '../src/core/review/journal'
import { snapshotPath } from '../src/core/review/snapshot'
import { applyEvent, emptyState, replay, type ReviewState } from '../src/core/review/state'
import { stateEvents } from '../src/core/review/state-merge'

const REPLAY_EVENTS = 200_000
const APPEND_EVENTS = 20_000
const SEQUENTIAL_EVENTS = 200
const TAIL_EVENTS = 1000
const TARGET_MS = 300
const RUNS_COLD = 5
const RUNS_WARM = 9

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
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

// The previous run's state is garbage when the next starts; collecting it is not the next replay's cost.
v8.setFlagsFromString('--expose-gc')
const collectGarbage = vm.runInNewContext('gc') as () => void

/**
 * Wall and process CPU time (user + system, all threads) of `runs` runs. Other work on the machine
 * stretches wall time; CPU time shows what the replay itself costs. Medians are the figures to quote.
 */
async function timed<T>(runs: number, f: () => Promise<T>): Promise<{ wallMs: number; cpuMs: number; wallRunsMs: number[]; cpuRunsMs: number[]; last: T }> {
  const wall: number[] = []
  const cpu: number[] = []
  let last!: T
  for (let r = 0; r < runs; r++) {
    last = undefined as T
    collectGarbage()
    const c0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    last = await f()
    wall.push(ms(t0))
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  return { wallMs: round(median(wall)), cpuMs: round(median(cpu)), wallRunsMs: wall.map((x) => round(x)), cpuRunsMs: cpu.map((x) => round(x)), last }
}

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
    // A shard folder of its own: the append journal above is not one of its reviewers.
    const replayFile = path.join(dir, 'shard', 'replay.jsonl')
    fs.mkdirSync(path.dirname(replayFile))
    const fd = fs.openSync(replayFile, 'w')
    for (let start = 0; start < REPLAY_EVENTS; start += 10_000) {
      const lines: string[] = []
      for (let i = start; i < Math.min(start + 10_000, REPLAY_EVENTS); i++) lines.push(JSON.stringify(sampleEvent(i)))
      fs.writeSync(fd, lines.join('\n') + '\n')
    }
    fs.closeSync(fd)
    const bytes = fs.statSync(replayFile).size
    // Replay as opening a shard does it: every journal of its folder folded into one state.
    const open = async (opts: ReadOptions) => {
      const { state, journals } = await replayJournalDir(path.dirname(replayFile), opts)
      const res = journals.get(replayFile)!
      if (res.errors.length) throw new Error(`${res.errors.length} errors`)
      return { state, res }
    }
    const fingerprint = (st: ReviewState) => JSON.stringify([st.eventCount, ...[...st.byReviewer].map(([r, recs]) => [r, recs.size, ...[...recs.values()].map((rec) => [rec.flags.size, rec.unflags.size, rec.qa.size, rec.edits.size, rec.last.id, rec.approval?.id, rec.pick?.id])])])
    const summary = (t: Awaited<ReturnType<typeof timed>>, events: number, parsed: number) => ({ events, parsedEvents: parsed, wallMs: t.wallMs, cpuMs: t.cpuMs, wallRunsMs: t.wallRunsMs, cpuRunsMs: t.cpuRunsMs })

    const cold = await timed(RUNS_COLD, () => open({ snapshot: false }))
    const coldState = fingerprint(cold.last.state)
    const records = cold.last.state.byReviewer.get('bench')!.size
    // The parts: reading and validating alone, and folding already parsed events (in a function of its
    // own, so that the 200k parsed events are garbage before the warm runs).
    const { parseOnly, foldOnly } = await coldParts(replayFile)
    // First open with snapshots on: a cold read that also writes the snapshot.
    t0 = process.hrtime.bigint()
    const first = await open({})
    const firstOpenMs = ms(t0)
    if (!first.res.snapshot?.written) throw new Error(`no snapshot written: ${JSON.stringify(first.res.snapshot)}`)
    const snapshotBytes = fs.statSync(snapshotPath(replayFile)).size
    const warm = await timed(RUNS_WARM, () => open({}))
    if (!warm.last.res.snapshot?.used || fingerprint(warm.last.state) !== coldState) throw new Error('the snapshot gave another state')
    // The same reopen through the event interface (snapshot events handed over, folded by the caller).
    const viaEvents = await timed(RUNS_COLD, async () => {
      const state = emptyState()
      await readJournal(replayFile, (e) => applyEvent(state, e))
      return state
    })
    // Events appended after the snapshot (fewer than the refresh threshold, so it stays as it is).
    const tail = Array.from({ length: TAIL_EVENTS }, (_, i) => JSON.stringify(sampleEvent(REPLAY_EVENTS + i))).join('\n') + '\n'
    fs.appendFileSync(replayFile, tail)
    const warmTail = await timed(RUNS_WARM, () => open({}))
    const tailRes = warmTail.last.res
    if (tailRes.snapshot?.parsed !== TAIL_EVENTS || tailRes.snapshot.written || tailRes.count !== REPLAY_EVENTS + TAIL_EVENTS) throw new Error(`unexpected tail read: ${JSON.stringify(tailRes.snapshot)}`)
    if (fingerprint(warmTail.last.state) !== fingerprint((await open({ snapshot: false })).state)) throw new Error('snapshot + tail gave another state')
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
        // The target is the warm reopen (what every open after the first does), judged on the median of
        // wall time; cold is the first open ever. CPU time is given because other work shares the machine.
        ok: Math.max(warm.wallMs, warmTail.wallMs) < TARGET_MS,
        okByCpu: Math.max(warm.cpuMs, warmTail.cpuMs) < TARGET_MS,
        cold: { ...summary(cold, REPLAY_EVENTS, REPLAY_EVENTS), readAndValidateMs: round(parseOnly), foldIntoStateMs: round(foldOnly) },
        firstOpenWritingSnapshotMs: round(firstOpenMs),
        snapshot: { megabytes: round(snapshotBytes / 2 ** 20), covers: first.res.count, eventsHeld: first.state.eventCount && new Set(stateEvents(first.state)).size },
        warm: summary(warm, REPLAY_EVENTS, 0),
        warmWithTail: summary(warmTail, REPLAY_EVENTS + TAIL_EVENTS, TAIL_EVENTS),
        warmThroughEvents: summary(viaEvents, REPLAY_EVENTS, 0),
      },
      load: os.loadavg().map((l) => round(l, 2)),
      machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, loop1e8Ms: round(calibration + (x & 0)) },
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

// Standalone, it writes bench/results/journal.json as `npm run bench -- journal` does.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await benchJournal()
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), node: process.version }
  const record = { name: 'journal', date: new Date().toISOString(), machine, result }
  fs.writeFileSync(path.join(import.meta.dirname, 'results', 'journal.json'), JSON.stringify(record, null, 2) + '\n')
  console.log(JSON.stringify(record, null, 2))
}
