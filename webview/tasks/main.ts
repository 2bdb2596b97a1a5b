import 'uplot/dist/uPlot.min.css'
import './style.css'
import '@vscode-elements/elements/dist/vscode-button/index.js'
import '@vscode-elements/elements/dist/vscode-option/index.js'
import '@vscode-elements/elements/dist/vscode-single-select/index.js'
import '@vscode-elements/elements/dist/vscode-textfield/index.js'
import { LitElement, html, nothing } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import uPlot from 'uplot'
import {
  FORM_LAUNCHERS,
  FORM_METHODS,
  parseHostToTasks,
  type EtaView,
  type ExportOption,
  type MetricPoint,
  type PresetView,
  type RunKind,
  type RunStatus,
  type RunView,
  type StartForm,
  type TasksToHost,
} from '../../src/protocol/tasks'

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void }
const vscode = acquireVsCodeApi()
const send = (m: TasksToHost) => vscode.postMessage(m)

const STATUS_ORDER: RunStatus[] = ['running', 'queued', 'stopped', 'failed', 'finished']

interface ChartSpec {
  id: string
  title: string
  series: { key: keyof MetricPoint; label: string; stroke: string }[]
}

const CHARTS: ChartSpec[] = [
  { id: 'chart-loss', title: 'Loss', series: [{ key: 'loss', label: 'loss', stroke: 'rgb(80,140,220)' }] },
  { id: 'chart-margins', title: 'Reward margins', series: [{ key: 'rewards/margins', label: 'margin', stroke: 'rgb(90,180,110)' }, { key: 'rewards/chosen', label: 'chosen', stroke: 'rgb(60,150,200)' }, { key: 'rewards/rejected', label: 'rejected', stroke: 'rgb(210,110,90)' }] },
  { id: 'chart-acc', title: 'Reward accuracy', series: [{ key: 'rewards/accuracies', label: 'accuracy', stroke: 'rgb(170,120,210)' }] },
  { id: 'chart-lr', title: 'Learning rate', series: [{ key: 'learning_rate', label: 'lr', stroke: 'rgb(200,160,60)' }] },
]

const fmt = (v: number | undefined, digits = 4) => (v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(digits))

/** Axis ticks: learning rates like 5e-7 must not all read "0". */
const tick = (v: number) => (v === 0 ? '0' : Math.abs(v) < 1e-2 ? v.toExponential(1) : String(+v.toPrecision(3)))

function duration(s: number | undefined): string {
  if (s === undefined) return '—'
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h ? `${h}h ${m}m` : m ? `${m}m ${Math.round(s % 60)}s` : `${Math.round(s)}s`
}

/** The training panel. Light DOM so uPlot's stylesheet applies; every host string is a text binding. */
@customElement('phoenix-tasks')
export class PhoenixTasks extends LitElement {
  @state() runs: RunView[] = []
  @state() exports: ExportOption[] = []
  @state() presets: PresetView[] = []
  @state() form?: StartForm
  @state() formErrors: string[] = []
  @state() python = ''
  @state() selected?: string
  @state() eta?: EtaView
  @state() log: string[] = []
  @state() error?: string
  @state() showForm = true
  /** Points of the selected run by step (a resumed run may log a step again; the later one wins). */
  private points = new Map<number, MetricPoint>()
  private charts = new Map<string, uPlot>()

  createRenderRoot() {
    return this
  }

  connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener('message', (e) => {
      const m = parseHostToTasks(e.data)
      if (!m) return
      switch (m.type) {
        case 'init':
          this.runs = m.runs
          this.exports = m.exports
          this.presets = m.presets
          this.form = m.form
          this.python = m.python
          this.selected ??= m.runs.find((r) => r.status === 'running')?.id
          if (this.selected) send({ type: 'select', id: this.selected })
          break
        case 'prefill':
          this.form = m.form
          if (m.exports) this.exports = m.exports
          this.formErrors = []
          this.showForm = true
          break
        case 'runs':
          this.runs = m.runs
          break
        case 'metrics':
          if (m.id !== this.selected) return
          if (m.reset) this.resetCharts()
          for (const p of m.points) this.points.set(p.step, p)
          this.eta = m.eta
          this.log = m.log
          this.updateCharts()
          this.requestUpdate()
          break
        case 'formErrors':
          this.formErrors = m.problems
          break
        case 'datasetPicked':
          if (this.form) this.form = { ...this.form, dataset: m.path }
          break
        case 'error':
          this.error = m.message
          break
      }
    })
    send({ type: 'ready' })
  }

  private setField<K extends keyof StartForm>(key: K, value: StartForm[K]): void {
    if (!this.form) return
    let form = { ...this.form, [key]: value }
    if (key === 'kind') {
      const kind = value as RunKind
      const latest = this.exports.filter((e) => e.kind === kind).sort((a, b) => b.mtime - a.mtime)[0]
      form = { ...form, preset: this.presets.find((p) => p.kind === kind)?.id ?? form.preset, dataset: latest?.path ?? '', outputDir: form.outputDir.replace(/(^|\/)(sft|dpo)-/, `$1${kind}-`) }
    }
    if (key === 'launcher' && value === 'single') form.numGpus = 1
    if (key === 'launcher' && value !== 'single' && form.numGpus === 1) form.numGpus = 8
    this.form = form
  }

  private value(e: Event): string {
    return String((e.target as HTMLInputElement).value ?? '')
  }

  private start(): void {
    if (!this.form) return
    this.formErrors = []
    send({ type: 'start', form: { ...this.form, numGpus: Math.max(1, Math.floor(Number(this.form.numGpus) || 1)) } })
  }

  private select(id: string): void {
    if (this.selected === id) return
    this.selected = id
    this.resetCharts()
    this.eta = undefined
    this.log = []
    send({ type: 'select', id })
  }

  private resetCharts(): void {
    for (const c of this.charts.values()) c.destroy()
    this.charts.clear()
    this.points.clear()
  }

  private chartData(spec: ChartSpec): uPlot.AlignedData {
    const pts = [...this.points.values()].sort((a, b) => a.step - b.step)
    return [pts.map((p) => p.step), ...spec.series.map((s) => pts.map((p) => (typeof p[s.key] === 'number' ? (p[s.key] as number) : null)))] as uPlot.AlignedData
  }

  private updateCharts(): void {
    // After render: the chart containers exist once a run with points is selected.
    void this.updateComplete.then(() => {
      for (const spec of CHARTS) {
        const el = this.querySelector<HTMLElement>(`#${spec.id}`)
        if (!el) continue
        const data = this.chartData(spec)
        const has = data.slice(1).some((ys) => ys.some((y) => y !== null))
        const existing = this.charts.get(spec.id)
        if (existing) {
          existing.setData(data)
          continue
        }
        if (!has) continue
        const width = Math.max(200, Math.min(640, (el.clientWidth || this.clientWidth || 300) - 4))
        this.charts.set(
          spec.id,
          new uPlot(
            {
              width,
              height: 140,
              title: spec.title,
              scales: { x: { time: false } },
              legend: { show: spec.series.length > 1 },
              axes: [{ stroke: '#888' }, { stroke: '#888', size: 60, values: (_u: uPlot, splits: number[]) => splits.map(tick) }],
              series: [{ label: 'step' }, ...spec.series.map((s) => ({ label: s.label, stroke: s.stroke, width: 1.5, points: { show: false }, spanGaps: true }))],
            },
            data,
            el,
          ),
        )
      }
    })
  }

  private renderForm() {
    const f = this.form
    if (!f) return html`<p>Loading…</p>`
    const exports = this.exports.filter((e) => e.kind === f.kind)
    const listed = exports.some((e) => e.path === f.dataset)
    const presets = this.presets.filter((p) => p.kind === f.kind)
    return html`
      <form id="form" @submit=${(e: Event) => e.preventDefault()}>
        <div class="field"><label for="f-kind">Kind</label>
          <vscode-single-select id="f-kind" .value=${f.kind} @change=${(e: Event) => this.setField('kind', this.value(e) as RunKind)}>
            <vscode-option value="dpo" ?selected=${f.kind === 'dpo'}>DPO</vscode-option>
            <vscode-option value="sft" ?selected=${f.kind === 'sft'}>SFT</vscode-option>
          </vscode-single-select></div>
        <div class="field"><label for="f-base-model">Base model</label>
          <vscode-textfield id="f-base-model" .value=${f.baseModel} @input=${(e: Event) => this.setField('baseModel', this.value(e))}></vscode-textfield></div>
        <div class="field"><label for="f-dataset">Dataset</label>
          <div class="row">
            <vscode-single-select id="f-dataset" .value=${f.dataset} @change=${(e: Event) => this.setField('dataset', this.value(e))}>
              ${exports.map((e) => html`<vscode-option value=${e.path} ?selected=${e.path === f.dataset}>${e.label}</vscode-option>`)}
              ${!listed && f.dataset ? html`<vscode-option value=${f.dataset} selected>${f.dataset}</vscode-option>` : nothing}
              ${!exports.length && !f.dataset ? html`<vscode-option value="" selected>(no ${f.kind} export in the workspace)</vscode-option>` : nothing}
            </vscode-single-select>
            <vscode-button id="browse" secondary @click=${() => send({ type: 'browseDataset', kind: f.kind })}>…</vscode-button>
          </div></div>
        <div class="field"><label for="f-preset">Preset</label>
          <vscode-single-select id="f-preset" .value=${f.preset} @change=${(e: Event) => this.setField('preset', this.value(e))}>
            ${presets.map((p) => html`<vscode-option value=${p.id} description=${p.description} ?selected=${p.id === f.preset}>${p.label}</vscode-option>`)}
          </vscode-single-select></div>
        <div class="field"><label for="f-method">Method</label>
          <vscode-single-select id="f-method" .value=${f.method} @change=${(e: Event) => this.setField('method', this.value(e) as StartForm['method'])}>
            ${FORM_METHODS.map((m) => html`<vscode-option value=${m} ?selected=${m === f.method}>${m}</vscode-option>`)}
          </vscode-single-select></div>
        <div class="field"><label for="f-launcher">Launcher</label>
          <vscode-single-select id="f-launcher" .value=${f.launcher} @change=${(e: Event) => this.setField('launcher', this.value(e) as StartForm['launcher'])}>
            ${FORM_LAUNCHERS.map((l) => html`<vscode-option value=${l} ?selected=${l === f.launcher}>${l}</vscode-option>`)}
          </vscode-single-select></div>
        <div class="field"><label for="f-gpus">GPUs</label>
          <vscode-textfield id="f-gpus" type="number" min="1" .value=${String(f.numGpus)} ?disabled=${f.launcher === 'single'} @input=${(e: Event) => this.setField('numGpus', Number(this.value(e)))}></vscode-textfield></div>
        <div class="field"><label for="f-output">Output</label>
          <vscode-textfield id="f-output" .value=${f.outputDir} @input=${(e: Event) => this.setField('outputDir', this.value(e))}></vscode-textfield></div>
        ${this.formErrors.length ? html`<ul class="errors" id="form-errors">${this.formErrors.map((p) => html`<li>${p}</li>`)}</ul>` : nothing}
        <div class="actions">
          <vscode-button id="start" @click=${() => this.start()}>Start ${f.kind.toUpperCase()} run</vscode-button>
        </div>
        <p class="hint">Python: <code>${this.python}</code></p>
      </form>`
  }

  private renderRun(r: RunView) {
    const progress = r.lastStep !== undefined ? `step ${r.lastStep}${r.totalSteps ? `/${r.totalSteps}` : ''}` : ''
    return html`<div class="run ${r.id === this.selected ? 'selected' : ''}" data-id=${r.id} data-status=${r.status} @click=${() => this.select(r.id)}>
      <span class="name">${r.kind.toUpperCase()} ${r.id}</span>
      <span class="status ${r.status}">${r.status}</span>
      <span class="meta">${progress} · ${r.method} · ${r.launcher}${r.numGpus > 1 ? ` × ${r.numGpus}` : ''} · ${r.baseModel}</span>
    </div>`
  }

  private renderDetail(r: RunView) {
    const eta = this.eta
    const hasPoints = this.points.size > 0
    const s = r.summary
    return html`<section id="detail" data-id=${r.id}>
      <h3>${r.kind.toUpperCase()} ${r.id}</h3>
      <div class="actions">
        ${r.status === 'running' ? html`<vscode-button class="stop" @click=${() => send({ type: 'stop', id: r.id })}>Stop</vscode-button>` : nothing}
        ${(r.status === 'stopped' || r.status === 'failed') && r.checkpoints > 0 ? html`<vscode-button class="resume" @click=${() => send({ type: 'resume', id: r.id })}>Resume</vscode-button>` : nothing}
        <vscode-button class="slurm" secondary @click=${() => send({ type: 'exportSlurm', id: r.id })}>Export as Slurm script</vscode-button>
        <vscode-button class="open-output" secondary @click=${() => send({ type: 'openOutput', id: r.id })}>Output folder</vscode-button>
      </div>
      ${r.message ? html`<p class="message" id="run-message">${r.message}</p>` : nothing}
      ${eta
        ? html`<p id="eta">step <span id="eta-step">${eta.step}</span>${eta.totalSteps ? html` of <span id="eta-total">${eta.totalSteps}</span>` : nothing}${r.status === 'running' ? html` · <span id="eta-text">${eta.text}</span>` : nothing}</p>
            ${eta.fraction !== null ? html`<progress max="1" .value=${eta.fraction}></progress>` : nothing}`
        : nothing}
      ${r.status === 'finished' && s
        ? html`<table class="summary" id="summary">
            <tr><td>steps</td><td>${s.steps ?? '—'}</td></tr>
            <tr><td>final loss</td><td>${fmt(s.finalLoss)}</td></tr>
            ${s.accuracy !== undefined ? html`<tr><td>reward accuracy</td><td>${fmt(s.accuracy, 3)}</td></tr><tr><td>reward margin</td><td>${fmt(s.margin)}</td></tr>` : nothing}
            <tr><td>duration</td><td>${duration(s.durationSeconds)}</td></tr>
            <tr><td>checkpoints</td><td>${r.checkpoints}</td></tr>
          </table>`
        : nothing}
      ${hasPoints ? CHARTS.filter((c) => r.kind === 'dpo' || !c.id.match(/margins|acc/)).map((c) => html`<div class="chart" id=${c.id}></div>`) : html`<p id="no-metrics">No metrics yet.</p>`}
      ${this.log.length ? html`<h3>Log</h3><pre class="log" id="log">${this.log.join('\n')}</pre>` : nothing}
    </section>`
  }

  render() {
    const selected = this.runs.find((r) => r.id === this.selected)
    const groups = STATUS_ORDER.map((s) => [s, this.runs.filter((r) => r.status === s)] as const).filter(([, rs]) => rs.length)
    return html`
      ${this.error ? html`<p class="errors" id="error">${this.error}</p>` : nothing}
      <h3><a href="#" @click=${(e: Event) => { e.preventDefault(); this.showForm = !this.showForm }}>${this.showForm ? '▾' : '▸'} New run</a></h3>
      ${this.showForm ? this.renderForm() : nothing}
      <h3>Runs</h3>
      <div id="runs">
        ${groups.length ? groups.map(([status, rs]) => html`<div class="group" data-status=${status}>${rs.map((r) => this.renderRun(r))}</div>`) : html`<p>No runs yet.</p>`}
      </div>
      ${selected ? this.renderDetail(selected) : nothing}`
  }

  updated(): void {
    this.updateCharts()
  }
}

document.body.appendChild(document.createElement('phoenix-tasks'))
