/** A training run's configuration, its registry record and the metrics the Python runtime writes. */

export const RUN_KINDS = ['sft', 'dpo'] as const
export type RunKind = (typeof RUN_KINDS)[number]

export const METHODS = ['full', 'lora', 'qlora'] as const
export type Method = (typeof METHODS)[number]

export const LAUNCHERS = ['single', 'accelerate', 'deepspeed-zero3'] as const
export type Launcher = (typeof LAUNCHERS)[number]

/** `torch` is the product path; `numpy-standin` is a toy stand-in for PyTorch used only by tests. */
export const BACKENDS = ['torch', 'numpy-standin'] as const
export type Backend = (typeof BACKENDS)[number]

/** `auto`: TRL's trainers when `trl` imports, else Phoenix's compact trainer on transformers' Trainer. */
export const TRAINERS = ['auto', 'trl', 'compact'] as const
export type TrainerChoice = (typeof TRAINERS)[number]

export const SCHEDULERS = ['cosine', 'linear', 'constant', 'constant_with_warmup'] as const
export type Scheduler = (typeof SCHEDULERS)[number]

export interface LoraConfig {
  r: number
  alpha: number
  dropout: number
  targetModules: string[]
}

export interface Hyperparameters {
  learningRate: number
  numTrainEpochs: number
  /** > 0 caps the run at this many optimizer steps (wins over epochs, like transformers' max_steps). */
  maxSteps: number
  perDeviceTrainBatchSize: number
  gradientAccumulationSteps: number
  lrScheduler: Scheduler
  warmupRatio: number
  bf16: boolean
  gradientCheckpointing: boolean
  loggingSteps: number
  saveSteps: number
  /** SFT: longest tokenized conversation. */
  maxSeqLength: number
  /** DPO: longest prompt + completion, and longest prompt. */
  maxLength: number
  maxPromptLength: number
  /** DPO temperature of the implicit reward. */
  beta: number
}

export interface RunConfig {
  kind: RunKind
  /** Hugging Face model id or a local folder. */
  baseModel: string
  /** An export folder (phoenix-manifest.json, data/train-*.parquet or data/train.jsonl). */
  dataset: string
  method: Method
  lora: LoraConfig
  launcher: Launcher
  numGpus: number
  outputDir: string
  seed: number
  preset: string
  backend: Backend
  trainer: TrainerChoice
  hyperparameters: Hyperparameters
  /** Seconds between SIGTERM and SIGKILL on stop (a checkpoint of a 7B model with ZeRO-3 takes a while). */
  stopGraceSeconds: number
  /** Only for the NumPy stand-in: sleep per step so tests can stop a run mid-way. */
  standinStepDelaySeconds?: number
}

export const RUN_STATUSES = ['queued', 'running', 'finished', 'failed', 'stopped'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export interface RunRecord {
  id: string
  kind: RunKind
  config: RunConfig
  status: RunStatus
  pid: number | null
  /** Absolute paths of the files the run writes. */
  metricsPath: string
  statusPath: string
  configPath: string
  /** Checkpoint folder names (checkpoint-<step>) in the output folder, oldest first. */
  checkpoints: string[]
  exitCode: number | null
  /** The argument list the run was (last) started with. */
  argv: string[]
  message?: string
  /** Set when a stop was asked for: a run that then dies by a signal counts as stopped, not failed. */
  stopRequestedAt?: string
  lastStep?: number
  totalSteps?: number
  createdAt: string
  startedAt?: string
  endedAt?: string
  updatedAt: string
}

/** One logged step: the fields TRL logs (DPO rewards under their TRL names), plus the time it was written. */
export interface MetricPoint {
  step: number
  epoch?: number
  time?: number
  loss?: number
  learning_rate?: number
  grad_norm?: number
  'rewards/chosen'?: number
  'rewards/rejected'?: number
  'rewards/accuracies'?: number
  'rewards/margins'?: number
  'logps/chosen'?: number
  'logps/rejected'?: number
}

export const METRIC_FIELDS = [
  'epoch',
  'loss',
  'learning_rate',
  'grad_norm',
  'rewards/chosen',
  'rewards/rejected',
  'rewards/accuracies',
  'rewards/margins',
  'logps/chosen',
  'logps/rejected',
] as const satisfies readonly (keyof MetricPoint)[]

/** Lines of metrics.jsonl that are not metrics: the runtime's own events. */
export type RunEvent =
  | { event: 'start'; time?: number; step: number; total_steps?: number; backend?: string; trainer?: string; resumed_from?: string | null; pid?: number }
  | { event: 'checkpoint'; time?: number; step: number; path: string }
  | { event: 'end'; time?: number; step?: number; status: 'finished' | 'stopped' | 'failed'; message?: string }
  | { event: 'log'; time?: number; message: string }

/** `<output>/phoenix-status.json`, rewritten atomically by the runtime: what a reload reconciles against. */
export interface RuntimeStatus {
  status: 'running' | 'finished' | 'stopped' | 'failed'
  step?: number
  total_steps?: number
  checkpoint?: string | null
  pid?: number
  exit_code?: number | null
  message?: string
  time?: number
}

/** A user-fixable problem with a run configuration; `problems` name the field and what was wrong. */
export class TrainConfigError extends Error {
  constructor(
    readonly problems: string[],
    where?: string,
  ) {
    super(`${where ? `${where}: ` : ''}${problems.join('; ')}`)
    this.name = 'TrainConfigError'
  }
}
