/**
 * Starting, watching, stopping and resuming runs as real child processes (argument lists, no shell).
 * The runtime writes its own record of how it ended (`phoenix-status.json`, an `end` event in
 * metrics.jsonl), so a run started by a window that has since reloaded can still be settled from disk.
 * The extension starts the same prepared command as a VS Code task instead of spawning it here, and uses
 * the rest (watching, settling, stopping, reconciling) unchanged.
 */
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildCommand, runPaths, zero3Yaml, type CommandLine } from './command'
import { MetricsTail, readMetricsFile, type ParsedMetrics } from './metrics'
import type { RunRegistry } from './registry'
import { TrainConfigError, type RunConfig, type RunRecord, type RunStatus, type RuntimeStatus } from './types'

export interface LaunchOptions {
  python?: string
  script?: string
}

export interface PreparedRun {
  run: RunRecord
  command: CommandLine
  /** The run's output folder: the process's working directory. */
  cwd: string
  env: Record<string, string>
}

/** Checkpoint folders (checkpoint-<step>) of an output folder, oldest first. */
export function listCheckpoints(outputDir: string): string[] {
  if (!existsSync(outputDir)) return []
  return readdirSync(outputDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^checkpoint-\d+$/.test(d.name))
    .map((d) => d.name)
    .sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)))
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

/** The file the runtime reads: the resolved config plus where to write (all absolute). */
export function runtimeConfig(c: RunConfig, runId: string) {
  const p = runPaths(c.outputDir)
  return { runId, ...c, metricsPath: p.metrics, statusPath: p.status, logPath: p.log }
}

const ENV = { PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8', TOKENIZERS_PARALLELISM: 'false' }

/**
 * Writes the run's config (and accelerate's ZeRO-3 file) into its output folder and registers it as
 * queued. An output folder that already holds a run is refused: its checkpoints belong to that run
 * (resume it instead).
 */
export async function prepareRun(registry: RunRegistry, config: RunConfig, o: LaunchOptions = {}): Promise<PreparedRun> {
  const paths = runPaths(config.outputDir)
  if (existsSync(paths.metrics) || listCheckpoints(config.outputDir).length) {
    throw new TrainConfigError([`outputDir: ${config.outputDir} already holds a run (metrics.jsonl or checkpoint-*); choose a new folder, or resume that run`])
  }
  mkdirSync(config.outputDir, { recursive: true })
  if (config.launcher === 'deepspeed-zero3') writeAtomic(paths.zero3, zero3Yaml(config))
  const command = buildCommand(config, { python: o.python, script: o.script, configPath: paths.config, zero3Path: paths.zero3 })
  const run = await registry.create(config, paths, [command.command, ...command.args])
  writeAtomic(paths.config, JSON.stringify(runtimeConfig(config, run.id), null, 2) + '\n')
  return { run, command, cwd: config.outputDir, env: { ...ENV } }
}

/** The same run again from its latest checkpoint (`--resume`). */
export async function prepareResume(registry: RunRegistry, id: string, o: LaunchOptions = {}): Promise<PreparedRun> {
  await registry.refresh()
  const run = registry.get(id)
  if (!run) throw new TrainConfigError([`no run ${id}`])
  if (run.status === 'running' || run.status === 'queued') throw new TrainConfigError([`run ${id} is ${run.status}; stop it before resuming`])
  const checkpoints = listCheckpoints(run.config.outputDir)
  if (!checkpoints.length) throw new TrainConfigError([`run ${id} has no checkpoint in ${run.config.outputDir} to resume from`])
  const paths = runPaths(run.config.outputDir)
  if (run.config.launcher === 'deepspeed-zero3' && !existsSync(paths.zero3)) writeAtomic(paths.zero3, zero3Yaml(run.config))
  if (!existsSync(paths.config)) writeAtomic(paths.config, JSON.stringify(runtimeConfig(run.config, run.id), null, 2) + '\n')
  const command = buildCommand(run.config, { python: o.python, script: o.script, configPath: paths.config, zero3Path: paths.zero3, resume: true })
  const next = await registry.update(id, {
    status: 'queued',
    pid: null,
    exitCode: null,
    argv: [command.command, ...command.args],
    checkpoints,
    message: `resuming from ${checkpoints[checkpoints.length - 1]}`,
    stopRequestedAt: undefined,
    endedAt: undefined,
  })
  return { run: next, command, cwd: run.config.outputDir, env: { ...ENV } }
}

export function isAlive(pid: number | null | undefined): boolean {
  if (!pid || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Signals the run's process group (accelerate's workers too), or the process alone when it has none. */
export function signalRun(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    try {
      process.kill(pid, signal)
      return true
    } catch {
      return false
    }
  }
}

export function readRuntimeStatus(path: string): RuntimeStatus | null {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as RuntimeStatus
    return s && typeof s.status === 'string' ? s : null
  } catch {
    return null
  }
}

