import { LitElement, css, html } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { parseHostToReview, type ReviewToHost, type RowSummary, type ShardInfo } from '../../src/protocol/review'

declare function acquireVsCodeApi(): { postMessage(m: unknown): void }
const vscode = acquireVsCodeApi()
const send = (m: ReviewToHost) => vscode.postMessage(m)

/** Overview of a shard. Lit renders every dataset string through text bindings, never as HTML. */
@customElement('phoenix-review')
export class PhoenixReview extends LitElement {
  static styles = css`
    :host { display: block; padding: 8px 16px; font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
    dt { opacity: 0.7; }
    table { border-collapse: collapse; width: 100%; }
    td, th { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, #8884); vertical-align: top; }
    td.preview { white-space: pre-wrap; word-break: break-word; }
    .error { color: var(--vscode-errorForeground); }
  `
  @state() shard?: ShardInfo
  @state() rows: RowSummary[] = []
  @state() error?: string

  connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener('message', (e) => {
      const m = parseHostToReview(e.data)
      if (!m) return
      if (m.type === 'init') {
        this.shard = m.shard
        this.rows = m.rows
      } else if (m.type === 'rows') this.rows = [...this.rows, ...m.rows]
      else this.error = m.message
    })
    send({ type: 'ready' })
  }

  render() {
    if (this.error) return html`<p class="error" id="error">${this.error}</p>`
    if (!this.shard) return html`<p>Loading…</p>`
    const s = this.shard
    return html`
      <h2 id="name">${s.name}</h2>
      <dl>
        <dt>kind</dt><dd id="kind">${s.kind ?? 'unknown'}</dd>
        <dt>format</dt><dd id="format">${s.format}</dd>
        <dt>rows</dt><dd id="row-count">${s.rowCount}</dd>
      </dl>
      <table id="rows">
        <thead><tr><th>#</th><th>prompt_id</th><th>texts</th><th>first text</th></tr></thead>
        <tbody>
          ${this.rows.map(
            (r) => html`<tr data-index=${r.index}>
              <td>${r.index}</td>
              <td>${r.promptId ? r.promptId.slice(0, 12) : ''}</td>
              <td>${r.units ?? ''}</td>
              <td class=${r.error ? 'preview error' : 'preview'}>${r.error ?? r.preview ?? ''}</td>
            </tr>`,
          )}
        </tbody>
      </table>`
  }
}

document.body.appendChild(document.createElement('phoenix-review'))
