import { basename, dirname } from 'node:path'
import * as vscode from 'vscode'
import { sampleAgreement } from '../core/estimate/report-agreement'
import { qaReport } from '../core/qa/report'
import { openPaired } from '../core/qa/scan'
import { isShardPath } from '../core/records/open'
import { parseQaReportToHost, type HostToQaReport } from '../protocol/qa-report'
import { qaConfigFor, sharedQaRuntime } from './qa'
import type { SharedEmbeddings } from './embeddings'
import { webviewHtml } from './webview-html'
import { pairedPaths } from '../core/records/siblings'
import { languagePair } from './settings'

/** "Phoenix: QA Report": counts per check and severity, histograms and the worst records of a shard. */
export async function showQaReport(extensionUri: vscode.Uri, embeddings: SharedEmbeddings, uri?: vscode.Uri): Promise<void> {
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
        const similarity = await embeddings.provider(folder, (m) => post({ type: 'progress', message: m }))
        const report = await qaReport(paired, config, runtime, undefined, similarity)
        report.agreement = await sampleAgreement(folder, targetPath, sourcePath, config, runtime)
        await post({ type: 'report', report })
      } finally {
        await paired.close()
      }
    } catch (e) {
      await post({ type: 'error', message: (e as Error).message })
    }
  })
  panel.webview.html = webviewHtml(panel.webview, extensionUri, 'qa-report', `QA: ${basename(targetPath)}`, ['qa-report.css'])
}
