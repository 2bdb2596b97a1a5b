/**
 * A run configuration from what a user gave (a JSON file, the panel's form, CLI flags) over a preset:
 * every problem is collected and reported at once, each naming its field.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { DEFAULT_BASE_MODEL, DEFAULT_LORA, defaultPreset, presetById } from './presets'
import {
  BACKENDS,
  LAUNCHERS,
  METHODS,
  RUN_KINDS,
  SCHEDULERS,
  TRAINERS,
  TrainConfigError,
  type Hyperparameters,
  type LoraConfig,
  type RunConfig,
  type RunKind,
} from './types'

/** What a user may give: everything optional except what the preset cannot know. */
export interface RunConfigInput {
  kind?: RunKind
  baseModel?: string
  dataset?: string
  method?: string
  lora?: Partial<LoraConfig>
  launcher?: string
  numGpus?: number
  outputDir?: string
  seed?: number
  preset?: string
  backend?: string
  trainer?: string
  hyperparameters?: Partial<Hyperparameters>
  stopGraceSeconds?: number
  standinStepDelaySeconds?: number
}

const TOP_KEYS = new Set<string>([
  'kind', 'baseModel', 'dataset', 'method', 'lora', 'launcher', 'numGpus', 'outputDir', 'seed', 'preset', 'backend', 'trainer',
  'hyperparameters', 'stopGraceSeconds', 'standinStepDelaySeconds',
])
const LORA_KEYS = new Set<string>(['r', 'alpha', 'dropout', 'targetModules'])
const HP_KEYS = new Set<keyof Hyperparameters>([
  'learningRate', 'numTrainEpochs', 'maxSteps', 'perDeviceTrainBatchSize', 'gradientAccumulationSteps', 'lrScheduler', 'warmupRatio',
  'bf16', 'gradientCheckpointing', 'loggingSteps', 'saveSteps', 'maxSeqLength', 'maxLength', 'maxPromptLength', 'beta',
])

export interface ResolveOptions {
  /** Relative dataset and output paths resolve against this folder. */
  workspace: string
  /** Kind given outside the file (`phoenix train dpo`); the file may repeat it but not contradict it. */
  kind?: RunKind
  /** Check that the dataset folder exists and holds an export of the right kind (default true). */
  checkFiles?: boolean
  /** Named in error messages (the config file). */
  where?: string
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)
// Control characters would let a value forge lines in the Slurm script or in logs.
const CONTROL = /[\u0000-\u001f\u007f]/

/** Reads `phoenix-manifest.json` of an export folder; null when absent or unreadable. */
export function readManifestKind(dir: string): RunKind | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'phoenix-manifest.json'), 'utf8')) as { dataset?: { kind?: unknown } }
    const k = m.dataset?.kind
    return k === 'sft' || k === 'dpo' ? k : null
  } catch {
    return null
  }
}

/** The training files of an export folder: data/train-*.parquet, data/train.jsonl (or train-*.jsonl). */
export function trainFiles(dir: string): string[] {
  const data = join(dir, 'data')
  if (!existsSync(data)) return []
  return readdirSync(data)
    .filter((f) => /^train([-.].*)?\.(parquet|jsonl)$/.test(f))
    .sort()
    .map((f) => join(data, f))
}

/** Problems with a dataset folder for a run of `kind` (empty when it is usable). */
export function datasetProblems(dir: string, kind: RunKind): string[] {
  if (!existsSync(dir)) return [`dataset: folder ${dir} does not exist`]
  if (!statSync(dir).isDirectory()) return [`dataset: ${dir} is not a folder (give an export folder)`]
  const problems: string[] = []
  if (!existsSync(join(dir, 'phoenix-manifest.json'))) problems.push(`dataset: ${dir} has no phoenix-manifest.json (export it with phoenix export)`)
  else {
    const k = readManifestKind(dir)
    if (k === null) problems.push(`dataset: ${join(dir, 'phoenix-manifest.json')} does not say dataset.kind (sft or dpo)`)
    else if (k !== kind) problems.push(`dataset: ${dir} is a ${k} export, a ${kind} run needs a ${kind} export`)
  }
  if (!trainFiles(dir).length) problems.push(`dataset: ${dir} has no data/train-*.parquet or data/train.jsonl`)
  return problems
}

