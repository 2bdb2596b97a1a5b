/**
 * The training panel (`phoenix.tasks`, a webview view in the Phoenix activity-bar container): runs by
 * status, the start form, live charts of the selected run. It only displays and forwards; starting,
 * stopping and resuming are the TrainingController's (train.ts), so runs live on when the panel closes.
 */
import * as vscode from 'vscode'
import { estimateEta, formatDuration } from '../core/train/eta'
import { MetricsTail } from '../core/train/metrics'
import { processLogPath, tailLines } from '../core/train/launcher'
import { PRESETS } from '../core/train/presets'
import { runPaths } from '../core/train/command'
import type { MetricPoint, RunEvent, RunRecord } from '../core/train/types'
import { parseTasksToHost, type HostToTasks, type RunView, type StartForm, type TasksToHost } from '../protocol/tasks'
import { webviewHtml } from './webview-html'
import { existsSync } from 'node:fs'

export const TASKS_VIEW_ID = 'phoenix.tasks'

export interface TasksBackend {
  runs(): RunRecord[]
  exports(): Promise<import('../protocol/tasks').ExportOption[]>
  defaultForm(kind: 'sft' | 'dpo'): Promise<StartForm>
  python(): string
  handle(msg: Exclude<TasksToHost, { type: 'ready' } | { type: 'select' }>, view: TasksView): Promise<void>
}

export function runView(r: RunRecord, points?: readonly MetricPoint[]): RunView {
  const v: RunView = {
    id: r.id,
    kind: r.kind,
    status: r.status,
    baseModel: r.config.baseModel,
    dataset: r.config.dataset,
    outputDir: r.config.outputDir,
    preset: r.config.preset,
    method: r.config.method,
    launcher: r.config.launcher,
    numGpus: r.config.numGpus,
    lastStep: r.lastStep,
    totalSteps: r.totalSteps,
    checkpoints: r.checkpoints.length,
    exitCode: r.exitCode,
    message: r.message,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
  }
  if (r.status === 'finished' && points?.length) {
    const last = points[points.length - 1]
    v.summary = {
      finalLoss: last.loss,
      accuracy: last['rewards/accuracies'],
      margin: last['rewards/margins'],
      steps: last.step,
      durationSeconds: r.startedAt && r.endedAt ? (Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000 : undefined,
    }
  }
  return v
}

export class TasksView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView
  private ready = false
  private pendingPrefill?: StartForm
  private selected?: { id: string; tail: MetricsTail; points: MetricPoint[]; events: RunEvent[] }
  private lastRuns = ''
  private timer?: NodeJS.Timeout

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backend: TasksBackend,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view
    this.ready = false
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] }
    view.webview.onDidReceiveMessage((raw) => {
      const msg = parseTasksToHost(raw)
      if (!msg) return
      void this.receive(msg).catch((e) => this.post({ type: 'error', message: (e as Error).message }))
    })
    view.onDidDispose(() => {
      this.view = undefined
      this.ready = false
      this.stopTimer()
    })
    view.onDidChangeVisibility(() => (view.visible ? this.startTimer() : this.stopTimer()))
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'tasks', 'Phoenix training', ['tasks.css'])
    this.startTimer()
  }

  post(m: HostToTasks): void {
    if (this.view && this.ready) void this.view.webview.postMessage(m)
  }

  /** Shows the form prefilled (commands Train DPO / Train SFT); waits for the webview if it is loading. */
  async prefill(form: StartForm): Promise<void> {
    if (this.ready) this.post({ type: 'prefill', form, exports: await this.backend.exports() })
    else this.pendingPrefill = form
  }

  private async receive(msg: TasksToHost): Promise<void> {
    if (msg.type === 'ready') {
      this.ready = true
      const form = this.pendingPrefill ?? (await this.backend.defaultForm('dpo'))
      this.pendingPrefill = undefined
      const runs = this.backend.runs()
      this.lastRuns = ''
      this.post({ type: 'init', runs: runs.map((r) => runView(r)), exports: await this.backend.exports(), presets: PRESETS.map(({ id, kind, label, description }) => ({ id, kind, label, description })), form, python: this.backend.python() })
      return
    }
    if (msg.type === 'select') {
      this.select(msg.id)
      return
    }
    await this.backend.handle(msg, this)
    this.refresh()
  }

  private select(id: string): void {
    const run = this.backend.runs().find((r) => r.id === id)
    if (!run) return
    this.selected = { id, tail: new MetricsTail(run.metricsPath), points: [], events: [] }
    this.pushMetrics(true)
    this.lastRuns = ''
    this.refresh()
  }

  private pushMetrics(reset: boolean): void {
    const s = this.selected
    if (!s) return
    const run = this.backend.runs().find((r) => r.id === s.id)
    if (!run) return
    const parsed = s.tail.poll()
    if (!reset && !parsed.points.length && !parsed.events.length && run.status !== 'running') return
    s.points.push(...parsed.points)
    s.events.push(...parsed.events)
    const eta = estimateEta(s.points, s.events, Date.now() / 1000)
    const logFile = existsSync(runPaths(run.config.outputDir).log) ? runPaths(run.config.outputDir).log : processLogPath(run.config.outputDir)
    this.post({
      type: 'metrics',
      id: s.id,
      points: reset ? s.points : parsed.points,
      reset,
      eta: { ...eta, text: eta.secondsLeft !== null ? `${formatDuration(eta.secondsLeft)} left` : 'estimating…' },
      log: tailLines(logFile, 20),
    })
  }

  /** Sends the run list when it changed, and new metrics of the selected run. */
  refresh(): void {
    if (!this.ready) return
    const runs = this.backend.runs()
    const sel = this.selected
    const views = runs.map((r) => runView(r, r.id === sel?.id ? sel.points : undefined))
    const key = JSON.stringify(views)
    if (key !== this.lastRuns) {
      this.lastRuns = key
      this.post({ type: 'runs', runs: views })
    }
    this.pushMetrics(false)
  }

  private startTimer(): void {
    this.timer ??= setInterval(() => this.refresh(), 1000)
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  dispose(): void {
    this.stopTimer()
  }
}
