import { randomInt } from 'node:crypto'
import { dirname } from 'node:path'
import * as vscode from 'vscode'
import { drawPlan, parseSampleSpec, planPath, readPlan, writePlan } from '../../core/estimate/sample'
import { openShard } from '../../core/records/open'
import { rowPromptId } from '../../core/records/schema'
import { shardKind } from '../../core/records/open'
import { shardIdentity } from '../../core/review/journal'
import type { ReviewEditorProvider } from '../review-editor'

/** "Phoenix: Draw Review Sample": a seeded uniform sample of the active shard, for estimates of its drift. */
export async function drawSampleCommand(review: ReviewEditorProvider): Promise<void> {
  const target = review.activeShard()
  if (!target) {
    void vscode.window.showWarningMessage('Phoenix: open a shard in the review editor first.')
    return
  }
  const workspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target))?.uri.fsPath ?? dirname(target)
  const file = planPath(workspace, target)
  if (readPlan(file)) {
    const again = await vscode.window.showWarningMessage('This shard already has a review sample. Drawing a new one discards its estimate (the reviews stay).', { modal: true }, 'Draw New Sample')
    if (again !== 'Draw New Sample') return
  }
  const spec = await vscode.window.showInputBox({
    title: 'Review sample',
    prompt: 'Margin of error at 95% confidence (e.g. 5%) or a sample size (e.g. 400)',
    value: '5%',
    // the review editor may take focus while it loads the shard's flags; the question must not vanish then
    ignoreFocusOut: true,
    validateInput: (v) => (parseSampleSpec(v) ? undefined : 'a percentage like 3% or a whole number of rows'),
  })
  const parsed = spec === undefined ? undefined : parseSampleSpec(spec)
  if (!parsed) return
  const shard = await openShard(target)
  try {
    const kind = await shardKind(shard)
    const seed = randomInt(1, 2 ** 31)
    const plan = await drawPlan(shardIdentity(workspace, target), shard.rowCount, { ...parsed, seed }, async (i) => {
      const r = await shard.read(i)
      return r.row && kind ? (rowPromptId(r.row, kind) ?? null) : null
    })
    writePlan(file, plan)
    void vscode.window.showInformationMessage(`Phoenix: sampled ${plan.size} of ${plan.population} rows (±${(plan.margin * 100).toFixed(1)}% at ${plan.confidence * 100}%, seed ${plan.seed}).`)
  } finally {
    await shard.close()
  }
  await review.sampleDrawn(target)
}