export function resolveRunConfig(raw: unknown, opts: ResolveOptions): RunConfig {
  const problems: string[] = []
  const fail = (p: string) => problems.push(p)
  if (!isObj(raw)) throw new TrainConfigError(['the configuration must be a JSON object'], opts.where)
  const input = raw as RunConfigInput & Record<string, unknown>
  for (const k of Object.keys(input)) if (!TOP_KEYS.has(k)) fail(`unknown field "${k}"`)

  let kind: RunKind | undefined = opts.kind
  if (input.kind !== undefined) {
    if (!(RUN_KINDS as readonly unknown[]).includes(input.kind)) fail(`kind must be sft or dpo, got ${JSON.stringify(input.kind)}`)
    else if (opts.kind && input.kind !== opts.kind) fail(`kind is "${input.kind}" in the file but the command says ${opts.kind}`)
    else kind = input.kind
  }
  if (!kind) {
    if (!problems.length) fail('kind is required (sft or dpo)')
    throw new TrainConfigError(problems, opts.where)
  }

  const presetId = input.preset ?? defaultPreset(kind).id
  const preset = typeof presetId === 'string' ? presetById(presetId) : undefined
  if (!preset) fail(`preset: unknown preset ${JSON.stringify(presetId)}`)
  else if (preset.kind !== kind) fail(`preset: ${preset.id} is a ${preset.kind} preset, not ${kind}`)
  const base = preset && preset.kind === kind ? preset : defaultPreset(kind)

  const str = (name: string, v: unknown, fallback?: string): string => {
    if (v === undefined && fallback !== undefined) return fallback
    if (typeof v !== 'string' || !v.trim()) {
      fail(`${name} must be a non-empty string${v === undefined ? ' (missing)' : `, got ${JSON.stringify(v)}`}`)
      return ''
    }
    if (CONTROL.test(v)) fail(`${name} must not contain control characters (newlines, tabs)`)
    return v
  }
  const oneOf = <T extends string>(name: string, list: readonly T[], v: unknown, fallback: T): T => {
    if (v === undefined) return fallback
    if (!(list as readonly unknown[]).includes(v)) {
      fail(`${name} must be one of ${list.join('|')}, got ${JSON.stringify(v)}`)
      return fallback
    }
    return v as T
  }
  const num = (name: string, v: unknown, fallback: number, check: { int?: boolean; min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }): number => {
    if (v === undefined) return fallback
    if (typeof v !== 'number' || !Number.isFinite(v) || (check.int && !Number.isSafeInteger(v))) {
      fail(`${name} must be ${check.int ? 'an integer' : 'a number'}, got ${JSON.stringify(v)}`)
      return fallback
    }
    const lo = check.min !== undefined && (check.minExclusive ? v <= check.min : v < check.min)
    const hi = check.max !== undefined && (check.maxExclusive ? v >= check.max : v > check.max)
    if (lo || hi) {
      const range = `${check.min !== undefined ? `${check.minExclusive ? '>' : '≥'} ${check.min}` : ''}${check.min !== undefined && check.max !== undefined ? ' and ' : ''}${check.max !== undefined ? `${check.maxExclusive ? '<' : '≤'} ${check.max}` : ''}`
      fail(`${name} must be ${range}, got ${v}`)
    }
    return v
  }
  const bool = (name: string, v: unknown, fallback: boolean): boolean => {
    if (v === undefined) return fallback
    if (typeof v !== 'boolean') {
      fail(`${name} must be true or false, got ${JSON.stringify(v)}`)
      return fallback
    }
    return v
  }

  const baseModel = str('baseModel', input.baseModel, DEFAULT_BASE_MODEL)
  const dataset = str('dataset', input.dataset)
  const outputDir = str('outputDir', input.outputDir)
  const method = oneOf('method', METHODS, input.method, 'full')
  const launcher = oneOf('launcher', LAUNCHERS, input.launcher, 'single')
  const backend = oneOf('backend', BACKENDS, input.backend, 'torch')
  const trainer = oneOf('trainer', TRAINERS, input.trainer, 'auto')
  const numGpus = num('numGpus', input.numGpus, launcher === 'single' ? 1 : 8, { int: true, min: 1, max: 1024 })
  const seed = num('seed', input.seed, 42, { int: true, min: 0, max: 2 ** 32 - 1 })
  const stopGraceSeconds = num('stopGraceSeconds', input.stopGraceSeconds, 120, { min: 0, minExclusive: true, max: 86400 })
  const standinStepDelaySeconds = input.standinStepDelaySeconds === undefined ? undefined : num('standinStepDelaySeconds', input.standinStepDelaySeconds, 0, { min: 0, max: 60 })

  let lora: LoraConfig = { ...DEFAULT_LORA, targetModules: [...DEFAULT_LORA.targetModules] }
  if (input.lora !== undefined) {
    if (!isObj(input.lora)) fail('lora must be an object {r, alpha, dropout, targetModules}')
    else {
      const l = input.lora as Record<string, unknown>
      for (const k of Object.keys(l)) if (!LORA_KEYS.has(k)) fail(`lora: unknown field "${k}"`)
      lora = {
        r: num('lora.r', l.r, lora.r, { int: true, min: 1, max: 4096 }),
        alpha: num('lora.alpha', l.alpha, lora.alpha, { min: 0, minExclusive: true }),
        dropout: num('lora.dropout', l.dropout, lora.dropout, { min: 0, max: 1, maxExclusive: true }),
        targetModules: lora.targetModules,
      }
      if (l.targetModules !== undefined) {
        if (!Array.isArray(l.targetModules) || !l.targetModules.length || !l.targetModules.every((m) => typeof m === 'string' && /^[\w.*-]+$/.test(m))) {
          fail('lora.targetModules must be a non-empty list of module names (letters, digits, _ . * -), e.g. ["q_proj", "v_proj"]')
        } else lora.targetModules = l.targetModules as string[]
      }
    }
  }

  const hp: Hyperparameters = { ...base.hyperparameters }
  if (input.hyperparameters !== undefined) {
    if (!isObj(input.hyperparameters)) fail('hyperparameters must be an object')
    else {
      const h = input.hyperparameters as Record<string, unknown>
      for (const k of Object.keys(h)) if (!HP_KEYS.has(k as keyof Hyperparameters)) fail(`hyperparameters: unknown field "${k}"`)
      const n = (k: keyof Hyperparameters, check: Parameters<typeof num>[3]) => num(`hyperparameters.${k}`, h[k], hp[k] as number, check)
      hp.learningRate = n('learningRate', { min: 0, minExclusive: true, max: 10 })
      hp.numTrainEpochs = n('numTrainEpochs', { min: 0, minExclusive: true, max: 1000 })
      hp.maxSteps = n('maxSteps', { int: true, min: 0 })
      hp.perDeviceTrainBatchSize = n('perDeviceTrainBatchSize', { int: true, min: 1, max: 65536 })
      hp.gradientAccumulationSteps = n('gradientAccumulationSteps', { int: true, min: 1, max: 65536 })
      hp.lrScheduler = oneOf('hyperparameters.lrScheduler', SCHEDULERS, h.lrScheduler, hp.lrScheduler)
      hp.warmupRatio = n('warmupRatio', { min: 0, max: 1, maxExclusive: true })
      hp.bf16 = bool('hyperparameters.bf16', h.bf16, hp.bf16)
      hp.gradientCheckpointing = bool('hyperparameters.gradientCheckpointing', h.gradientCheckpointing, hp.gradientCheckpointing)
      hp.loggingSteps = n('loggingSteps', { int: true, min: 1 })
      hp.saveSteps = n('saveSteps', { int: true, min: 1 })
      hp.maxSeqLength = n('maxSeqLength', { int: true, min: 8, max: 1 << 20 })
      hp.maxLength = n('maxLength', { int: true, min: 8, max: 1 << 20 })
      hp.maxPromptLength = n('maxPromptLength', { int: true, min: 1, max: 1 << 20 })
      hp.beta = n('beta', { min: 0 })
    }
  }
  if (kind === 'dpo') {
    if (hp.beta === 0) fail('hyperparameters.beta must be > 0 for DPO, got 0')
    if (hp.maxPromptLength >= hp.maxLength) fail(`hyperparameters.maxPromptLength (${hp.maxPromptLength}) must be below maxLength (${hp.maxLength}): the completion needs room`)
  }

  if (launcher === 'single' && numGpus !== 1) fail(`numGpus is ${numGpus} but launcher "single" runs one process; use accelerate or deepspeed-zero3 for several GPUs`)
  if (method === 'qlora' && launcher === 'deepspeed-zero3') fail('method qlora quantizes the base weights with bitsandbytes, which does not shard under ZeRO-3; use launcher accelerate (one model copy per GPU) or single')
  if (backend === 'numpy-standin') {
    if (method !== 'full') fail('backend numpy-standin (a test stand-in for PyTorch) trains its toy model fully; method must be full')
    if (launcher !== 'single') fail('backend numpy-standin (a test stand-in for PyTorch) runs in one process; launcher must be single')
  } else if (standinStepDelaySeconds !== undefined) fail('standinStepDelaySeconds only applies to backend numpy-standin')

  const absDataset = dataset ? (isAbsolute(dataset) ? dataset : resolve(opts.workspace, dataset)) : ''
  const absOutput = outputDir ? (isAbsolute(outputDir) ? outputDir : resolve(opts.workspace, outputDir)) : ''
  if (absDataset && opts.checkFiles !== false) problems.push(...datasetProblems(absDataset, kind))
  if (absDataset && absOutput && resolve(absDataset) === resolve(absOutput)) fail('outputDir must not be the dataset folder')

  if (problems.length) throw new TrainConfigError(problems, opts.where)
  const config: RunConfig = {
    kind,
    baseModel,
    dataset: absDataset,
    method,
    lora,
    launcher,
    numGpus,
    outputDir: absOutput,
    seed,
    preset: base.id,
    backend,
    trainer,
    hyperparameters: hp,
    stopGraceSeconds,
  }
  if (standinStepDelaySeconds !== undefined) config.standinStepDelaySeconds = standinStepDelaySeconds
  return config
}

/** Reads and resolves a JSON config file; errors name the file. */
export function loadRunConfigFile(file: string, opts: Omit<ResolveOptions, 'where'>): RunConfig {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new TrainConfigError([(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not valid JSON: ${(e as Error).message}`], file)
  }
  return resolveRunConfig(raw, { ...opts, where: file })
}

/** Optimizer steps of a run over `rows` training examples (for ETA before the runtime reports its own). */
export function plannedSteps(c: RunConfig, rows: number): number {
  const h = c.hyperparameters
  if (h.maxSteps > 0) return h.maxSteps
  const perStep = h.perDeviceTrainBatchSize * h.gradientAccumulationSteps * c.numGpus
  return Math.max(1, Math.ceil(Math.ceil(rows / perStep) * h.numTrainEpochs))
}
