import { randomBytes } from 'node:crypto'
import { userInfo } from 'node:os'
import { dirname } from 'node:path'
import * as vscode from 'vscode'
import type { AcceptanceCriterion } from '../core/estimate/estimate'
import { riskWeights } from '../core/estimate/risk'
import type { ReviewEventBody } from '../core/review/events'
import type { ReviewSession } from '../core/review/session'
import { parseReviewToHost, type HostToReview, type ReviewCommandName, type ReviewToHost } from '../protocol/review'
import { reviewRuleChecks, reviewSimilarity } from '../core/qa/review-hooks'
import type { SharedEmbeddings } from './embeddings'
import { qaConfigFor, sharedQaRuntime } from './qa'
import { ReviewDocument } from './review-document'
import { webviewHtml } from './webview-html'
import { languagePair } from './settings'

export const REVIEW_VIEW_TYPE = 'phoenix.review'
const FIRST_ROWS = 100

/** The reviewer's name: the `phoenix.reviewer` setting, else the OS user. */
export function reviewerName(): string {
  const configured = vscode.workspace.getConfiguration('phoenix').get<string>('reviewer')?.trim()
  if (configured) return configured
  try {
    return userInfo().username || 'reviewer'
  } catch {
    return 'reviewer'
  }
}

interface Panel {
  panel: vscode.WebviewPanel
  doc: ReviewDocument
  /** The record the webview shows, so refreshes and commands know what to act on. */
  current?: number
}