/** The env check's JSON line, if the runtime printed one (exit code 3) into the process log. */
export function envCheckMessage(logPath: string): string | undefined {
  let text: string
  try {
    text = readFileSync(logPath, 'utf8')
  } catch {
    return undefined
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const o = JSON.parse(line) as { event?: string; missing?: string[]; pip?: string; message?: string }
      if (o.event === 'env-check') return o.message ?? `missing: ${(o.missing ?? []).join(', ')}; install with: ${o.pip ?? ''}`
    } catch {
      /* not the line */
    }
  }
  return undefined
}

export const processLogPath = (outputDir: string) => join(outputDir, 'stdout.log')

export interface ExitInfo {
  code: number | null
  signal?: NodeJS.Signals | string | null
}

/**
 * How a run ended, from what it wrote (status file, then the `end` event), else from how the process
 * exited. Exit code 3 is the runtime's "environment incomplete".
 */
export function settleFromDisk(run: RunRecord, exit?: ExitInfo): { status: RunStatus; message?: string; exitCode: number | null; lastStep?: number } {
  const rs = readRuntimeStatus(run.statusPath)
  const m = readMetricsFile(run.metricsPath)
  const lastPoint = m.points[m.points.length - 1]
  // Only the latest attempt counts: a resumed run's file still holds the previous attempt's `end`.
  const lastStart = m.events.map((e) => e.event).lastIndexOf('start')
  const end = m.events.slice(lastStart + 1).reverse().find((e) => e.event === 'end') as Extract<ParsedMetrics['events'][number], { event: 'end' }> | undefined
  const code = exit?.code ?? rs?.exit_code ?? null
  const lastStep = rs?.step ?? end?.step ?? lastPoint?.step
  if (rs && rs.status !== 'running') return { status: rs.status, message: rs.message, exitCode: code ?? (rs.status === 'failed' ? 1 : 0), lastStep }
  if (end) return { status: end.status, message: end.message, exitCode: code, lastStep }
  if (code === 3) return { status: 'failed', message: envCheckMessage(processLogPath(run.config.outputDir)) ?? 'the Python environment is incomplete (exit code 3)', exitCode: 3, lastStep }
  if (code === 0) return { status: 'finished', exitCode: 0, lastStep }
  if (run.stopRequestedAt) return { status: 'stopped', message: 'stopped (the process ended before it wrote its final status)', exitCode: code, lastStep }
  const how = exit?.signal ? `killed by ${exit.signal}` : code !== null ? `exited with code ${code}` : 'ended without a final status (killed, or the machine restarted?)'
  return { status: 'failed', message: `the training process ${how}; see ${processLogPath(run.config.outputDir)}`, exitCode: code, lastStep }
}

/** Records how a run ended. */
export async function finalizeRun(registry: RunRegistry, id: string, exit?: ExitInfo): Promise<RunRecord> {
  const run = registry.get(id) ?? (await registry.refresh(), registry.get(id))
  if (!run) throw new Error(`no run ${id}`)
  const s = settleFromDisk(run, exit)
  return registry.update(id, {
    status: s.status,
    message: s.message,
    exitCode: s.exitCode,
    lastStep: s.lastStep ?? run.lastStep,
    pid: null,
    checkpoints: listCheckpoints(run.config.outputDir),
    endedAt: new Date().toISOString(),
  })
}

/**
 * After a window reload: a run the registry calls running (or queued with a pid) whose process is gone
 * is settled from what it wrote. Returns the runs that changed.
 */
export async function reconcileRuns(registry: RunRegistry): Promise<RunRecord[]> {
  const changed: RunRecord[] = []
  for (const r of await registry.refresh()) {
    if (r.status !== 'running' && r.status !== 'queued') continue
    if (r.status === 'queued' && r.pid === null) {
      // Never started (the window closed between prepare and start).
      changed.push(await registry.update(r.id, { status: 'failed', message: 'never started', endedAt: new Date().toISOString() }))
      continue
    }
    if (isAlive(r.pid)) continue
    changed.push(await finalizeRun(registry, r.id))
  }
  return changed
}

export interface RunProgress {
  run: RunRecord
  parsed: ParsedMetrics
}

/** Polls a run's metrics file and keeps the registry's step and checkpoints current. */
export class RunWatcher {
  private readonly tail: MetricsTail
  private timer?: NodeJS.Timeout
  private lastSaved = 0
  private lastStep = -1
  private checkpoints = 0

  constructor(
    private readonly registry: RunRegistry,
    private readonly id: string,
    metricsPath: string,
    private readonly onProgress?: (p: RunProgress) => void,
  ) {
    this.tail = new MetricsTail(metricsPath)
  }

  start(intervalMs = 500): this {
    this.timer = setInterval(() => void this.poll().catch(() => {}), intervalMs)
    return this
  }

