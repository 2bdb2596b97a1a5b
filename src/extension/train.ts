/**
 * Training in the extension: "Phoenix: Train DPO / SFT", the training panel, and runs started as VS Code
 * tasks (a ProcessExecution with an argument list), so a run survives a closed panel and a window reload.
 * The registry (.phoenix/runs.json) is the record; on activation and every few seconds a run the registry
 * calls running whose process is gone is settled from the files it wrote.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as vscode from 'vscode'
import { resolveRunConfig } from '../core/train/config'
import { defaultForm, findExports, type ExportFolder } from '../core/train/exports'
import { finalizeRun, isAlive, prepareResume, prepareRun, reconcileRuns, stopRun, type PreparedRun } from '../core/train/launcher'
import { RunRegistry } from '../core/train/registry'
import { slurmScript } from '../core/train/slurm'
import { TrainConfigError, type RunKind, type RunRecord } from '../core/train/types'
import type { StartForm, TasksToHost } from '../protocol/tasks'
import { TASKS_VIEW_ID, TasksView, type TasksBackend } from './tasks-view'

const TASK_TYPE = 'phoenix-train'

class TrainingController implements TasksBackend, vscode.Disposable {
  private registry?: RunRegistry
  private cached: RunRecord[] = []
  private exportsCache?: { at: number; list: ExportFolder[] }
  private readonly disposables: vscode.Disposable[] = []
  private timer?: NodeJS.Timeout
  view!: TasksView

  constructor(private readonly context: vscode.ExtensionContext) {}

  get workspace(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath
  }

  private async reg(): Promise<RunRegistry> {
    const ws = this.workspace
    if (!ws) throw new Error('Open a folder to train: runs are recorded in <folder>/.phoenix/runs.json')
    this.registry ??= await RunRegistry.open(ws)
    return this.registry
  }

  async init(): Promise<void> {
    if (!this.workspace) return
    const reg = await this.reg()
    await reconcileRuns(reg)
    this.cached = reg.list()
    this.disposables.push(
      vscode.tasks.onDidStartTaskProcess((e) => {
        const id = runIdOf(e.execution.task)
        if (id) void reg.update(id, { status: 'running', pid: e.processId, startedAt: new Date().toISOString() }).then(() => this.sync())
      }),
      vscode.tasks.onDidEndTaskProcess((e) => {
        const id = runIdOf(e.execution.task)
        if (id) void finalizeRun(reg, id, { code: e.exitCode ?? null }).then(() => this.sync())
      }),
    )
    // Keeps the list current (runs started by the CLI or another window) and settles runs that died.
    this.timer = setInterval(() => void this.tick().catch(() => {}), 3000)
  }

  private async tick(): Promise<void> {
    const reg = await this.reg()
    for (const r of await reg.refresh()) {
      if (r.status === 'running' && r.pid && !isAlive(r.pid)) await finalizeRun(reg, r.id)
    }
    await this.sync()
  }

  private async sync(): Promise<void> {
    if (!this.registry) return
    this.cached = this.registry.list()
    this.view.refresh()
  }

  runs(): RunRecord[] {
    return this.cached
  }

  python(): string {
    const configured = vscode.workspace.getConfiguration('phoenix').get<string>('python.interpreter')?.trim()
    return configured || (process.platform === 'win32' ? 'python' : 'python3')
  }

  private script(): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'native-runtime', 'training', 'phoenix_train.py').fsPath
  }

  private scanExports(): ExportFolder[] {
    const ws = this.workspace
    if (!ws) return []
    if (!this.exportsCache || Date.now() - this.exportsCache.at > 5000) this.exportsCache = { at: Date.now(), list: findExports(ws) }
    return this.exportsCache.list
  }

  async exports() {
    return this.scanExports().map((e) => ({ ...e }))
  }

  async defaultForm(kind: RunKind): Promise<StartForm> {
    this.exportsCache = undefined
    return defaultForm(kind, this.scanExports())
  }

  async handle(msg: Exclude<TasksToHost, { type: 'ready' } | { type: 'select' }>, view: TasksView): Promise<void> {
    const reg = await this.reg()
    switch (msg.type) {
      case 'start': {
        let prepared: PreparedRun
        try {
          const config = resolveRunConfig(msg.form, { workspace: this.workspace!, kind: msg.form.kind })
          prepared = await prepareRun(reg, config, { python: this.python(), script: this.script() })
        } catch (e) {
          if (e instanceof TrainConfigError) {
            view.post({ type: 'formErrors', problems: e.problems })
            return
          }
          throw e
        }
        await this.execute(prepared)
        return
      }
      case 'resume':
        await this.execute(await prepareResume(reg, msg.id, { python: this.python(), script: this.script() }))
        return
      case 'stop': {
        const run = reg.get(msg.id)
        if (!run) return
        await vscode.window.withProgress({ location: { viewId: TASKS_VIEW_ID }, title: 'Stopping (saving a checkpoint)…' }, () => stopRun(reg, msg.id))
        return
      }
      case 'exportSlurm': {
        const run = reg.get(msg.id)
        if (!run) return
        const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(run.config.outputDir, `${run.id}.sbatch`)), filters: { 'Slurm script': ['sbatch', 'sh'] } })
        if (!target) return
        writeFileSync(target.fsPath, slurmScript(run.config, { python: this.python(), script: this.script(), jobName: `phoenix-${run.kind}` }), { mode: 0o755 })
        await vscode.window.showTextDocument(target)
        return
      }
      case 'openOutput': {
        const run = reg.get(msg.id)
        if (run && existsSync(run.config.outputDir)) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(run.config.outputDir))
        return
      }
      case 'browseDataset': {
        const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: `Use as ${msg.kind.toUpperCase()} dataset`, defaultUri: this.workspace ? vscode.Uri.file(this.workspace) : undefined })
        const dir = picked?.[0]?.fsPath
        if (!dir) return
        if (!existsSync(join(dir, 'phoenix-manifest.json'))) {
          view.post({ type: 'formErrors', problems: [`${dir} has no phoenix-manifest.json: pick a folder written by Phoenix: Export (phoenix export)`] })
          return
        }
        view.post({ type: 'datasetPicked', path: dir })
        return
      }
    }
  }

  /** Runs a prepared command as a VS Code task: no shell, the argument list as is. */
  private async execute(p: PreparedRun): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]
    const task = new vscode.Task(
      { type: TASK_TYPE, runId: p.run.id },
      folder ?? vscode.TaskScope.Workspace,
      `${p.run.kind.toUpperCase()} ${p.run.id}`,
      'phoenix',
      new vscode.ProcessExecution(p.command.command, p.command.args, { cwd: p.cwd, env: p.env }),
      [],
    )
    task.isBackground = true
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, panel: vscode.TaskPanelKind.Dedicated, clear: false }
    try {
      await vscode.tasks.executeTask(task)
    } catch (e) {
      await (await this.reg()).update(p.run.id, { status: 'failed', message: `could not start the task: ${(e as Error).message}`, endedAt: new Date().toISOString() })
    }
    await this.sync()
  }

  async trainCommand(kind: RunKind): Promise<void> {
    await vscode.commands.executeCommand(`${TASKS_VIEW_ID}.focus`)
    await this.view.prefill(await this.defaultForm(kind))
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer)
    for (const d of this.disposables) d.dispose()
  }
}

function runIdOf(task: vscode.Task): string | undefined {
  const d = task.definition as { type?: string; runId?: unknown }
  return d.type === TASK_TYPE && typeof d.runId === 'string' ? d.runId : undefined
}

export function registerTraining(context: vscode.ExtensionContext): void {
  const controller = new TrainingController(context)
  const view = new TasksView(context.extensionUri, controller)
  controller.view = view
  context.subscriptions.push(
    controller,
    view,
    vscode.window.registerWebviewViewProvider(TASKS_VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: true } }),
    vscode.commands.registerCommand('phoenix.trainDpo', () => controller.trainCommand('dpo')),
    vscode.commands.registerCommand('phoenix.trainSft', () => controller.trainCommand('sft')),
  )
  void controller.init().catch((e) => vscode.window.showWarningMessage(`Phoenix training: ${(e as Error).message}`))
}
