import '@lit-labs/virtualizer'
import type { LitVirtualizer } from '@lit-labs/virtualizer'
import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js'
import { LitElement, html, nothing, type PropertyValues } from 'lit'
import { customElement, property, query, state } from 'lit/decorators.js'
import { classMap } from 'lit/directives/class-map.js'
import type { RowCache } from './row-cache'
import { listStyles } from './styles'

/** Row height in px (fixed in CSS, so the virtualizer's estimate is exact). */
export const ROW_HEIGHT = 36
/**
 * lit-virtualizer clamps its scroll height at 8.2M px, so at most this many rows are scrollable at once
 * (about 222k). Longer lists show a window of this many positions that moves with the selection, with
 * buttons to the rows before and after it.
 */
export const WINDOW = Math.floor(8_000_000 / ROW_HEIGHT)

/**
 * Flow layout with less rendered beyond the viewport (default 1000 px each side): the virtualizer's
 * child positioning is quadratic in the rows in the DOM, and each keyboard step pays for it.
 */
class ListLayout extends FlowLayout {
  constructor(...args: ConstructorParameters<typeof FlowLayout>) {
    super(...args)
    this._overhang = 8 * ROW_HEIGHT
  }
}
const LAYOUT = { type: ListLayout }

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
  /** First position of the window the virtualizer shows (0 unless the list is longer than WINDOW). */
  @state() windowStart = 0
  private items: number[] = []
  private itemsFor = ''
  private renderItem = (pos: number) => this.row(pos)
  private renderedVersion = -1
  private view = { first: 0, last: -1 }

  private clampWindow(start: number): number {
    return Math.max(0, Math.min(start, this.length - WINDOW))
  }

  private async moveWindow(start: number): Promise<void> {
    start = this.clampWindow(start)
    if (start === this.windowStart) return
    this.windowStart = start
    await this.updateComplete
  }

  async scrollToPosition(pos: number): Promise<void> {
    // Already in full view: scrolling would only force a layout.
    if (pos > this.view.first && pos < this.view.last) return
    if (pos < this.windowStart || pos >= this.windowStart + WINDOW) await this.moveWindow(pos - (WINDOW >> 1))
    this.virt?.element(pos - this.windowStart)?.scrollIntoView({ block: 'nearest' })
  }

  scrollToTop(): void {
    this.windowStart = 0
    if (this.virt) this.virt.scrollTop = 0
  }

  private async shift(dir: 1 | -1): Promise<void> {
    const target = dir > 0 ? this.windowStart + WINDOW : this.windowStart - 1
    await this.moveWindow(dir > 0 ? target - 100 : target - WINDOW + 100)
    this.virt?.element(target - this.windowStart)?.scrollIntoView({ block: dir > 0 ? 'start' : 'end' })
  }

  protected updated(changed: PropertyValues<this>): void {
    if (!changed.has('selected')) return
    // The rows in the DOM keep their templates; move the selection marks by hand.
    for (const el of this.renderRoot.querySelectorAll('.row.selected')) {
      el.classList.remove('selected')
      el.setAttribute('aria-selected', 'false')
    }
    const el = this.renderRoot.querySelector(`.row[data-pos="${this.selected}"]`)
    el?.classList.add('selected')
    el?.setAttribute('aria-selected', 'true')
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
    const start = this.clampWindow(this.windowStart)
    const count = Math.min(this.length, WINDOW)
    if (this.itemsFor !== `${start}:${count}`) {
      this.itemsFor = `${start}:${count}`
      this.items = Array.from({ length: count }, (_, i) => start + i)
    }
    // A new renderItem makes the virtualizer redraw the rows in view: needed when rows arrived, not when
    // only the selection moved (updated() flips those two rows).
    if (this.renderedVersion !== this.version) {
      this.renderedVersion = this.version
      this.renderItem = (pos: number) => this.row(pos)
    }
    const renderItem = this.renderItem
    const before = start > 0
    const after = start + count < this.length
    return html`${before
        ? html`<button class="window-shift" id="rows-before" @click=${() => this.shift(-1)}>▲ rows before ${start}</button>`
        : nothing}
      <lit-virtualizer
        id="list"
        scroller
        role="listbox"
        aria-label="Records"
        .items=${this.items}
        .layout=${LAYOUT}
        .renderItem=${renderItem}
        @visibilityChanged=${(e: Event & { first: number; last: number }) => {
          this.view = { first: start + e.first, last: start + e.last }
          this.actions.visibleRange(start + e.first, start + e.last)
        }}
      ></lit-virtualizer>
      ${after
        ? html`<button class="window-shift" id="rows-after" @click=${() => this.shift(1)}>▼ rows after ${start + count - 1}</button>`
        : nothing}`
  }
}
