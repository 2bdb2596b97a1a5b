import { basename } from 'node:path'
import * as vscode from 'vscode'
import { openShard, shardKind } from '../core/records/open'
import { overviews } from '../core/records/summary'
import type { SchemaKind, Shard } from '../core/records/types'
import { parseReviewToHost, type HostToReview } from '../protocol/review'
import { webviewHtml } from './webview-html'

export const REVIEW_VIEW_TYPE = 'phoenix.review'
const FIRST_ROWS = 50

class ShardDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly shard: Shard,
    readonly kind: SchemaKind | null,
  ) {}
  dispose(): void {
    void this.shard.close()
  }
}

/** The review editor. For now read-only: kind, format, row count and the first rows of a shard. */
export class ReviewEditorProvider implements vscode.CustomReadonlyEditorProvider<ShardDocument> {
  constructor(private readonly extensionUri: vscode.Uri) {}

  async openCustomDocument(uri: vscode.Uri): Promise<ShardDocument> {
    const shard = await openShard(uri.fsPath)
    return new ShardDocument(uri, shard, await shardKind(shard))
  }

  async resolveCustomEditor(doc: ShardDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] }
    const post = (m: HostToReview) => panel.webview.postMessage(m)
    // Listen before setting the HTML: the webview's 'ready' handshake must not be missed.
    panel.webview.onDidReceiveMessage(async (raw) => {
      const msg = parseReviewToHost(raw)
      if (!msg) return
      try {
        if (msg.type === 'ready') {
          const rows = await overviews(doc.shard, doc.kind, 0, Math.min(FIRST_ROWS, doc.shard.rowCount))
          const shard = { path: doc.uri.fsPath, name: basename(doc.uri.fsPath), kind: doc.kind, format: doc.shard.format, rowCount: doc.shard.rowCount }
          await post({ type: 'init', shard, rows })
        } else if (msg.type === 'requestRows') {
          await post({ type: 'rows', start: msg.start, rows: await overviews(doc.shard, doc.kind, msg.start, msg.end) })
        }
      } catch (e) {
        await post({ type: 'error', message: (e as Error).message })
      }
    })
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'review', basename(doc.uri.fsPath))
  }
}