/** The review editor: a custom editor whose decisions are VS Code edits (undo/redo, save, backup). */
export class ReviewEditorProvider implements vscode.CustomEditorProvider<ReviewDocument> {
  private readonly changed = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<ReviewDocument>>()
  readonly onDidChangeCustomDocument = this.changed.event
  private readonly panels = new Set<Panel>()
  private active?: Panel
  /** The last similarity failure logged: a broken server would otherwise log once per record shown. */
  private lastSimilarityError?: string

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly embeddings: SharedEmbeddings,
    private readonly log: vscode.OutputChannel,
  ) {}

  async openCustomDocument(uri: vscode.Uri, context: vscode.CustomDocumentOpenContext): Promise<ReviewDocument> {
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? dirname(uri.fsPath)
    const backup = context.backupId ? vscode.Uri.parse(context.backupId) : undefined
    const cfg = vscode.workspace.getConfiguration('phoenix')
    const { config } = await qaConfigFor(folder)
    const qa = reviewRuleChecks(config, await sharedQaRuntime())
    const similarity = reviewSimilarity(config, () => this.embeddings.provider(folder))
    const opts = {
      workspace: folder,
      reviewer: reviewerName(),
      sourceLang: languagePair().from,
      targetLang: languagePair().to,
      qa,
      similarity,
      riskWeights: riskWeights(cfg.get('risk.weights') ?? {}),
      acceptance: cfg.get<AcceptanceCriterion>('acceptance') ?? {},
    }
    const doc = await ReviewDocument.open(uri, opts, backup)
    doc.onDidChange((e) => this.changed.fire(e))
    return doc
  }

  async resolveCustomEditor(doc: ReviewDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] }
    const entry: Panel = { panel, doc }
    this.panels.add(entry)
    this.active = entry
    const post = (m: HostToReview) => panel.webview.postMessage(m)
    const subs = [
      // Listen before the HTML is set: the webview's 'ready' must not be missed.
      panel.webview.onDidReceiveMessage(async (raw) => {
        const msg = parseReviewToHost(raw)
        if (!msg) return
        try {
          await this.handle(entry, msg, post)
        } catch (e) {
          await post({ type: 'error', message: (e as Error).message })
        }
      }),
      panel.onDidChangeViewState(() => {
        if (panel.active) this.active = entry
        void vscode.commands.executeCommand('setContext', 'phoenix.review.inputFocus', false)
      }),
      doc.onDidRefresh(async (index) => {
        const target = index >= 0 ? index : entry.current
        if (target !== undefined && target === entry.current) await this.showRecord(entry, target, post)
        await this.refreshRow(doc.session, target, post)
        await post({ type: 'estimate', estimate: doc.session.estimate() })
      }),
    ]
    panel.onDidDispose(() => {
      subs.forEach((s) => s.dispose())
      this.panels.delete(entry)
      if (this.active === entry) this.active = undefined
    })
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'review', doc.session.info().name)
  }

  /**
   * Shows a record with its rule flags at once, then asks for its similarity flags (an embeddings request,
   * the model's first start included) and shows it again if they add any while it is still on screen.
   */
  private async showRecord(p: Panel, index: number, post: (m: HostToReview) => Thenable<boolean>): Promise<void> {
    const s = p.doc.session
    const shown = await s.record(index)
    await post({ type: 'record', record: shown })
    void s
      .checkSimilarity(index, shown)
      .then(async (changed) => {
        if (changed && p.current === index) await post({ type: 'record', record: await s.record(index) })
      })
      .catch((e: Error) => {
        if (e.message === this.lastSimilarityError) return
        this.lastSimilarityError = e.message
        this.log.appendLine(`QA similarity failed for record ${index} of ${s.target.path}: ${e.message}; rule checks only`)
      })
  }

  private async refreshRow(session: ReviewSession, index: number | undefined, post: (m: HostToReview) => Thenable<boolean>): Promise<void> {
    if (index === undefined) return
    // The list is sorted by record index, so a binary search finds the row's position.
    let lo = 0
    let hi = session.visibleCount - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const at = session.visibleAt(mid)!
      if (at === index) {
        await post({ type: 'rows', start: mid, rows: await session.summaries(mid, mid + 1) })
        return
      }
      if (at < index) lo = mid + 1
      else hi = mid - 1
    }
  }

  private async handle(p: Panel, msg: ReviewToHost, post: (m: HostToReview) => Thenable<boolean>): Promise<void> {
    const { doc } = p
    const s = doc.session
    switch (msg.type) {
      case 'ready': {
        const counts = await s.setFilter({})
        await post({ type: 'init', shard: s.info(), rows: await s.summaries(0, FIRST_ROWS), counts })
        await post({ type: 'estimate', estimate: s.estimate() })
        if (!s.scanned) {
          // Ratios, automatic flags and risk need every record read once: do it after the first paint.
          await s.scan()
          await post({ type: 'filtered', counts: await s.setFilter(s.currentFilter) })
        }
        return
      }
      case 'inputFocus':
        await vscode.commands.executeCommand('setContext', 'phoenix.review.inputFocus', msg.active)
        return
      case 'requestRows':
        await post({ type: 'rows', start: msg.start, rows: await s.summaries(msg.start, msg.end) })
        return
      case 'setFilter':
        await post({ type: 'filtered', counts: await s.setFilter(msg.filter) })
        return
      case 'openRecord':
        p.current = msg.index
        await this.showRecord(p, msg.index, post)
        return
      case 'edit': {
        const previous = (await s.currentText(msg.index, msg.address)) ?? ''
        if (previous === msg.text) return
        doc.decide(msg.index, 'Edit translation', { type: 'edit', address: msg.address, text: msg.text, previous })
        return
      }
      case 'flag':
        doc.decide(msg.index, `Flag ${msg.reason}`, {
          type: 'flag',
          address: msg.address,
          segment: msg.segment,
          reason: msg.reason,
          severity: msg.severity,
          comment: msg.comment || undefined,
          flagId: randomBytes(6).toString('hex'),
        })
        return
      case 'unflag':
        doc.decide(msg.index, 'Remove flag', { type: 'unflag', flagId: msg.flagId })
        return
      case 'qaDecision': {
        const rec = await s.record(msg.index)
        const f = rec.qaFlags.find((q) => q.key === msg.key)
        if (!f) return
        doc.decide(msg.index, msg.decision === 'confirm' ? 'Confirm QA flag' : 'Dismiss QA flag', { type: msg.decision === 'confirm' ? 'qa-confirm' : 'qa-dismiss', address: f.address, check: f.check, flagKey: f.key })
        return
      }
      case 'approve':
        doc.decide(msg.index, msg.approved ? 'Approve' : 'Unapprove', { type: msg.approved ? 'approve' : 'unapprove' })
        return
      case 'pick':
        doc.decide(msg.index, 'Preference pick', { type: 'pick', chosen: msg.chosen, rejected: msg.rejected, verdict: msg.verdict })
        return
      case 'undo':
      case 'redo':
        await vscode.commands.executeCommand(msg.type)
        return
    }
  }

  private panelFor(uri: vscode.Uri): Panel | undefined {
    for (const p of this.panels) if (p.doc.uri.toString() === uri.toString() || p.doc.session.target.path === uri.fsPath) return p
    return undefined
  }

  /** Records a decision in an open review editor of that shard; false when none is open. */
  decideIn(uri: vscode.Uri, promptId: string, label: string, body: ReviewEventBody): boolean {
    const p = this.panelFor(uri)
    const index = p?.doc.session.indexOf(promptId)
    if (!p || index === undefined) return false
    p.doc.decide(index, label, body)
    return true
  }

  /** Opens the shard in the review editor and shows one record. */
  async reveal(uri: vscode.Uri, promptId: string): Promise<void> {
    await vscode.commands.executeCommand('vscode.openWith', uri, REVIEW_VIEW_TYPE)
    // The editor may still be starting: wait for its panel and session (bounded).
    for (let i = 0; i < 100; i++) {
      const p = this.panelFor(uri)
      const index = p?.doc.session.indexOf(promptId)
      if (p && index !== undefined) {
        p.current = index
        await this.showRecord(p, index, (m) => p.panel.webview.postMessage(m))
        return
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  /** After a sample was drawn: every open editor of that shard switches to the sample and shows the estimate. */
  async sampleDrawn(targetPath: string): Promise<void> {
    for (const p of this.panels) {
      if (p.doc.session.target.path !== targetPath) continue
      const post = (m: HostToReview) => p.panel.webview.postMessage(m)
      await post({ type: 'filtered', counts: await p.doc.session.setFilter({ ...p.doc.session.currentFilter, mode: 'sample' }) })
      await post({ type: 'estimate', estimate: p.doc.session.estimate() })
      // Start the reviewer on the sample's first row rather than leave them on a row outside it.
      const first = p.doc.session.visibleAt(0)
      if (first !== undefined) {
        p.current = first
        await this.showRecord(p, first, post)
      }
    }
  }

  /** The target shard of the active review editor, if any. */
  activeShard(): string | undefined {
    return this.active?.doc.session.target.path
  }

  /** Forwards a keybinding's command to the active review editor's webview. */
  runCommand(name: ReviewCommandName, arg?: number): void {
    const p = this.active
    if (!p) return
    void p.panel.webview.postMessage({ type: 'command', name, arg } satisfies HostToReview)
  }

  saveCustomDocument(doc: ReviewDocument): Promise<void> {
    return doc.save()
  }

  async saveCustomDocumentAs(doc: ReviewDocument, destination: vscode.Uri): Promise<void> {
    // Decisions live in the journal, not in the shard: "save as" saves them and copies the shard.
    await doc.save()
    await vscode.workspace.fs.copy(doc.uri, destination, { overwrite: true })
  }

  revertCustomDocument(doc: ReviewDocument): Promise<void> {
    return doc.revert()
  }

  backupCustomDocument(doc: ReviewDocument, context: vscode.CustomDocumentBackupContext): Promise<vscode.CustomDocumentBackup> {
    return doc.backup(context.destination)
  }
}
