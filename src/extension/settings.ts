import * as vscode from 'vscode'

/** The language pair of the workspace's shards (`phoenix.sourceLanguage` / `phoenix.targetLanguage`). */
export function languagePair(): { from: string; to: string } {
  const cfg = vscode.workspace.getConfiguration('phoenix')
  return { from: cfg.get<string>('sourceLanguage') || 'en', to: cfg.get<string>('targetLanguage') || 'de' }
}
