/**
 * Export benchmark: 62,000 UltraFeedback preference pairs (synthetic English shard + its German counterpart,
 * cached under bench/.data/) with a journal of review decisions, exported to a parquet dataset folder.
 * Each export runs in a child process so its peak RSS (process.resourceUsage().maxRSS) is its own, from the
 * esbuild bundle (bench/export-child.ts, rebuilt first) so that it times the code the CLI and the editor run.
 * Target: < 5 s for the export itself. Standalone: `npx tsx bench/export.ts` prints JSON.
 * Other work shares this machine, so each run is repeated (PHOENIX_BENCH_EXPORT_REPEAT, default 5) and
 * medians are reported, with the process CPU time (user + system, all threads) next to the wall time.
 * Peer, same run: DuckDB converting the same translated shard to parquet (bench/export-peer.ts), run between
 * the exports; `perPeer` is each export's median over the peer's, which stays comparable when this machine's
 * speed drifts.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ExportOptions } from '../src/core/export/types'
import { writeShardJsonl } from '../src/core/records/parquet-write'
import { newEvent, type ReviewEventBody } from '../src/core/review/events'
import { Journal, journalPath, shardIdentity } from '../src/core/review/journal'
import { generate } from '../src/core/synth'

const ROWS = Number(process.env.PHOENIX_BENCH_EXPORT_ROWS ?? 62_000)
const SEED = 7
const TARGET_SECONDS = 5
const REPEAT = Number(process.env.PHOENIX_BENCH_EXPORT_REPEAT ?? 5)
const here = import.meta.dirname ?? fileURLToPath(new URL('.', import.meta.url))
const dataDir = join(here, '.data', `export-${ROWS}-${SEED}`)
/** The export as users run it: bundled by scripts/build.mjs, its worker threads beside it in dist/. */
const childBundle = join(here, '..', 'dist', 'export-bench.cjs')

