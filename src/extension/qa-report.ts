import { basename, dirname, isAbsolute, join } from 'node:path'
import * as vscode from 'vscode'
import { SupervisedServer } from '../../native-runtime/inference/supervisor'
import { embeddingsProvider } from '../core/qa/embeddings'
import type { SimilarityProvider } from '../core/qa/types'
import { sampleAgreement } from '../core/estimate/report-agreement'
import { qaReport } from '../core/qa/report'
import { openPaired } from '../core/qa/scan'
import { isShardPath } from '../core/records/open'
import { parseQaReportToHost, type HostToQaReport } from '../protocol/qa-report'
import { qaConfigFor, sharedQaRuntime } from './qa'
import { webviewHtml } from './webview-html'
import { existsSync } from 'node:fs'
import { pairedPaths } from '../core/records/siblings'
import { languagePair } from './settings'

/** "Phoenix: QA Report": counts per check and severity, histograms and the worst records of a shard. */
export async function showQaReport(extensionUri: vscode.Uri, uri?: vscode.Uri): Promise<void> {
  let target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri
  if (!target || !isShardPath(target.fsPath)) {
    const files = await vscode.workspace.findFiles('**/*.{jsonl,ndjson,parquet}', '**/{node_modules,.git,.phoenix}/**', 5000)
    const pick = await vscode.window.showQuickPick(
      files.map((f) => ({ label: vscode.workspace.asRelativePath(f, false), uri: f })).sort((a, b) => a.label.localeCompare(b.label)),
      { placeHolder: 'QA report for which translated shard?' },
    )
    if (!pick) return
    target = pick.uri
  }
  const { from, to } = languagePair()
  // Opened on the English side: report on its translation.
  const { target: targetPath, source: sourcePath } = pairedPaths(target.fsPath, from, to)

  const panel = vscode.window.createWebviewPanel('phoenix.qaReport', `QA: ${basename(targetPath)}`, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  })
  const post = (m: HostToQaReport) => panel.webview.postMessage(m)
  panel.webview.onDidReceiveMessage(async (raw) => {
    const msg = parseQaReportToHost(raw)
    if (!msg) return
    if (msg.type === 'openRecord') {
      await vscode.commands.executeCommand('phoenix.openInReview', vscode.Uri.file(targetPath), msg.promptId)
      return
    }
    try {
      await post({ type: 'progress', message: `Checking ${basename(targetPath)}…` })
      const paired = await openPaired(targetPath, sourcePath)
      try {
        const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(targetPath))?.uri.fsPath ?? dirname(targetPath)
        const { config } = await qaConfigFor(folder)
        const runtime = await sharedQaRuntime()
        const embeddings = await reportEmbeddings(folder, (m) => post({ type: 'progress', message: m }))
        try {
          const report = await qaReport(paired, config, runtime, undefined, embeddings?.provider)
          report.agreement = await sampleAgreement(folder, targetPath, sourcePath, config, runtime)
          await post({ type: 'report', report })
        } finally {
          await embeddings?.stop()
        }
      } finally {
        await paired.close()
      }
    } catch (e) {
      await post({ type: 'error', message: (e as Error).message })
    }
  })
  panel.webview.html = webviewHtml(panel.webview, extensionUri, 'qa-report', `QA: ${basename(targetPath)}`, ['qa-report.css'])
}

/**
 * The similarity histogram's embeddings: `phoenix.qa.embeddingsUrl` (a running OpenAI-compatible server) wins
 * over `phoenix.qa.embeddingModelDir` (served by the embedded inference server for this report only).
 * Neither set: no provider, and the report says so.
 */
async function reportEmbeddings(folder: string, progress: (m: string) => unknown): Promise<{ provider: SimilarityProvider; stop(): Promise<void> } | undefined> {
  const cfg = vscode.workspace.getConfiguration('phoenix.qa')
  const url = cfg.get<string>('embeddingsUrl')?.trim()
  if (url) return { provider: embeddingsProvider({ url, apiKey: cfg.get<string>('embeddingsApiKey') || undefined }), stop: async () => undefined }
  const setting = cfg.get<string>('embeddingModelDir')?.trim()
  if (!setting) return undefined
  const modelDir = isAbsolute(setting) ? setting : join(folder, setting)
  if (!existsSync(modelDir)) throw new Error(`phoenix.qa.embeddingModelDir: ${modelDir} does not exist`)
  await progress(`Starting the embedding model ${basename(modelDir)}…`)
  const server = await SupervisedServer.start({ modelDir })
  return { provider: embeddingsProvider({ url: server.url, apiKey: server.apiKey }), stop: () => server.stop() }
}
