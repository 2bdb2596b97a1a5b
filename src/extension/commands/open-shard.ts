import * as vscode from 'vscode'
import { isShardPath } from '../../core/records/open'
import { REVIEW_VIEW_TYPE } from '../review-editor'

const SHARD_GLOB = '**/*.{jsonl,ndjson,parquet}'

/** Opens a shard in the review editor: the given one, the active one, or one picked from the workspace. */
export async function openShardCommand(uri?: vscode.Uri): Promise<void> {
  let target = uri instanceof vscode.Uri ? uri : undefined
  const active = vscode.window.activeTextEditor?.document.uri
  if (!target && active && isShardPath(active.fsPath)) target = active
  if (!target) {
    const files = await vscode.workspace.findFiles(SHARD_GLOB, '**/{node_modules,.git,.phoenix}/**', 5000)
    if (files.length === 0) {
      void vscode.window.showWarningMessage('Phoenix: no shard files (*.jsonl, *.parquet) in this workspace.')
      return
    }
    const items = files
      .map((f) => ({ label: vscode.workspace.asRelativePath(f, false), uri: f }))
      .sort((a, b) => a.label.localeCompare(b.label))
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Open which shard in Phoenix Review?' })
    if (!pick) return
    target = pick.uri
  }
  await vscode.commands.executeCommand('vscode.openWith', target, REVIEW_VIEW_TYPE)
}
