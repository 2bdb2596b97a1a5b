/**
 * "Export as Slurm script": an sbatch file that runs the same argument list as the panel would. This is
 * the one place a command becomes shell text, so every argument is single-quoted (a quote inside becomes
 * '\'' ) and config values with newlines are refused by validation before they get here.
 */
import { argvOf, buildCommand, runPaths, type CommandOptions } from './command'
import type { RunConfig } from './types'

export interface SlurmOptions extends Partial<CommandOptions> {
  /** Wall-clock limit, Slurm's format (e.g. 24:00:00 or 2-00:00:00). */
  time?: string
  jobName?: string
  partition?: string
  cpusPerTask?: number
}

/** POSIX single-quoting; plain words stay bare so the script reads well. */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

const TIME = /^(\d+-)?\d{1,3}(:\d{2}){0,2}$/
const SLURM_WORD = /^[\w.-]+$/

export function slurmScript(c: RunConfig, o: SlurmOptions = {}): string {
  const paths = runPaths(c.outputDir)
  const time = o.time ?? (c.kind === 'sft' ? '24:00:00' : '12:00:00')
  if (!TIME.test(time)) throw new Error(`time must be Slurm's [D-]HH:MM:SS, got ${JSON.stringify(time)}`)
  const jobName = (o.jobName ?? `phoenix-${c.kind}`).replace(/[^\w.-]/g, '-').slice(0, 64)
  if (o.partition !== undefined && !SLURM_WORD.test(o.partition)) throw new Error(`partition must be a plain name, got ${JSON.stringify(o.partition)}`)
  const cpus = o.cpusPerTask ?? Math.min(128, 8 * c.numGpus)
  const cl = buildCommand(c, { ...o, configPath: o.configPath ?? paths.config, zero3Path: o.zero3Path ?? paths.zero3 })
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${jobName}`,
    '#SBATCH --nodes=1',
    '#SBATCH --ntasks-per-node=1',
    `#SBATCH --gres=gpu:${c.numGpus}`,
    `#SBATCH --cpus-per-task=${cpus}`,
    `#SBATCH --time=${time}`,
    `#SBATCH --output=${shellQuote(`${c.outputDir}/slurm-%j.out`)}`,
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    // Slurm sends SIGTERM at the time limit after this many seconds' warning: the runtime checkpoints on it.
    `#SBATCH --signal=TERM@${Math.max(60, Math.ceil(c.stopGraceSeconds))}`,
    '',
    `# Phoenix ${c.kind.toUpperCase()} run: ${c.baseModel} on ${c.dataset}`,
    `# preset ${c.preset}, method ${c.method}, launcher ${c.launcher}, ${c.numGpus} GPU(s); output ${c.outputDir}`,
    '#',
    '# Environment setup: activate the Python environment that has torch, transformers, datasets/pyarrow',
    `# ${c.method === 'full' ? '' : 'and peft, '}${c.launcher === 'deepspeed-zero3' ? 'accelerate and deepspeed, ' : c.launcher === 'accelerate' ? 'accelerate, ' : ''}(trl optional), e.g.:`,
    '#   module load cuda',
    '#   source ~/venvs/phoenix/bin/activate',
    '# The runtime checks this first and prints the pip command for anything missing (exit code 3).',
    '# To resume after a stop or a time limit, add --resume to the last line.',
    '',
    'set -euo pipefail',
    `cd ${shellQuote(c.outputDir)}`,
    '',
    // srun gives the job step the signal forwarding and accounting Slurm expects.
    `srun ${argvOf(cl).map(shellQuote).join(' ')}`,
    '',
  ]
  return lines.join('\n')
}
