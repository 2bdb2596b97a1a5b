import * as vscode from 'vscode'
import { REVIEW_COMMANDS } from '../protocol/review'
import { openShardCommand } from './commands/open-shard'
import { REVIEW_VIEW_TYPE, ReviewEditorProvider } from './review-editor'

export function activate(context: vscode.ExtensionContext): void {
  const review = new ReviewEditorProvider(context.extensionUri)
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(REVIEW_VIEW_TYPE, review, {
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: false,
    }),
    vscode.commands.registerCommand('phoenix.openShard', openShardCommand),
    ...REVIEW_COMMANDS.map((c) => vscode.commands.registerCommand(`phoenix.review.${c.name}`, (arg?: number) => review.runCommand(c.name, typeof arg === 'number' ? arg : undefined))),
  )
}

export function deactivate(): void {}
