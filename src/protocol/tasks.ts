/**
 * Messages between the extension host and the training panel (`phoenix.tasks` webview view). Both
 * sides validate what arrives; the webview's messages are untrusted (a form's strings end up in a run
 * config, so they are length-limited and checked again by the core's config validation).
 */
import type { MetricPoint, RunKind, RunStatus } from '../core/train/types'

export type { MetricPoint, RunKind, RunStatus }

export const FORM_METHODS = ['full', 'lora', 'qlora'] as const
export const FORM_LAUNCHERS = ['single', 'accelerate', 'deepspeed-zero3'] as const

/** The start form; the host turns it into a run config (and reports problems per field). */
export interface StartForm {
  kind: RunKind
  baseModel: string
  /** Export folder: absolute, or relative to the workspace. */
  dataset: string
  preset: string
  method: (typeof FORM_METHODS)[number]
  launcher: (typeof FORM_LAUNCHERS)[number]
  numGpus: number
  outputDir: string
}

export interface ExportOption {
  path: string
  /** Workspace-relative path for display. */
  label: string
  kind: RunKind
  /** Manifest modification time (ms), newest first in the list. */
  mtime: number
}

export interface PresetView {
  id: string
  kind: RunKind
  label: string
  description: string
}

export interface RunSummaryView {
  finalLoss?: number
  accuracy?: number
  margin?: number
  steps?: number
  durationSeconds?: number
}

export interface RunView {
  id: string
  kind: RunKind
  status: RunStatus
  baseModel: string
  dataset: string
  outputDir: string
  preset: string
  method: string
  launcher: string
  numGpus: number
  lastStep?: number
  totalSteps?: number
  checkpoints: number
  exitCode: number | null
  message?: string
  createdAt: string
  startedAt?: string
  endedAt?: string
  summary?: RunSummaryView
}

export interface EtaView {
  step: number
  totalSteps: number | null
  fraction: number | null
  secondsLeft: number | null
  secondsPerStep: number | null
  /** Human text, e.g. "12m 30s left". */
  text: string
}

export type TasksToHost =
  | { type: 'ready' }
  | { type: 'start'; form: StartForm }
  | { type: 'stop'; id: string }
  | { type: 'resume'; id: string }
  | { type: 'exportSlurm'; id: string }
  | { type: 'select'; id: string }
  | { type: 'browseDataset'; kind: RunKind }
  | { type: 'openOutput'; id: string }

export type HostToTasks =
  | { type: 'init'; runs: RunView[]; exports: ExportOption[]; presets: PresetView[]; form: StartForm; python: string }
  /** "Phoenix: Train DPO/SFT": the form, prefilled with the latest export of that kind. */
  | { type: 'prefill'; form: StartForm; exports?: ExportOption[] }
  | { type: 'runs'; runs: RunView[] }
  /** Metric points of a run; `reset` replaces what the panel holds (a newly selected run). */
  | { type: 'metrics'; id: string; points: MetricPoint[]; reset: boolean; eta: EtaView; log: string[] }
  | { type: 'formErrors'; problems: string[] }
  | { type: 'datasetPicked'; path: string }
  | { type: 'error'; message: string }

const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max
const isId = (v: unknown): v is string => isStr(v, 200) && /^[\w.-]+$/.test(v)
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v)
const isKind = (v: unknown): v is RunKind => v === 'sft' || v === 'dpo'

export function parseStartForm(f: unknown): StartForm | undefined {
  if (!f || typeof f !== 'object') return undefined
  const m = f as Record<string, unknown>
  if (!isKind(m.kind) || !isStr(m.baseModel, 1000) || !isStr(m.dataset) || !isStr(m.preset, 200) || !isStr(m.outputDir)) return undefined
  if (!oneOf(FORM_METHODS, m.method) || !oneOf(FORM_LAUNCHERS, m.launcher)) return undefined
  if (typeof m.numGpus !== 'number' || !Number.isInteger(m.numGpus) || m.numGpus < 1 || m.numGpus > 1024) return undefined
  return { kind: m.kind, baseModel: m.baseModel, dataset: m.dataset, preset: m.preset, method: m.method, launcher: m.launcher, numGpus: m.numGpus, outputDir: m.outputDir }
}

/** Validates a message from the webview; anything malformed is dropped. */
export function parseTasksToHost(msg: unknown): TasksToHost | undefined {
  if (!msg || typeof msg !== 'object') return undefined
  const m = msg as Record<string, unknown>
  switch (m.type) {
    case 'ready':
      return { type: 'ready' }
    case 'start': {
      const form = parseStartForm(m.form)
      return form ? { type: 'start', form } : undefined
    }
    case 'stop':
    case 'resume':
    case 'exportSlurm':
    case 'select':
    case 'openOutput':
      return isId(m.id) ? { type: m.type, id: m.id } : undefined
    case 'browseDataset':
      return isKind(m.kind) ? { type: 'browseDataset', kind: m.kind } : undefined
    default:
      return undefined
  }
}

/** Validates a message from the host. The host is trusted, so this checks shape only. */
export function parseHostToTasks(msg: unknown): HostToTasks | undefined {
  if (!msg || typeof msg !== 'object') return undefined
  const m = msg as Record<string, unknown>
  switch (m.type) {
    case 'init':
      return Array.isArray(m.runs) && Array.isArray(m.exports) && Array.isArray(m.presets) && parseStartForm(m.form) && typeof m.python === 'string' ? (m as HostToTasks) : undefined
    case 'prefill':
      return parseStartForm(m.form) ? (m as HostToTasks) : undefined
    case 'runs':
      return Array.isArray(m.runs) ? (m as HostToTasks) : undefined
    case 'metrics':
      return isStr(m.id, 200) && Array.isArray(m.points) && typeof m.reset === 'boolean' && !!m.eta && typeof m.eta === 'object' && Array.isArray(m.log) ? (m as HostToTasks) : undefined
    case 'formErrors':
      return Array.isArray(m.problems) && m.problems.every((p) => typeof p === 'string') ? (m as HostToTasks) : undefined
    case 'datasetPicked':
      return typeof m.path === 'string' ? (m as HostToTasks) : undefined
    case 'error':
      return typeof m.message === 'string' ? (m as HostToTasks) : undefined
    default:
      return undefined
  }
}
