import 'uplot/dist/uPlot.min.css'
import './style.css'
import { LitElement, html, nothing } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import uPlot from 'uplot'
import type { Histogram } from '../../src/core/qa/report'
import { parseHostToQaReport, type QaReport, type QaReportToHost } from '../../src/protocol/qa-report'

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`)

declare function acquireVsCodeApi(): { postMessage(m: unknown): void }
const vscode = acquireVsCodeApi()
const send = (m: QaReportToHost) => vscode.postMessage(m)

/** The QA report. Light DOM so uPlot's stylesheet applies; dataset text only through text bindings. */
@customElement('phoenix-qa-report')
export class PhoenixQaReport extends LitElement {
  @state() report?: QaReport
  @state() progress = 'Loading…'
  @state() error?: string
  private chart?: uPlot
  private similarityChart?: uPlot

  createRenderRoot() {
    return this
  }

  connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener('message', (e) => {
      const m = parseHostToQaReport(e.data)
      if (!m) return
      if (m.type === 'report') this.report = m.report
      else if (m.type === 'progress') this.progress = m.message
      else this.error = m.message
    })
    send({ type: 'ready' })
  }

  updated(): void {
    if (!this.report) return
    this.chart ??= histogram(this.querySelector<HTMLElement>('#ratio-chart'), this.report.lengthRatio, 'Length ratio (German / English characters)', 'ratio', 'rgb(80,140,220)', 'rgba(80,140,220,0.5)')
    if (this.report.similarity) {
      this.similarityChart ??= histogram(
        this.querySelector<HTMLElement>('#similarity-chart'),
        this.report.similarity,
        'Semantic similarity (lowest source/translation cosine per record)',
        'cosine',
        'rgb(90,170,110)',
        'rgba(90,170,110,0.5)',
      )
    }
  }

  render() {
    if (this.error) return html`<p class="error" id="error">${this.error}</p>`
    const r = this.report
    if (!r) return html`<p id="progress">${this.progress}</p>`
    const checks = Object.entries(r.byCheck).sort((a, b) => b[1].error * 3 + b[1].warning - (a[1].error * 3 + a[1].warning))
    return html`
      <h2>QA report</h2>
      <p id="summary"><span id="records">${r.records}</span> records, <span id="flagged">${r.flaggedRecords}</span> with automatic flags${r.unpaired ? html`, <span class="warning">${r.unpaired} unpaired rows</span>` : nothing}.</p>
      <table id="by-check">
        <thead><tr><th>check</th><th>errors</th><th>warnings</th><th>info</th></tr></thead>
        <tbody>
          ${checks.map(([c, n]) => html`<tr data-check=${c}><td>${c}</td><td class="num error">${n.error}</td><td class="num warning">${n.warning}</td><td class="num">${n.info}</td></tr>`)}
        </tbody>
      </table>
      <div id="ratio-chart"></div>
      ${r.similarity ? html`<div id="similarity-chart"></div>` : html`<p id="no-similarity">No similarity histogram: no embedding model is configured.</p>`}
      ${r.agreement
        ? html`<h3>Automatic flags vs reviewers (review sample, ${r.agreement.rows} reviewed rows)</h3>
            <table id="agreement">
              <thead><tr><th>check</th><th>both</th><th>QA only</th><th>reviewers only</th><th>precision</th><th>recall</th></tr></thead>
              <tbody>
                ${r.agreement.checks.map(
                  (c) => html`<tr data-check=${c.check}><td>${c.check}</td><td class="num">${c.tp}</td><td class="num">${c.fp}</td><td class="num">${c.fn}</td><td class="num">${pct(c.precision)}</td><td class="num">${pct(c.recall)}</td></tr>`,
                )}
              </tbody>
            </table>`
        : html`<p id="no-agreement">Draw and review a sample (Phoenix: Draw Review Sample) to see how automatic flags agree with reviewers.</p>`}
      <h3>Worst records</h3>
      <table id="worst">
        <thead><tr><th>score</th><th>flags</th><th>line</th><th>worst flag</th><th></th></tr></thead>
        <tbody>
          ${r.worst.map(
            (w) => html`<tr>
              <td class="num">${w.score.toFixed(1)}</td>
              <td class="num">${w.flags}</td>
              <td class="num">${w.line ?? ''}</td>
              <td class="msg">${w.top}</td>
              <td><button class="link open" @click=${() => send({ type: 'openRecord', promptId: w.promptId })}>open</button></td>
            </tr>`,
          )}
        </tbody>
      </table>`
  }
}

/** A uPlot bar chart of one histogram (left bin edges on x); undefined until its element is rendered. */
function histogram(el: HTMLElement | null, h: Histogram, title: string, x: string, stroke: string, fill: string): uPlot | undefined {
  if (!el) return undefined
  const bars = uPlot.paths.bars!({ size: [0.9, 40] })
  return new uPlot(
    {
      width: Math.min(720, Math.max(320, el.clientWidth || 640)),
      height: 200,
      title,
      scales: { x: { time: false } },
      axes: [{ label: x }, { label: 'records' }],
      series: [{ label: x }, { label: 'records', paths: bars, fill, stroke, points: { show: false } }],
    },
    [h.edges, h.counts],
    el,
  )
}

document.body.appendChild(document.createElement('phoenix-qa-report'))
