import { resolve } from 'node:path'
import { argvOf, buildCommand, runPaths } from '../../core/train/command'
import { loadRunConfigFile } from '../../core/train/config'
import { estimateEta, formatDuration } from '../../core/train/eta'
import { prepareRun, runtimeConfig, startRun, stopRun, tailLines } from '../../core/train/launcher'
import { RunRegistry } from '../../core/train/registry'
import { slurmScript } from '../../core/train/slurm'
import { TrainConfigError, type MetricPoint, type RunEvent } from '../../core/train/types'
import type { CliContext } from '../context'

export const trainUsage = 'phoenix train dpo|sft --config FILE [--dry-run]'

const HELP = `usage: phoenix train dpo|sft --config FILE [options]

  --config FILE     run configuration (JSON): dataset (an export folder), outputDir, and optionally
                    baseModel, preset, method full|lora|qlora, lora {r, alpha, dropout, targetModules},
                    launcher single|accelerate|deepspeed-zero3, numGpus, seed, hyperparameters {…}
  --dry-run         print the exact command line (argv JSON) and the resolved config; start nothing
  --slurm           print an sbatch script for the run instead (with --time [D-]HH:MM:SS, --job-name)
  --python PATH     Python interpreter (default python3)
  --workspace DIR   where .phoenix/runs.json lives and relative paths start (default: current folder)
  --json            metrics as JSON lines instead of a table

A run streams its metrics until it ends; Ctrl-C stops it with a checkpoint (resume from the panel).`

const VALUE = new Set(['config', 'python', 'workspace', 'time', 'job-name'])
const FLAGS = new Set(['dry-run', 'slurm', 'json', 'help'])

class ArgError extends Error {}

function parse(args: string[]) {
  const values = new Map<string, string>()
  const flags = new Set<string>()
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '-h') flags.add('help')
    else if (!a.startsWith('--')) positional.push(a)
    else {
      const eq = a.indexOf('=')
      const name = a.slice(2, eq === -1 ? undefined : eq)
      if (FLAGS.has(name) && eq === -1) flags.add(name)
      else if (VALUE.has(name)) {
        const v = eq === -1 ? args[++i] : a.slice(eq + 1)
        if (v === undefined) throw new ArgError(`--${name} needs a value`)
        values.set(name, v)
      } else throw new ArgError(`unknown option ${a}`)
    }
  }
  return { values, flags, positional }
}

const fmt = (v: number | undefined, digits = 4) => (v === undefined ? '—' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(digits))

function metricLine(p: MetricPoint, eta: string): string {
  const parts = [`step ${String(p.step).padStart(6)}`, `loss ${fmt(p.loss)}`, `lr ${fmt(p.learning_rate)}`]
  if (p['rewards/accuracies'] !== undefined) parts.push(`acc ${fmt(p['rewards/accuracies'], 3)}`, `margin ${fmt(p['rewards/margins'])}`)
  parts.push(`eta ${eta}`)
  return parts.join('  ')
}

export async function trainCommand(args: string[], ctx: CliContext): Promise<number> {
  let p: ReturnType<typeof parse>
  try {
    p = parse(args)
  } catch (e) {
    ctx.err(`phoenix train: ${(e as Error).message}\n${HELP}`)
    return 2
  }
  if (p.flags.has('help')) {
    ctx.out(HELP)
    return 0
  }
  const kind = p.positional[0]
  if ((kind !== 'dpo' && kind !== 'sft') || p.positional.length !== 1) {
    ctx.err(`phoenix train: say dpo or sft\n${HELP}`)
    return 2
  }
  const file = p.values.get('config')
  if (!file) {
    ctx.err(`phoenix train: --config FILE is required\n${HELP}`)
    return 2
  }
  const workspace = resolve(p.values.get('workspace') ?? process.cwd())
  const python = p.values.get('python')
  let config
  try {
    config = loadRunConfigFile(resolve(file), { workspace, kind, checkFiles: true })
  } catch (e) {
    if (!(e instanceof TrainConfigError)) throw e
    ctx.err(`phoenix train: ${e.message}`)
    return 2
  }
  const paths = runPaths(config.outputDir)
  if (p.flags.has('slurm')) {
    try {
      ctx.out(slurmScript(config, { python, time: p.values.get('time'), jobName: p.values.get('job-name') }))
    } catch (e) {
      ctx.err(`phoenix train: ${(e as Error).message}`)
      return 2
    }
    return 0
  }
  if (p.flags.has('dry-run')) {
    const cl = buildCommand(config, { python, configPath: paths.config, zero3Path: paths.zero3 })
    ctx.out(JSON.stringify({ argv: argvOf(cl), cwd: config.outputDir, config: runtimeConfig(config, '(assigned when the run starts)') }, null, 2))
    return 0
  }

  const registry = await RunRegistry.open(workspace)
  let prepared
  try {
    prepared = await prepareRun(registry, config, { python })
  } catch (e) {
    if (!(e instanceof TrainConfigError)) throw e
    ctx.err(`phoenix train: ${e.message}`)
    return 2
  }
  ctx.err(`phoenix train: run ${prepared.run.id}: ${JSON.stringify(argvOf(prepared.command))}`)
  const points: MetricPoint[] = []
  const events: RunEvent[] = []
  const json = p.flags.has('json')
  const started = await startRun(registry, prepared, {
    onProgress: ({ parsed }) => {
      events.push(...parsed.events)
      for (const pt of parsed.points) {
        points.push(pt)
        ctx.out(json ? JSON.stringify(pt) : metricLine(pt, formatDuration(estimateEta(points, events).secondsLeft)))
      }
      for (const ev of parsed.events) if (!json && ev.event === 'log') ctx.err(`  ${ev.message}`)
    },
  }).catch((e: Error) => e)
  if (started instanceof Error) {
    ctx.err(`phoenix train: ${started.message}`)
    return 1
  }
  const onSignal = () => {
    ctx.err(`phoenix train: stopping ${prepared.run.id} (checkpoint first)…`)
    void stopRun(registry, prepared.run.id, { exited: started.exited })
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const done = await started.exited
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  ctx.err(`phoenix train: run ${done.id} ${done.status}${done.lastStep !== undefined ? ` at step ${done.lastStep}` : ''}${done.message ? `: ${done.message}` : ''}`)
  if (done.status === 'failed') {
    const log = tailLines(`${config.outputDir}/stdout.log`, 15)
    if (log.length) ctx.err(log.join('\n'))
    return done.exitCode === 3 ? 3 : 1
  }
  return 0
}