  async poll(): Promise<ParsedMetrics> {
    const parsed = this.tail.poll()
    let run = this.registry.get(this.id)
    if (!run) return parsed
    const step = parsed.points.length ? parsed.points[parsed.points.length - 1].step : this.lastStep
    const start = parsed.events.find((e) => e.event === 'start') as { total_steps?: number } | undefined
    const ckpt = parsed.events.filter((e) => e.event === 'checkpoint').length
    const now = Date.now()
    if (ckpt > 0 || start || (step !== this.lastStep && now - this.lastSaved > 5000)) {
      this.checkpoints += ckpt
      this.lastSaved = now
      run = await this.registry.update(this.id, {
        lastStep: step >= 0 ? step : run.lastStep,
        ...(start?.total_steps ? { totalSteps: start.total_steps } : {}),
        checkpoints: listCheckpoints(run.config.outputDir),
      })
    }
    this.lastStep = step
    if (parsed.points.length || parsed.events.length || parsed.errors.length) this.onProgress?.({ run, parsed })
    return parsed
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}

export interface StartedRun {
  run: RunRecord
  pid: number
  /** Resolves with the settled record once the process has exited. */
  exited: Promise<RunRecord>
  stop(graceMs?: number): Promise<RunRecord>
}

export interface StartOptions {
  onProgress?: (p: RunProgress) => void
  pollMs?: number
}

/**
 * Spawns a prepared run. Output goes to `<output>/stdout.log` (a file, not a pipe, so the process
 * outlives its parent); the process leads its own process group so a stop reaches accelerate's workers.
 */
export async function startRun(registry: RunRegistry, prepared: PreparedRun, o: StartOptions = {}): Promise<StartedRun> {
  const { run, command } = prepared
  const log = openSync(processLogPath(prepared.cwd), 'a')
  const child = spawn(command.command, command.args, {
    cwd: prepared.cwd,
    env: { ...process.env, ...prepared.env },
    stdio: ['ignore', log, log],
    detached: true,
    shell: false,
  })
  closeSync(log)
  const spawned = await new Promise<Error | null>((resolve) => {
    child.once('spawn', () => resolve(null))
    child.once('error', (e) => resolve(e))
  })
  if (spawned || child.pid === undefined) {
    const message = `could not start ${command.command}: ${spawned?.message ?? 'no pid'} (set phoenix.python.interpreter to a Python with torch)`
    await registry.update(run.id, { status: 'failed', message, exitCode: null, endedAt: new Date().toISOString() })
    throw new Error(message)
  }
  const pid = child.pid
  const exitInfo = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const started = await registry.update(run.id, { status: 'running', pid, startedAt: new Date().toISOString() })
  const watcher = new RunWatcher(registry, run.id, run.metricsPath, o.onProgress).start(o.pollMs ?? 500)
  const exited = exitInfo.then(async (exit) => {
    watcher.stop()
    await watcher.poll().catch(() => {})
    return finalizeRun(registry, run.id, exit)
  })
  return {
    run: started,
    pid,
    exited,
    async stop(graceMs?: number) {
      await stopRun(registry, run.id, { graceMs, exited: exitInfo })
      return exited
    },
  }
}

/**
 * SIGTERM (the runtime saves a checkpoint and exits 0 with status "stopped"), then SIGKILL once the grace
 * period is over. Checkpoints already written are kept either way.
 */
export async function stopRun(registry: RunRegistry, id: string, o: { graceMs?: number; exited?: Promise<unknown> } = {}): Promise<RunRecord> {
  await registry.refresh()
  const run = registry.get(id)
  if (!run) throw new Error(`no run ${id}`)
  if (run.status !== 'running' || !run.pid) return run
  const pid = run.pid
  await registry.update(id, { stopRequestedAt: new Date().toISOString() })
  signalRun(pid, 'SIGTERM')
  const grace = o.graceMs ?? run.config.stopGraceSeconds * 1000
  const gone = o.exited ?? waitUntil(() => !isAlive(pid), grace + 1000)
  const timedOut = await Promise.race([gone.then(() => false), sleep(grace).then(() => true)])
  if (timedOut && isAlive(pid)) {
    signalRun(pid, 'SIGKILL')
    await Promise.race([gone, sleep(5000)])
  }
  if (o.exited) return registry.get(id)!
  return finalizeRun(registry, id, { code: null, signal: timedOut ? 'SIGKILL' : 'SIGTERM' })
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

async function waitUntil(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!cond() && Date.now() < end) await sleep(100)
}

/** Last `n` lines of a text file (the runtime's train.log, else the process log), for the panel. */
export function tailLines(path: string, n = 20): string[] {
  try {
    const text = readFileSync(path, 'utf8')
    const lines = text.split('\n')
    if (lines[lines.length - 1] === '') lines.pop()
    return lines.slice(-n)
  } catch {
    return []
  }
}
