import * as vscode from 'vscode'
import { REVIEW_COMMANDS } from '../protocol/review'
import { resolveConflictsCommand, showAgreementCommand } from './agreement'
import { drawSampleCommand } from './commands/draw-sample'
import { SharedEmbeddings } from './embeddings'
import { openShardCommand } from './commands/open-shard'
import { exportCommand } from './export'
import { QaDiagnostics, setQaLog, type QaDiagnosticData } from './qa'
import { markFalseAlarm, QaCodeActions } from './qa-actions'
import { showQaReport } from './qa-report'
import { REVIEW_VIEW_TYPE, ReviewEditorProvider } from './review-editor'
import { registerTraining } from './train'
import { registerTranslate } from './translate'

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Phoenix')
  setQaLog(log)
  const embeddings = new SharedEmbeddings(log)
  const review = new ReviewEditorProvider(context.extensionUri, embeddings, log)
  const diagnostics = new QaDiagnostics(log, embeddings)
  context.subscriptions.push(
    log,
    embeddings,
    diagnostics,
    vscode.window.registerCustomEditorProvider(REVIEW_VIEW_TYPE, review, {
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: false,
    }),
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file', pattern: '**/*.{jsonl,ndjson}' }], new QaCodeActions(diagnostics), { providedCodeActionKinds: QaCodeActions.kinds }),
    vscode.commands.registerCommand('phoenix.openShard', openShardCommand),
    vscode.commands.registerCommand('phoenix.exportPreferenceSet', () => exportCommand(review, embeddings)),
    vscode.commands.registerCommand('phoenix.showAgreement', () => showAgreementCommand(review)),
    vscode.commands.registerCommand('phoenix.resolveConflicts', () => resolveConflictsCommand(review)),
    vscode.commands.registerCommand('phoenix.drawSample', () => drawSampleCommand(review)),
    vscode.commands.registerCommand('phoenix.qaReport', (uri?: vscode.Uri) => showQaReport(context.extensionUri, embeddings, uri)),
    vscode.commands.registerCommand('phoenix.openInReview', (uri: vscode.Uri, promptId: string) => review.reveal(uri, promptId)),
    vscode.commands.registerCommand('phoenix.qa.markFalseAlarm', (uri: vscode.Uri, data: QaDiagnosticData, d?: vscode.Diagnostic) => markFalseAlarm(review, diagnostics, uri, data, d)),
    ...REVIEW_COMMANDS.map((c) => vscode.commands.registerCommand(`phoenix.review.${c.name}`, (arg?: number) => review.runCommand(c.name, typeof arg === 'number' ? arg : undefined))),
  )
  registerTranslate(context)
  registerTraining(context)
}

export function deactivate(): void {}
