/**
 * The command line of a run, always as an argument list for spawn/ProcessExecution (no shell in between,
 * so no path or model name can become shell syntax). Multi-GPU runs go through accelerate's launcher as a
 * module of the same interpreter (`python -m accelerate.commands.launch`), so the `accelerate` script need
 * not be on PATH and the environment the env check examined is the one that runs.
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { RunConfig } from './types'

/** Files a run keeps in its output folder. */
export const RUN_FILES = {
  config: 'phoenix-config.json',
  zero3: 'accelerate-zero3.yaml',
  metrics: 'metrics.jsonl',
  status: 'phoenix-status.json',
  log: 'train.log',
} as const

export function runPaths(outputDir: string) {
  return {
    config: join(outputDir, RUN_FILES.config),
    zero3: join(outputDir, RUN_FILES.zero3),
    metrics: join(outputDir, RUN_FILES.metrics),
    status: join(outputDir, RUN_FILES.status),
    log: join(outputDir, RUN_FILES.log),
  }
}

/**
 * native-runtime/training/phoenix_train.py of the installed extension or CLI bundle (dist/ sits next to
 * native-runtime/), else of the checkout the process runs in (sources run by tsx, found from the
 * working folder up). The extension passes its own path explicitly.
 */
export function defaultTrainScript(): string {
  const rel = join('native-runtime', 'training', 'phoenix_train.py')
  if (typeof __dirname === 'string' && /[\\/]dist$/.test(__dirname)) return join(resolve(__dirname, '..'), rel)
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, rel))) return join(dir, rel)
    if (dirname(dir) === dir) return resolve(rel)
  }
}

export interface CommandOptions {
  /** Python interpreter (setting `phoenix.python.interpreter`), default `python3`. */
  python?: string
  /** phoenix_train.py; default: the one next to this code. */
  script?: string
  /** The resolved config file the runtime reads. */
  configPath: string
  /** The accelerate config for ZeRO-3 (written with the run). */
  zero3Path?: string
  resume?: boolean
}

export interface CommandLine {
  command: string
  args: string[]
}

export function buildCommand(c: RunConfig, o: CommandOptions): CommandLine {
  const python = o.python || 'python3'
  const script = o.script ?? defaultTrainScript()
  const tail = [script, '--config', o.configPath, ...(o.resume ? ['--resume'] : [])]
  if (c.launcher === 'single') return { command: python, args: tail }
  const launch = ['-m', 'accelerate.commands.launch']
  if (c.launcher === 'deepspeed-zero3') {
    launch.push('--config_file', o.zero3Path ?? runPaths(c.outputDir).zero3)
  } else if (c.numGpus > 1) {
    launch.push('--multi_gpu')
  }
  launch.push('--num_processes', String(c.numGpus), '--num_machines', '1', '--mixed_precision', c.hyperparameters.bf16 ? 'bf16' : 'no')
  return { command: python, args: [...launch, ...tail] }
}

/** The argument vector as one list (command first), what `--dry-run` prints. */
export const argvOf = (cl: CommandLine) => [cl.command, ...cl.args]

/**
 * accelerate's config for DeepSpeed ZeRO-3, the alignment-handbook's recipes/accelerate_configs/
 * deepspeed_zero3.yaml with this run's process count. 16-bit weights are gathered on save so the final
 * folder loads with from_pretrained.
 */
export function zero3Yaml(c: RunConfig): string {
  return [
    '# Written by Phoenix for this run (alignment-handbook deepspeed_zero3.yaml).',
    'compute_environment: LOCAL_MACHINE',
    'debug: false',
    'deepspeed_config:',
    '  deepspeed_multinode_launcher: standard',
    '  offload_optimizer_device: none',
    '  offload_param_device: none',
    '  zero3_init_flag: true',
    '  zero3_save_16bit_model: true',
    '  zero_stage: 3',
    'distributed_type: DEEPSPEED',
    "downcast_bf16: 'no'",
    'machine_rank: 0',
    'main_training_function: main',
    `mixed_precision: ${c.hyperparameters.bf16 ? 'bf16' : "'no'"}`,
    'num_machines: 1',
    `num_processes: ${c.numGpus}`,
    'rdzv_backend: static',
    'same_network: true',
    'tpu_env: []',
    'tpu_use_cluster: false',
    'tpu_use_sudo: false',
    'use_cpu: false',
    '',
  ].join('\n')
}