/** English and German binarized shards plus two reviewers' journals; built once, then reused. */
async function ensureData(): Promise<{ en: string; de: string; workspace: string }> {
  const en = join(dataDir, 'uf.en.jsonl')
  const de = join(dataDir, 'uf.de.jsonl')
  const done = join(dataDir, '.complete')
  if (existsSync(done)) return { en, de, workspace: dataDir }
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  await writeShardJsonl(en, generate({ kind: 'ultrafeedback-binarized', rows: ROWS, seed: SEED, lang: 'en' }))
  await writeShardJsonl(de, generate({ kind: 'ultrafeedback-binarized', rows: ROWS, seed: SEED, lang: 'de' }))
  // Review decisions on every 20th record: picks (some swaps, ties), edits, approvals, a few flags.
  const ids: string[] = []
  let i = 0
  for (const row of generate({ kind: 'ultrafeedback-binarized', rows: ROWS, seed: SEED, lang: 'en' })) if (i++ % 20 === 0) ids.push(row.prompt_id as string)
  for (const reviewer of ['ann', 'bob']) {
    const j = await Journal.open(journalPath(dataDir, de, reviewer), { batchSize: 4096 })
    const ctx = { reviewer, shard: shardIdentity(dataDir, de) }
    const pending: Promise<void>[] = []
    ids.forEach((id, k) => {
      const bodies: ReviewEventBody[] = [{ type: 'approve' }]
      if (k % 3 === 0) bodies.push({ type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' })
      if (k % 11 === 0) bodies.push({ type: 'pick', chosen: null, rejected: null, verdict: 'tie' })
      if (k % 5 === 0 && reviewer === 'ann') bodies.push({ type: 'edit', address: 'chosen/1/content', text: `Korrigierte Antwort ${k}.`, previous: '' })
      if (k % 17 === 0 && reviewer === 'bob') bodies.push({ type: 'flag', address: 'prompt', reason: 'mistranslation', severity: 'critical', flagId: `f${k}` })
      for (const b of bodies) pending.push(j.append(newEvent(ctx, id, b, new Date(Date.UTC(2025, 0, 1) + k * 1000))))
    })
    await Promise.all(pending)
    await j.close()
  }
  mkdirSync(done)
  return { en, de, workspace: dataDir }
}

import type { ChildResult } from './export-child'

type Run = ChildResult & { wallSeconds: number }

interface PeerRun {
  seconds: number
  cpuSeconds: number
  maxRssMB: number
  rows: number
}

const tsx = join(here, '..', 'node_modules', '.bin', 'tsx')

function runPeer(shard: string, out: string): PeerRun {
  const r = spawnSync(tsx, [join(here, 'export-peer.ts'), shard, out], { encoding: 'utf8', maxBuffer: 1 << 20 })
  if (r.status !== 0) throw new Error(`export peer failed (${r.status}): ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerRun
}

function runChild(opts: ExportOptions): Run {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [childBundle, JSON.stringify(opts)], { encoding: 'utf8', maxBuffer: 1 << 24 })
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`export child failed (${r.status}): ${r.stderr}`)
  const line = r.stdout.trim().split('\n').pop()!
  return { ...(JSON.parse(line) as ChildResult), wallSeconds: Math.round(wallSeconds * 100) / 100 }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** `REPEAT` runs of one export (`before` runs ahead of each); medians, plus every run's seconds. */
function repeated(opts: ExportOptions, before?: () => void): Omit<Run, 'seconds' | 'cpuSeconds' | 'maxRssMB' | 'wallSeconds'> & { seconds: number; cpuSeconds: number; maxRssMB: number; wallSeconds: number; runs: number; allSeconds: number[]; allCpuSeconds: number[] } {
  const runs: Run[] = []
  for (let i = 0; i < REPEAT; i++) {
    before?.()
    runs.push(runChild(opts))
  }
  const { written, train, test, excluded, qa, qaOnWorker, writtenOnWorker } = runs[0]
  for (const r of runs) if (r.written !== written || r.excluded !== excluded) throw new Error('export runs disagree')
  return {
    seconds: median(runs.map((r) => r.seconds)),
    cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
    maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)),
    wallSeconds: median(runs.map((r) => r.wallSeconds)),
    written,
    train,
    test,
    excluded,
    qa,
    qaOnWorker,
    writtenOnWorker,
    runs: runs.length,
    allSeconds: runs.map((r) => r.seconds),
    allCpuSeconds: runs.map((r) => r.cpuSeconds),
  }
}

export async function benchExport(): Promise<object> {
  const t0 = process.hrtime.bigint()
  const fresh = !existsSync(join(dataDir, '.complete'))
  const { en, de, workspace } = await ensureData()
  const built = spawnSync(process.execPath, [join(here, '..', 'scripts', 'build.mjs')], { encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`)
  const dataSeconds = Number(process.hrtime.bigint() - t0) / 1e9
  const outRoot = mkdtempSync(join(tmpdir(), 'phoenix-bench-export-'))
  try {
    const base: ExportOptions = {
      source: en,
      target: de,
      kind: 'dpo',
      format: 'parquet',
      dpoFormat: 'conversational',
      out: join(outRoot, 'set'),
      workspace,
      seed: 42,
      testSize: 0.1,
      approvedOnly: false,
      maxSeverity: 'critical',
      qaFlags: 'confirmed',
      maxRatioDeviation: 0.5,
      expectedRatio: 1.2,
      sourceLang: 'en',
      targetLang: 'de',
      license: 'other',
    }
    const caches = join(workspace, '.phoenix', 'cache')
    const noQaCache = () => rmSync(join(caches, 'export-qa'), { recursive: true, force: true })
    const noCaches = () => {
      noQaCache()
      rmSync(join(caches, 'export-source'), { recursive: true, force: true })
    }
    // the peer runs before each export variant and after the last, so that its median spans their minutes
    const peerRuns: PeerRun[] = []
    const peer = () => peerRuns.push(runPeer(de, join(outRoot, 'peer.parquet')))
    const variants = {
      // The export itself: review decisions, corrections, filters, split, parquet, card, manifest, with only the
      // QA flags a reviewer confirmed counting. First: nothing cached, the English shard is read on a worker.
      parquetFirst: () => repeated({ ...base, out: join(outRoot, 'set-first') }, noCaches),
      // A re-export (the English side's ids and lengths cached); it replaces the previous folder atomically.
      parquet: () => repeated(base),
      jsonl: () => repeated({ ...base, format: 'jsonl', out: join(outRoot, 'set-jsonl') }),
      // The default: the QA engine's flags nobody dismissed count. Cold: a first export, nothing cached, the
      // engine runs on every record.
      parquetWithQaCold: () => repeated({ ...base, qaFlags: 'not-dismissed', out: join(outRoot, 'set-qa-cold') }, noCaches),
      // Warm: a re-export with the previous export's caches; the engine re-runs on corrected records only.
      parquetWithQa: () => repeated({ ...base, qaFlags: 'not-dismissed', out: join(outRoot, 'set-qa') }),
    }
    const runs: Record<string, ReturnType<typeof repeated>> = {}
    for (const [name, run] of Object.entries(variants)) {
      peer()
      runs[name] = run()
    }
    peer()
    const peerSeconds = median(peerRuns.map((r) => r.seconds))
    const parquetBytes = statSync(join(outRoot, 'set', 'data', 'train-00000-of-00001.parquet')).size
    return {
      rows: ROWS,
      inputMB: Math.round((statSync(en).size + statSync(de).size) / 2 ** 20),
      data: { cached: !fresh, seconds: Math.round(dataSeconds * 10) / 10 },
      runs,
      trainParquetMB: Math.round((parquetBytes / 2 ** 20) * 10) / 10,
      targetSeconds: TARGET_SECONDS,
      meetsTarget: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, r.seconds < TARGET_SECONDS])),
      peer: {
        tool: 'duckdb: COPY (SELECT prompt, chosen, rejected FROM read_json(<translated shard>)) TO parquet (snappy)',
        seconds: peerSeconds,
        cpuSeconds: median(peerRuns.map((r) => r.cpuSeconds)),
        maxRssMB: Math.max(...peerRuns.map((r) => r.maxRssMB)),
        rows: peerRuns[0].rows,
        allSeconds: peerRuns.map((r) => r.seconds),
      },
      perPeer: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, Math.round((r.seconds / peerSeconds) * 100) / 100])),
    }
  } finally {
    rmSync(outRoot, { recursive: true, force: true })
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
if (isMain) console.log(JSON.stringify(await benchExport(), null, 2))
