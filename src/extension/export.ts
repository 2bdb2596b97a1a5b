import { basename, dirname, join } from 'node:path'
import * as vscode from 'vscode'
import { exportDataset } from '../core/export/export'
import { ExportArgumentError, ExportCancelled, type ExportKind } from '../core/export/types'
import { openShard, shardKind } from '../core/records/open'
import type { Severity } from '../core/review/events'
import type { AcceptanceCriterion } from '../core/estimate/estimate'
import type { ReviewEditorProvider } from './review-editor'
import { pairedPaths } from '../core/records/siblings'
import { shardSimilarities } from '../core/qa/record-similarity'
import type { SimilarityProvider } from '../core/qa/types'
import type { SharedEmbeddings } from './embeddings'
import { languagePair } from './settings'

async function pickShard(review: ReviewEditorProvider): Promise<string | undefined> {
  const active = review.activeShard()
  if (active) return active
  const files = await vscode.workspace.findFiles('**/*.{jsonl,ndjson,parquet}', '**/{node_modules,.git,.phoenix,exports}/**', 5000)
  const pick = await vscode.window.showQuickPick(
    files.map((f) => ({ label: vscode.workspace.asRelativePath(f, false), path: f.fsPath })).sort((a, b) => a.label.localeCompare(b.label)),
    { placeHolder: 'Export which reviewed (translated) shard?' },
  )
  return pick?.path
}

const setting = (key: string): number | undefined => {
  const v = vscode.workspace.getConfiguration('phoenix.export').get<number | null>(key)
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/**
 * Per-record similarities for `phoenix.export.minSimilarity`, from the window's embedding model; undefined
 * (the manifest then says the filter was not applied) when no model is configured, with a warning.
 */
async function similarities(
  embeddings: SharedEmbeddings,
  workspace: string,
  target: string,
  source: string | undefined,
  report: (m: string) => unknown,
): Promise<{ sims: Map<string, number>; provider: SimilarityProvider } | undefined> {
  const provider = await embeddings.provider(workspace, report)
  if (!provider) {
    void vscode.window.showWarningMessage('Phoenix: phoenix.export.minSimilarity is set but no embedding model is (phoenix.qa.embeddingModelDir or phoenix.qa.embeddingsUrl); exporting without the similarity filter.')
    return undefined
  }
  await report('Embedding sources and translations for the similarity filter…')
  return { sims: await shardSimilarities(target, source, provider), provider }
}

/** "Phoenix: Export Preference Set": a reviewed shard, corrections applied, as a TRL-ready dataset folder. */
export async function exportCommand(review: ReviewEditorProvider, embeddings: SharedEmbeddings): Promise<void> {
  const target = await pickShard(review)
  if (!target) return
  const cfg = vscode.workspace.getConfiguration('phoenix')
  const { from, to } = languagePair()
  // Picked on the English side: export its translation.
  const { target: targetPath, source } = pairedPaths(target, from, to)
  const shard = await openShard(targetPath)
  const schema = await shardKind(shard)
  await shard.close()
  const kind: ExportKind = schema === 'ultrachat' || schema === 'messages' ? 'sft' : 'dpo'
  const format = await vscode.window.showQuickPick(['parquet', 'jsonl'], { placeHolder: `${kind.toUpperCase()} set from ${basename(targetPath)}: file format` })
  if (!format) return
  const filter = await vscode.window.showQuickPick(
    [
      { label: 'All records without open critical flags', approvedOnly: false, maxSeverity: 'critical' as Severity },
      { label: 'All records without open major or critical flags', approvedOnly: false, maxSeverity: 'major' as Severity },
      { label: 'Approved records only, without open major or critical flags', approvedOnly: true, maxSeverity: 'major' as Severity },
    ],
    { placeHolder: 'Which records?' },
  )
  if (!filter) return
  const workspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(targetPath))?.uri.fsPath ?? dirname(targetPath)
  const defaultOut = join(workspace, 'exports', `${basename(dirname(targetPath))}-${basename(targetPath).replace(/\.[^.]+$/, '')}-${kind}`)
  const out = await vscode.window.showInputBox({ prompt: 'Output folder (a previous export there is replaced atomically)', value: defaultOut })
  if (!out) return
  try {
    const minSimilarity = setting('minSimilarity')
    const rep = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Phoenix: exporting ${basename(targetPath)}…`, cancellable: true }, async (progress, token) => {
      const report = (message: string) => progress.report({ message })
      const stop = new AbortController()
      token.onCancellationRequested(() => stop.abort())
      const sim = minSimilarity === undefined ? undefined : await similarities(embeddings, workspace, targetPath, source, report)
      await report('Writing the dataset…')
      return exportDataset({
        signal: stop.signal,
        onProgress: ({ read, written }) => report(`${read.toLocaleString('en')} rows read, ${written.toLocaleString('en')} examples written…`),
        source,
        target: targetPath,
        kind,
        format: format as 'parquet' | 'jsonl',
        dpoFormat: 'conversational',
        out,
        workspace,
        seed: 42,
        testSize: 0.1,
        approvedOnly: filter.approvedOnly,
        maxSeverity: filter.maxSeverity,
        expectedRatio: 1.2,
        sourceLang: from,
        targetLang: to,
        license: 'other',
        acceptance: cfg.get<AcceptanceCriterion>('acceptance') ?? {},
        minSimilarity,
        // corrected records are embedded again during the export, by the same model
        ...(sim ? { similarity: (promptId: string) => sim.sims.get(promptId), similarityProvider: sim.provider } : {}),
        maxRatioDeviation: setting('maxRatioDeviation'),
        minMargin: kind === 'dpo' ? setting('minMargin') : undefined,
      })
    })
    const reasons = Object.entries(rep.excluded)
      .filter(([, n]) => n > 0)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ')
    const choice = await vscode.window.showInformationMessage(
      `Phoenix: wrote ${rep.rows.written} ${kind.toUpperCase()} examples (train ${rep.rows.train}, test ${rep.rows.test}); excluded ${rep.excludedTotal}${reasons ? ` (${reasons})` : ''}.`,
      'Reveal',
      kind === 'dpo' ? 'Train DPO' : 'Train SFT',
    )
    if (choice === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(join(out, 'phoenix-manifest.json')))
    else if (choice) await vscode.commands.executeCommand(kind === 'dpo' ? 'phoenix.trainDpo' : 'phoenix.trainSft')
  } catch (e) {
    if (e instanceof ExportCancelled) {
      void vscode.window.showInformationMessage(`Phoenix: ${e.message}.`)
      return
    }
    void vscode.window.showErrorMessage(`Phoenix export failed: ${e instanceof ExportArgumentError ? e.message : (e as Error).message}`)
  }
}
