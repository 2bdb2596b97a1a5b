import '@lit-labs/virtualizer'
import type { LitVirtualizer } from '@lit-labs/virtualizer'
import { LitElement, html, nothing } from 'lit'
import { customElement, property, query } from 'lit/decorators.js'
import { classMap } from 'lit/directives/class-map.js'
import type { RowCache } from './row-cache'
import { listStyles } from './styles'

export interface ListActions {
  /** Positions [first, last] of the list are in view. */
  visibleRange(first: number, last: number): void
  selectPosition(pos: number): void
}

/**
 * The filtered record list. Items are positions; the row behind a position comes from the page cache,
 * so a 200k-row list costs one number per row until it is scrolled to.
 */
@customElement('phoenix-record-list')
export class RecordList extends LitElement {
  static styles = listStyles

  @property({ attribute: false }) cache!: RowCache
  @property({ attribute: false }) actions!: ListActions
  @property({ type: Number }) length = 0
  /** Bumped by the app whenever rows arrive, so visible rows re-render. */
  @property({ type: Number }) version = 0
  @property({ type: Number }) selected = -1

  @query('lit-virtualizer') private virt?: LitVirtualizer
  private items: number[] = []

  scrollToPosition(pos: number): void {
    this.virt?.element(pos)?.scrollIntoView({ block: 'nearest' })
  }

  scrollToTop(): void {
    if (this.virt) this.virt.scrollTop = 0
  }

  private row(pos: number) {
    const r = this.cache.peek(pos)
    const selected = pos === this.selected
    if (!r) {
      return html`<div class=${classMap({ row: true, loading: true, selected })} data-pos=${pos} role="option" aria-selected=${selected ? 'true' : 'false'}>
        <span class="idx">…</span><span class="preview">loading</span>
      </div>`
    }
    const flags = r.flags ?? 0
    const qa = r.qaFlags ?? 0
    return html`<div
      class=${classMap({ row: true, selected, error: !!r.error })}
      data-pos=${pos}
      data-index=${r.index}
      role="option"
      aria-selected=${selected ? 'true' : 'false'}
      @click=${() => this.actions.selectPosition(pos)}
    >
      <span class="idx">${r.index}</span>
      <span class="preview">${r.error ?? r.preview ?? ''}</span>
      <span class="badges">
        ${flags ? html`<span class="row-flags" title="open flags">⚑${flags}</span>` : nothing}
        ${qa ? html`<span class="row-qa" title="automatic flags">QA ${qa}</span>` : nothing}
        ${r.approved ? html`<span class="row-approved" title="approved">✓</span>` : nothing}
        ${r.risk !== undefined ? html`<span class="row-risk" title=${r.riskWhy ?? 'drift risk'}>risk ${Math.round(r.risk * 10) / 10}</span>` : nothing}
      </span>
      <span class="meta">
        ${r.promptId ? html`<span class="pid">${r.promptId.slice(0, 8)}</span>` : nothing}
        ${r.units !== undefined ? html`<span>${r.units} texts</span>` : nothing}
        ${r.lengthRatio !== undefined ? html`<span class="ratio">ratio ${r.lengthRatio.toFixed(2)}</span>` : nothing}
        ${r.reviewed ? html`<span class="reviewed">reviewed</span>` : nothing}
        ${r.riskWhy ? html`<span class="risk-why">${r.riskWhy}</span>` : nothing}
      </span>
    </div>`
  }

  render() {
    if (this.items.length !== this.length) this.items = Array.from({ length: this.length }, (_, i) => i)
    // A new renderItem each render makes the virtualizer redraw the rows in view with fresh data.
    const renderItem = (pos: number) => this.row(pos)
    return html`<lit-virtualizer
      id="list"
      scroller
      role="listbox"
      aria-label="Records"
      .items=${this.items}
      .renderItem=${renderItem}
      @visibilityChanged=${(e: Event & { first: number; last: number }) => this.actions.visibleRange(e.first, e.last)}
    ></lit-virtualizer>`
  }
}
