import { dirname } from 'node:path'
import * as vscode from 'vscode'
import { newEvent } from '../core/review/events'
import { Journal, journalPath, shardIdentity } from '../core/review/journal'
import type { QaDiagnosticData, QaDiagnostics } from './qa'
import { reviewerName, type ReviewEditorProvider } from './review-editor'

/** "Open in Phoenix Review" and "Mark as false alarm" on Phoenix QA diagnostics. */
export class QaCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix]

  constructor(private readonly diagnostics: QaDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = []
    for (const d of context.diagnostics) {
      const data = this.diagnostics.data.get(d)
      if (!data) continue
      const open = new vscode.CodeAction('Open in Phoenix Review', vscode.CodeActionKind.QuickFix)
      open.command = { command: 'phoenix.openInReview', title: 'Open in Phoenix Review', arguments: [doc.uri, data.promptId] }
      open.diagnostics = [d]
      const dismiss = new vscode.CodeAction('Mark as false alarm', vscode.CodeActionKind.QuickFix)
      dismiss.command = { command: 'phoenix.qa.markFalseAlarm', title: 'Mark as false alarm', arguments: [doc.uri, data, d] }
      dismiss.diagnostics = [d]
      out.push(open, dismiss)
    }
    return out
  }
}

/** Records a reviewer's "false alarm" for an automatic flag: in the open review editor if there is one, else straight into the journal. */
export async function markFalseAlarm(review: ReviewEditorProvider, diagnostics: QaDiagnostics, uri: vscode.Uri, data: QaDiagnosticData, d?: vscode.Diagnostic): Promise<void> {
  const body = { type: 'qa-dismiss' as const, address: data.address, check: data.check, flagKey: data.key }
  if (!review.decideIn(uri, data.promptId, 'Dismiss QA flag', body)) {
    const workspace = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? dirname(uri.fsPath)
    const reviewer = reviewerName()
    const journal = await Journal.open(journalPath(workspace, uri.fsPath, reviewer))
    try {
      await journal.append(newEvent({ reviewer, shard: shardIdentity(workspace, uri.fsPath) }, data.promptId, body))
    } finally {
      await journal.close()
    }
  }
  if (d) diagnostics.hide(uri, d)
}
