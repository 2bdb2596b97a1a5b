import * as vscode from 'vscode'
import { openShardCommand } from './commands/open-shard'
import { REVIEW_VIEW_TYPE, ReviewEditorProvider } from './review-editor'

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(REVIEW_VIEW_TYPE, new ReviewEditorProvider(context.extensionUri), {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: false,
    }),
    vscode.commands.registerCommand('phoenix.openShard', openShardCommand),
  )
}

export function deactivate(): void {}
