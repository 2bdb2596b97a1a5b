import { existsSync } from 'node:fs'
import { basename, extname } from 'node:path'
import * as vscode from 'vscode'
import { isShardPath } from '../core/records/open'
import { formatCost } from '../core/translate/cost'
import { openEngine, type Engine, type EngineSpec } from '../core/translate/engine'
import { defaultOutputPath, TranslateCancelledError, translateShard } from '../core/translate/job'
import { formatCount, formatDuration, type TranslateProgress } from '../core/translate/progress'
import { languagePair } from './settings'

/** Secret storage key of the API key for `phoenix.translate.url` (kept out of settings.json). */
const API_KEY_SECRET = 'phoenix.translate.apiKey'

/** Registers "Phoenix: Translate Shard" and "Phoenix: Set Translation API Key". */
export function registerTranslate(context: vscode.ExtensionContext): void {
  let running = false
  context.subscriptions.push(
    vscode.commands.registerCommand('phoenix.translateShard', async (uri?: vscode.Uri) => {
      if (running) {
        void vscode.window.showWarningMessage('Phoenix: a translation is already running in this window.')
        return
      }
      running = true
      try {
        await translateCommand(context, uri)
      } finally {
        running = false
      }
    }),
    vscode.commands.registerCommand('phoenix.translate.setApiKey', async () => {
      const key = await vscode.window.showInputBox({
        prompt: 'API key for the translation server (phoenix.translate.url); stored in the OS keychain. Empty clears it.',
        password: true,
        ignoreFocusOut: true,
      })
      if (key === undefined) return
      if (key === '') await context.secrets.delete(API_KEY_SECRET)
      else await context.secrets.store(API_KEY_SECRET, key)
    }),
  )
}

async function pickSource(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const given = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri
  if (given?.scheme === 'file' && isShardPath(given.fsPath)) return given
  const files = await vscode.workspace.findFiles('**/*.{jsonl,ndjson,parquet}', '**/{node_modules,.git,.phoenix}/**', 5000)
  const pick = await vscode.window.showQuickPick(
    files.map((f) => ({ label: vscode.workspace.asRelativePath(f, false), uri: f })).sort((a, b) => a.label.localeCompare(b.label)),
    { placeHolder: 'Translate which source shard?' },
  )
  return pick?.uri
}

async function engineSpec(context: vscode.ExtensionContext, cfg: vscode.WorkspaceConfiguration): Promise<EngineSpec | undefined> {
  const url = cfg.get<string>('translate.url')?.trim()
  const modelDir = cfg.get<string>('translate.modelDir')?.trim()
  const servedModel = cfg.get<string>('translate.servedModel')?.trim() || undefined
  if (url) {
    const apiKey = (await context.secrets.get(API_KEY_SECRET)) || cfg.get<string>('translate.apiKey') || undefined
    return { url, apiKey, servedModel }
  }
  if (modelDir) return { modelDir, servedModel }
  const choice = await vscode.window.showErrorMessage(
    'Phoenix: no translation engine. Set phoenix.translate.url (a vLLM or other OpenAI-compatible server) or phoenix.translate.modelDir (embedded server).',
    'Open Settings',
  )
  if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'phoenix.translate')
  return undefined
}

function progressMessage(p: TranslateProgress): string {
  const parts = [
    `${p.rowsDone}/${p.rowsTotal} rows`,
    `${p.translated + p.cached} segments${p.cached ? ` (${p.cached} cached)` : ''}`,
  ]
  if (p.tokensPerSecond !== undefined) parts.push(`${p.tokensPerSecond.toFixed(0)} tok/s`)
  if (p.etaMs !== undefined) parts.push(`ETA ${formatDuration(p.etaMs)}`)
  return parts.join(' · ')
}

async function translateCommand(context: vscode.ExtensionContext, uri?: vscode.Uri): Promise<void> {
  const source = await pickSource(uri)
  if (!source) return
  const cfg = vscode.workspace.getConfiguration('phoenix')
  const { from, to } = languagePair()
  const suggested = defaultOutputPath(source.fsPath, from, to)
  const ext = extname(source.fsPath).slice(1).toLowerCase()
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(suggested),
    filters: { [ext === 'parquet' ? 'Parquet shard' : 'JSON lines shard']: [ext] },
    saveLabel: 'Translate',
    title: `Translation of ${basename(source.fsPath)}`,
  })
  if (!target) return
  const spec = await engineSpec(context, cfg)
  if (!spec) return

  const resumable = existsSync(`${target.fsPath}.phoenix-cache.jsonl`)
  const abort = new AbortController()
  let engine: Engine | undefined
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Phoenix: translating ${basename(source.fsPath)}${resumable ? ' (resuming)' : ''}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort(new Error('cancelled')))
        progress.report({ message: 'starting the engine…' })
        const concurrency = cfg.get<number>('translate.concurrency') ?? 4
        engine = await openEngine(spec, {
          concurrency,
          signal: abort.signal,
          // A crash of the server process is reported, never thrown into the extension host.
          onServerCrash: (message, restarting) => void vscode.window.showWarningMessage(`Phoenix: ${message}. ${restarting ? 'Restarting it; the job retries.' : 'Giving up after repeated crashes.'}`),
        })
        let shown = 0
        let lastReport = 0
        return translateShard({
          source: source.fsPath,
          out: target.fsPath,
          client: engine.client,
          engineId: engine.engineId,
          model: engine.model,
          pair: { source: from, target: to },
          generation: { beams: cfg.get<number>('translate.beams') ?? 5, maxNewTokens: cfg.get<number>('translate.maxNewTokens') ?? 256 },
          batchSize: cfg.get<number>('translate.batchSize') ?? 32,
          concurrency,
          pricing: {
            gpuPricePerHour: cfg.get<number>('translate.gpuPricePerHour'),
            apiPricePerMillionChars: cfg.get<number>('translate.apiPricePerMillionChars'),
          },
          signal: abort.signal,
          onProgress: (p) => {
            const now = Date.now()
            if (now - lastReport < 250 && p.rowsDone < p.rowsTotal) return
            lastReport = now
            const pct = p.rowsTotal ? (100 * p.rowsDone) / p.rowsTotal : 0
            progress.report({ message: progressMessage(p), increment: pct - shown })
            shown = pct
          },
        })
      },
    )
    const p = report.progress
    const choice = await vscode.window.showInformationMessage(
      `Phoenix: translated ${p.rowsDone} rows (${p.translated} segments, ${p.cached} from the cache, ${formatCount(p.charsTranslated)} chars) in ${formatDuration(p.elapsedMs)}. ` +
        `Cost for the shard: ${formatCost(p.cost)}.` +
        (p.rowErrors ? ` ${p.rowErrors} unreadable source rows were left out.` : ''),
      'Open Translation',
    )
    if (choice) await vscode.commands.executeCommand('vscode.open', target)
  } catch (e) {
    if (e instanceof TranslateCancelledError) {
      void vscode.window.showInformationMessage(
        `Phoenix: translation cancelled. ${e.progress.cached + e.progress.translated} segments are saved in ${basename(e.cachePath)}; run Translate Shard on the same files to resume.`,
      )
      return
    }
    if (abort.signal.aborted) return
    void vscode.window.showErrorMessage(`Phoenix: translation failed: ${(e as Error).message}`)
  } finally {
    await engine?.stop()
  }
}
