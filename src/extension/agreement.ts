import { dirname } from 'node:path'
import * as vscode from 'vscode'
import { agreement } from '../core/review/agreement'
import { agreementMarkdown, pickFromKey } from '../core/review/agreement-report'
import { newEvent, type ReviewEventBody } from '../core/review/events'
import { Journal, journalDir, journalPath, readJournalDir, shardIdentity } from '../core/review/journal'
import { replay } from '../core/review/state'
import { reviewerName, type ReviewEditorProvider } from './review-editor'

async function loadState(workspace: string, shard: string) {
  const events = []
  for (const r of (await readJournalDir(journalDir(workspace, shard))).values()) events.push(...r.events)
  return replay(events)
}

function activeTarget(review: ReviewEditorProvider): { shard: string; workspace: string } | undefined {
  const shard = review.activeShard()
  if (!shard) {
    void vscode.window.showWarningMessage('Phoenix: open a shard in the review editor first.')
    return undefined
  }
  return { shard, workspace: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(shard))?.uri.fsPath ?? dirname(shard) }
}

/** "Phoenix: Show Reviewer Agreement": pairwise Cohen's kappa and per-record conflicts, as Markdown. */
export async function showAgreementCommand(review: ReviewEditorProvider): Promise<void> {
  const t = activeTarget(review)
  if (!t) return
  const report = agreement(await loadState(t.workspace, t.shard))
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: agreementMarkdown(shardIdentity(t.workspace, t.shard), report) })
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside })
}

/** "Phoenix: Resolve Review Conflicts": walks the unresolved conflicts; each choice becomes a `resolve` decision. */
export async function resolveConflictsCommand(review: ReviewEditorProvider): Promise<void> {
  const t = activeTarget(review)
  if (!t) return
  const open = agreement(await loadState(t.workspace, t.shard)).conflicts.filter((c) => !c.resolution)
  if (!open.length) {
    void vscode.window.showInformationMessage('Phoenix: no unresolved conflicts between reviewers.')
    return
  }
  let resolved = 0
  for (const [i, c] of open.entries()) {
    const values = [...new Set(Object.values(c.byReviewer))]
    const pick = await vscode.window.showQuickPick(
      values.map((v) => ({ label: v, description: Object.entries(c.byReviewer).filter(([, x]) => x === v).map(([r]) => r).join(', '), value: v })),
      { title: `Conflict ${i + 1} of ${open.length}: ${c.field} of ${c.promptId.slice(0, 12)}`, placeHolder: 'Final decision (Escape stops)' },
    )
    if (!pick) break
    let body: ReviewEventBody
    if (c.field === 'approval') body = { type: 'resolve', field: 'approval', value: pick.value === 'approve' }
    else {
      const value = pickFromKey(pick.value)
      if (!value) continue
      body = { type: 'resolve', field: 'pick', value }
    }
    // Through the open editor when there is one (undoable, saved with its other decisions), else straight to the journal.
    if (!review.decideIn(vscode.Uri.file(t.shard), c.promptId, 'Resolve conflict', body)) {
      const reviewer = reviewerName()
      const j = await Journal.open(journalPath(t.workspace, t.shard, reviewer))
      try {
        await j.append(newEvent({ reviewer, shard: shardIdentity(t.workspace, t.shard) }, c.promptId, body))
      } finally {
        await j.close()
      }
    }
    resolved++
  }
  void vscode.window.showInformationMessage(`Phoenix: resolved ${resolved} of ${open.length} conflicts.`)
}
