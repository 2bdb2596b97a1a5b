import * as vscode from 'vscode'
import type { ReviewEvent, ReviewEventBody } from '../core/review/events'
import { ReviewSession, type SessionOptions } from '../core/review/session'

/**
 * A shard opened for review. Decisions are pending until saved: each one is a VS Code edit, so undo,
 * redo, dirty state, save, revert and hot-exit backup all go through the editor's own machinery.
 */
export class ReviewDocument implements vscode.CustomDocument {
  private readonly changed = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<ReviewDocument>>()
  readonly onDidChange = this.changed.event
  private readonly refreshed = new vscode.EventEmitter<number>()
  /** Fires with a record index whose view changed (after a decision, undo or redo). */
  readonly onDidRefresh = this.refreshed.event

  private constructor(
    readonly uri: vscode.Uri,
    readonly session: ReviewSession,
  ) {}

  static async open(uri: vscode.Uri, opts: Omit<SessionOptions, 'file'>, backupUri?: vscode.Uri): Promise<ReviewDocument> {
    const session = await ReviewSession.open({ ...opts, file: uri.fsPath })
    const doc = new ReviewDocument(uri, session)
    if (backupUri) {
      const data = await vscode.workspace.fs.readFile(backupUri)
      session.adoptPending(JSON.parse(Buffer.from(data).toString('utf8')) as ReviewEvent[])
    }
    return doc
  }

  /** Records a decision and registers it with VS Code's undo stack. */
  decide(index: number, label: string, body: ReviewEventBody): void {
    const inverse = this.session.inverse(index, body)
    const ev = this.session.decide(index, body)
    let compensation: ReviewEvent | undefined
    this.refreshed.fire(index)
    this.changed.fire({
      document: this,
      label,
      undo: () => {
        // Unsaved: take it back. Saved: the journal is append-only, so a later decision undoes it.
        if (!this.session.retract(ev.id) && inverse) compensation = this.session.decide(index, inverse)
        this.refreshed.fire(index)
      },
      redo: () => {
        if (compensation) {
          if (!this.session.retract(compensation.id)) this.session.decide(index, body)
          compensation = undefined
        } else if (!this.session.pending.some((e) => e.id === ev.id)) this.session.restore(ev)
        this.refreshed.fire(index)
      },
    })
  }

  async save(): Promise<void> {
    await this.session.save()
  }

  async revert(): Promise<void> {
    await this.session.revert()
    this.refreshed.fire(-1)
  }

  async backup(destination: vscode.Uri): Promise<vscode.CustomDocumentBackup> {
    await vscode.workspace.fs.writeFile(destination, Buffer.from(JSON.stringify(this.session.pending)))
    return {
      id: destination.toString(),
      delete: () => void vscode.workspace.fs.delete(destination).then(undefined, () => undefined),
    }
  }

  dispose(): void {
    this.changed.dispose()
    this.refreshed.dispose()
    void this.session.close()
  }
}
