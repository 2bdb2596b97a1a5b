import '@vscode-elements/elements/dist/vscode-option/index.js'
import '@vscode-elements/elements/dist/vscode-single-select/index.js'
import '@vscode-elements/elements/dist/vscode-textfield/index.js'
import { LitElement, html, nothing } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { keyed } from 'lit/directives/keyed.js'
import { FLAG_REASONS, type Filter, type FilterCounts } from '../../src/protocol/review'
import { filterStyles } from './styles'

const count = (n: number | undefined) => html` <span class="filter-count">${n ?? 0}</span>`

/** The filter bar: each option shows how many records it would match, from the host's FilterCounts. */
@customElement('phoenix-filters')
export class FiltersBar extends LitElement {
  static styles = filterStyles

  @property({ attribute: false }) counts?: FilterCounts
  @property({ attribute: false }) filter: Filter = {}
  @property({ attribute: false }) onChange: (f: Filter) => void = () => {}

  private textTimer?: ReturnType<typeof setTimeout>

  private update_(change: Partial<Filter>): void {
    const next: Filter = { ...this.filter, ...change }
    for (const k of Object.keys(next) as (keyof Filter)[]) if (next[k] === undefined || next[k] === '') delete next[k]
    this.onChange(next)
  }

  private selectValue(e: Event): string {
    return (e.target as HTMLElement & { value: string }).value
  }

  private ratio(which: 'ratioMin' | 'ratioMax', e: Event): void {
    const raw = (e.target as HTMLElement & { value: string }).value.trim()
    const v = raw === '' ? undefined : Number(raw)
    if (v !== undefined && !Number.isFinite(v)) return
    if (v !== this.filter[which]) this.update_({ [which]: v })
  }

  render() {
    const c = this.counts
    const f = this.filter
    // The selects read their options' text once per slot change; keying on the counts rebuilds them
    // when a count changes so the dropdown never shows stale numbers.
    const sig = c ? JSON.stringify(c) : ''
    const mode = f.mode ?? c?.mode ?? 'all'
    return html`<div id="filters" role="search">
      <label for="f-mode">Order</label>
      ${keyed(
        sig,
        html`<vscode-single-select id="f-mode" .value=${mode} @change=${(e: Event) => this.update_({ mode: this.selectValue(e) as Filter['mode'] })}>
          <vscode-option value="all">shard order</vscode-option>
          <vscode-option value="risk">drift risk, highest first</vscode-option>
          ${c?.sample || mode === 'sample'
            ? html`<vscode-option value="sample">review sample${c?.sample ? html`${count(c.sample.size)} rows, ${count(c.sample.reviewed)} reviewed` : nothing}</vscode-option>`
            : nothing}
        </vscode-single-select>`,
      )}
      <label for="f-flag">Flags</label>
      ${keyed(
        sig,
        html`<vscode-single-select id="f-flag" .value=${f.flag ?? ''} @change=${(e: Event) => this.update_({ flag: (this.selectValue(e) || undefined) as Filter['flag'] })}>
          <vscode-option value="">all records${c ? count(c.total) : nothing}</vscode-option>
          <vscode-option value="any">any flag${c ? html`${count(c.flagged)} flagged, ${count(c.automatic)} automatic` : nothing}</vscode-option>
          <vscode-option value="none">no flag</vscode-option>
          <vscode-option value="automatic">automatic${c ? count(c.automatic) : nothing}</vscode-option>
          ${FLAG_REASONS.map((r) => html`<vscode-option value=${r}>${r}${c ? count(c.byReason[r]) : nothing}</vscode-option>`)}
        </vscode-single-select>`,
      )}
      <label for="f-reviewed">Review</label>
      ${keyed(
        sig,
        html`<vscode-single-select id="f-reviewed" .value=${f.reviewed ?? ''} @change=${(e: Event) => this.update_({ reviewed: (this.selectValue(e) || undefined) as Filter['reviewed'] })}>
          <vscode-option value="">reviewed or not${c ? count(c.total) : nothing}</vscode-option>
          <vscode-option value="reviewed">reviewed${c ? count(c.reviewed) : nothing}</vscode-option>
          <vscode-option value="unreviewed">unreviewed${c ? count(c.unreviewed) : nothing}</vscode-option>
        </vscode-single-select>`,
      )}
      <label for="f-reviewer">Reviewer</label>
      ${keyed(
        sig,
        html`<vscode-single-select id="f-reviewer" .value=${f.reviewer ?? ''} @change=${(e: Event) => this.update_({ reviewer: this.selectValue(e) || undefined })}>
          <vscode-option value="">anyone</vscode-option>
          ${Object.entries(c?.reviewers ?? {}).map(([name, n]) => html`<vscode-option value=${name}>${name}${count(n)}</vscode-option>`)}
        </vscode-single-select>`,
      )}
      <label for="f-text">Text</label>
      <vscode-textfield
        id="f-text"
        type="search"
        placeholder="search source and translation"
        .value=${f.text ?? ''}
        @input=${(e: Event) => {
          const v = (e.target as HTMLElement & { value: string }).value
          clearTimeout(this.textTimer)
          this.textTimer = setTimeout(() => this.update_({ text: v || undefined }), 250)
        }}
      ></vscode-textfield>
      <label>Length ratio</label>
      <div class="ratio">
        <vscode-textfield id="f-ratio-min" type="number" step="0.1" min="0" placeholder="min" .value=${f.ratioMin?.toString() ?? ''} @change=${(e: Event) => this.ratio('ratioMin', e)}></vscode-textfield>
        <vscode-textfield id="f-ratio-max" type="number" step="0.1" min="0" placeholder="max" .value=${f.ratioMax?.toString() ?? ''} @change=${(e: Event) => this.ratio('ratioMax', e)}></vscode-textfield>
      </div>
      <div id="match" class="muted">${c ? html`<span id="match-count">${c.matching}</span> of ${c.total} records` : nothing}</div>
    </div>`
  }
}
