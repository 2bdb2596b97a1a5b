import '@vscode-elements/elements/dist/vscode-badge/index.js'
import '@vscode-elements/elements/dist/vscode-button/index.js'
import '@vscode-elements/elements/dist/vscode-option/index.js'
import '@vscode-elements/elements/dist/vscode-single-select/index.js'
import '@vscode-elements/elements/dist/vscode-textarea/index.js'
import { LitElement, html, nothing, type PropertyValues } from 'lit'
import { customElement, query, state } from 'lit/decorators.js'
import {
  FLAG_REASONS,
  REVIEW_COMMANDS,
  SEVERITIES,
  type EstimateView,
  type Filter,
  type FilterCounts,
  type FlagReason,
  type HostToReview,
  type RecordView,
  type ReviewCommandName,
  type Severity,
  type ShardInfo,
} from '../../src/protocol/review'
import './filters'
import { loadState, onHostMessage, saveState, send } from './host'
import { applyPick, type PickAction, type PickPair } from './picks'
import './record-list'
import type { ListActions, RecordList } from './record-list'
import './record-view'
import type { RecordActions } from './record-view'
import { PAGE, RowCache } from './row-cache'
import { segmentSlots, type Slot } from './slots'
import { appStyles } from './styles'

/** How far "next flagged" looks ahead through pages not yet loaded before it gives up. */
const FLAG_SCAN_PAGES = 50

interface FlagTarget {
  address: string
  segment: number | null
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'number', 'email', 'url', 'tel', 'password', ''])

function deepActiveElement(): Element | null {
  let a: Element | null = document.activeElement
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement
  return a
}

function isTextField(el: Element | null): boolean {
  if (!el) return false
  if (el instanceof HTMLTextAreaElement) return true
  if (el instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(el.type)
  return (el as HTMLElement).isContentEditable === true
}

function keyLabel(key: string): string {
  return key
    .split('+')
    .map((k) => (k.length === 1 ? k.toUpperCase() : k === 'down' ? '↓' : k === 'up' ? '↑' : k[0].toUpperCase() + k.slice(1)))
    .join('+')
    .replace('..', '…')
}

/**
 * The review webview: filters and a virtualized record list on the left, the selected record on the
 * right. It binds no shortcut keys: VS Code keybindings arrive as `command` messages. Dataset text is
 * rendered only through Lit text bindings.
 */
@customElement('phoenix-review')
export class PhoenixReview extends LitElement implements RecordActions, ListActions {
  static styles = appStyles

  @state() private shard?: ShardInfo
  @state() private counts?: FilterCounts
  @state() private filter: Filter = {}
  @state() private listLength = 0
  @state() private rowsVersion = 0
  @state() private selectedPos = -1
  @state() private record?: RecordView
  @state() private cursor = 0
  @state() private showDiff = false
  @state() private editing: string | null = null
  @state() private flagTarget: FlagTarget | null = null
  @state() private helpOpen = false
  @state() private pending: PickPair | null = null
  @state() private status: { kind: 'error' | 'info'; text: string } | null = null
  @state() private loadingIndex: number | null = null
  @state() private estimate: EstimateView | null = null

  @query('phoenix-record-list') private list?: RecordList
  @query('#flag-dialog') private flagDialog?: HTMLDialogElement
  @query('#help') private helpDialog?: HTMLDialogElement

  private cache = new RowCache()
  /** The record index the reviewer navigated to (its list position may be unknown after a filter change). */
  private selectedIndex: number | null = null
  /** openRecord sent and not answered yet: older answers are dropped so fast navigation never flickers. */
  private awaiting: number | null = null
  private pendingOpenPos: number | null = null
  private flagScan: { from: number; pagesLeft: number; lastPage: number } | null = null
  private visible = { first: 0, last: 40 }
  private inputActive = false
  private userFilterChange = false
  private stopListening?: () => void
  private pendingFlagSeq = 0

  connectedCallback(): void {
    super.connectedCallback()
    this.stopListening = onHostMessage((m) => this.onMessage(m))
    this.addEventListener('focusin', this.onFocusChange)
    this.addEventListener('focusout', this.onFocusChange)
    const saved = loadState()
    this.showDiff = saved.showDiff ?? false
    if (saved.index !== undefined) this.selectedIndex = saved.index
    send({ type: 'ready' })
  }

  disconnectedCallback(): void {
    super.disconnectedCallback()
    this.stopListening?.()
    this.removeEventListener('focusin', this.onFocusChange)
    this.removeEventListener('focusout', this.onFocusChange)
  }

  // ---- host messages ----

  private onMessage(m: HostToReview): void {
    switch (m.type) {
      case 'init': {
        const first = this.shard === undefined
        this.shard = m.shard
        this.counts = m.counts
        this.filter = m.counts.mode && m.counts.mode !== 'all' ? { mode: m.counts.mode } : {}
        this.listLength = m.counts.matching
        this.cache.reset(this.listLength, false)
        this.cache.put(0, m.rows, true)
        this.rowsVersion++
        this.requestVisible()
        // Reopen what was shown before the webview was reloaded, else the first record.
        if (first && this.selectedIndex !== null && this.selectedIndex < m.shard.rowCount) this.openIndex(this.selectedIndex, -1)
        else if (this.listLength > 0) this.openPosition(0)
        return
      }
      case 'rows':
        if (this.cache.put(m.start, m.rows)) {
          this.rowsVersion++
          this.afterRows()
        }
        return
      case 'estimate':
        this.estimate = m.estimate
        return
      case 'filtered':
        this.counts = m.counts
        // The host may change the order itself (a review sample was drawn): follow it.
        if ((this.filter.mode ?? 'all') !== m.counts.mode) this.filter = { ...this.filter, mode: m.counts.mode }
        this.listLength = m.counts.matching
        this.cache.reset(this.listLength)
        this.pendingOpenPos = null
        this.flagScan = null
        if (this.userFilterChange) {
          this.userFilterChange = false
          this.list?.scrollToTop()
          this.visible = { first: 0, last: Math.max(40, this.visible.last - this.visible.first) }
        }
        this.rowsVersion++
        this.requestVisible()
        return
      case 'record':
        this.onRecord(m.record)
        return
      case 'command':
        this.runCommand(m.name, m.arg)
        return
      case 'error':
        this.status = { kind: 'error', text: m.message }
        return
    }
  }

  private onRecord(r: RecordView): void {
    // An answer to an older openRecord while a newer one is on its way: skip it.
    if (this.awaiting !== null && r.index !== this.awaiting) return
    this.awaiting = null
    this.loadingIndex = null
    const same = this.record?.index === r.index
    this.record = r
    if (!same) {
      this.cursor = 0
      this.editing = null
      this.pending = null
      if (this.selectedIndex !== r.index) {
        // The host showed a record on its own (reveal from a diagnostic, undo): follow it in the list.
        this.selectedIndex = r.index
        this.selectedPos = this.cache.positionOf(r.index)
        if (this.selectedPos >= 0) void this.list?.scrollToPosition(this.selectedPos)
      }
      saveState({ index: r.index, showDiff: this.showDiff })
    } else {
      const slots = this.slots().length
      if (this.cursor >= slots) this.cursor = Math.max(0, slots - 1)
      if (this.editing && !r.units.some((u) => u.address === this.editing)) this.editing = null
    }
  }

  private afterRows(): void {
    if (this.pendingOpenPos !== null) {
      const row = this.cache.get(this.pendingOpenPos)
      if (row) {
        this.pendingOpenPos = null
        this.openIndex(row.index, this.selectedPos)
      }
    }
    if (this.selectedIndex !== null && this.cache.get(this.selectedPos)?.index !== this.selectedIndex) {
      const p = this.cache.positionOf(this.selectedIndex)
      if (p >= 0) this.selectedPos = p
    }
    if (this.flagScan) this.scanFlagged()
  }

  // ---- list ----

  private requestRange(first: number, last: number, margin: number): void {
    for (const r of this.cache.need(first, last, margin)) send({ type: 'requestRows', start: r.start, end: r.end })
  }

  private requestVisible(): void {
    this.requestRange(this.visible.first, this.visible.last, 1)
  }

  visibleRange(first: number, last: number): void {
    if (first < 0 || last < first) return
    this.visible = { first, last }
    this.requestRange(first, last, 1)
  }

  selectPosition(pos: number): void {
    this.openPosition(pos)
  }

  /** The selected record's position in the fresh list, or -1 when it is not known (yet). */
  private currentPosition(): number {
    if (this.selectedIndex === null) return -1
    if (this.cache.get(this.selectedPos)?.index === this.selectedIndex) return this.selectedPos
    const p = this.cache.positionOf(this.selectedIndex)
    if (p >= 0) this.selectedPos = p
    return p
  }

  private openPosition(pos: number): void {
    if (pos < 0 || pos >= this.listLength) return
    this.selectedPos = pos
    void this.list?.scrollToPosition(pos)
    const row = this.cache.get(pos)
    if (row) {
      this.pendingOpenPos = null
      this.openIndex(row.index, pos)
    } else {
      this.pendingOpenPos = pos
      this.requestRange(pos, pos, 0)
    }
  }

  private openIndex(index: number, pos: number): void {
    this.selectedIndex = index
    this.selectedPos = pos
    if (this.record?.index === index && this.awaiting === null) return
    this.awaiting = index
    this.loadingIndex = index
    send({ type: 'openRecord', index })
  }

  private step(delta: 1 | -1): void {
    this.status = null
    let pos = this.currentPosition()
    if (pos < 0 && this.selectedIndex !== null) {
      // The record left the list (filter, decision): continue from where it would have been.
      const after = this.firstPositionAfter(this.selectedIndex)
      if (after >= 0) return this.openPosition(delta > 0 ? after : after - 1)
      pos = this.selectedPos
    }
    const target = pos < 0 ? 0 : pos + delta
    if (target >= this.listLength) this.status = { kind: 'info', text: 'Last record of the list.' }
    else if (target < 0) this.status = { kind: 'info', text: 'First record of the list.' }
    else this.openPosition(target)
  }

  private firstPositionAfter(index: number): number {
    let best = -1
    for (let p = Math.max(0, this.visible.first - PAGE); p < Math.min(this.listLength, this.visible.last + PAGE); p++) {
      const r = this.cache.get(p)
      if (r && r.index > index) {
        best = p
        break
      }
    }
    return best
  }

  private nextFlagged(): void {
    this.status = null
    const from = this.currentPosition() + 1
    this.flagScan = { from, pagesLeft: FLAG_SCAN_PAGES, lastPage: Math.floor(from / PAGE) }
    this.scanFlagged()
  }

  private scanFlagged(): void {
    const scan = this.flagScan
    if (!scan) return
    for (let p = scan.from; p < this.listLength; p++) {
      const page = Math.floor(p / PAGE)
      if (page !== scan.lastPage) {
        scan.lastPage = page
        if (--scan.pagesLeft <= 0) {
          this.flagScan = null
          this.status = { kind: 'info', text: `No flagged record in the next ${FLAG_SCAN_PAGES * PAGE} rows: filter by flag to see them all.` }
          return
        }
      }
      const r = this.cache.get(p)
      if (!r) {
        scan.from = p
        this.requestRange(p, p, 0)
        return
      }
      if ((r.flags ?? 0) > 0 || (r.qaFlags ?? 0) > 0) {
        this.flagScan = null
        this.openPosition(p)
        return
      }
    }
    this.flagScan = null
    this.status = { kind: 'info', text: 'No flagged record after this one.' }
  }

  // ---- filters ----

  private setFilter = (f: Filter): void => {
    this.filter = f
    this.userFilterChange = true
    send({ type: 'setFilter', filter: f })
  }

  // ---- commands (from VS Code keybindings, via the host) ----

  private runCommand(name: ReviewCommandName, arg?: number): void {
    switch (name) {
      case 'next':
        return this.step(1)
      case 'previous':
        return this.step(-1)
      case 'nextFlagged':
        return this.nextFlagged()
      case 'nextSegment':
        return this.moveCursor(1)
      case 'previousSegment':
        return this.moveCursor(-1)
      case 'approve':
        return this.toggleApprove()
      case 'flag': {
        const slot = this.currentSlot()
        if (slot) this.openFlag(slot.address, slot.segment)
        return
      }
      case 'edit': {
        const slot = this.currentSlot()
        if (slot) this.startEdit(slot.address)
        return
      }
      case 'toggleDiff':
        return this.toggleDiff()
      case 'pickChosen':
      case 'pickRejected':
        if (typeof arg !== 'number' || arg < 1) return
        return this.pick({ kind: name === 'pickChosen' ? 'chosen' : 'rejected', n: arg })
      case 'swap':
        return this.pick({ kind: 'swap' })
      case 'tie':
        return this.pick({ kind: 'tie' })
      case 'unusable':
        return this.pick({ kind: 'unusable' })
      case 'help':
        this.helpOpen = !this.helpOpen
        return
    }
  }

  private slotsRecord?: RecordView
  private slotsCache: Slot[] = []
  /** Segment slots of the shown record, computed once per record so the cursor object stays stable. */
  private slots(): Slot[] {
    if (this.record !== this.slotsRecord) {
      this.slotsRecord = this.record
      this.slotsCache = segmentSlots(this.record)
    }
    return this.slotsCache
  }

  private currentSlot(): Slot | undefined {
    return this.slots()[this.cursor]
  }

  private moveCursor(delta: number): void {
    const n = this.slots().length
    if (!n) return
    this.cursor = Math.min(n - 1, Math.max(0, this.cursor + delta))
  }

  // ---- record actions ----

  setCursor(slot: Slot): void {
    const i = this.slots().findIndex((s) => s.address === slot.address && s.segment === slot.segment)
    if (i >= 0) this.cursor = i
  }

  startEdit(address: string): void {
    if (!this.record?.units.some((u) => u.address === address)) return
    this.editing = address
    const i = this.slots().findIndex((s) => s.address === address)
    if (i >= 0 && this.slots()[this.cursor]?.address !== address) this.cursor = i
  }

  commitEdit(address: string, text: string): void {
    const r = this.record
    const unit = r?.units.find((u) => u.address === address)
    if (r && unit && unit.target !== text) {
      send({ type: 'edit', index: r.index, address, text })
      // Shown at once; the host's refreshed record (with realigned segments) follows.
      const machine = unit.machine ?? unit.target
      const updated = {
        ...unit,
        target: text,
        machine: text === machine ? undefined : machine,
        segments: unit.segments.length <= 1 ? [{ source: unit.source, target: text }] : unit.segments,
      }
      this.record = { ...r, units: r.units.map((u) => (u === unit ? updated : u)) }
    }
    this.editing = null
    this.refocus()
  }

  cancelEdit(): void {
    this.editing = null
    this.refocus()
  }

  /** Gives focus back to the webview body so VS Code's single-key shortcuts apply again. */
  private refocus(): void {
    const el = deepActiveElement() as HTMLElement | null
    el?.blur?.()
    this.updateInputFocus()
  }

  openFlag(address: string, segment: number | null): void {
    if (!this.record) return
    this.flagTarget = { address, segment }
    this.setCursor({ address, segment })
    this.updateInputFocus()
  }

  private submitFlag(): void {
    const r = this.record
    const t = this.flagTarget
    const d = this.flagDialog
    if (!r || !t || !d) return
    const reason = (d.querySelector('#flag-reason') as HTMLElement & { value: string }).value as FlagReason
    const severity = (d.querySelector('#flag-severity') as HTMLElement & { value: string }).value as Severity
    const comment = (d.querySelector('#flag-comment') as HTMLElement & { value: string }).value.trim()
    if (!FLAG_REASONS.includes(reason) || !SEVERITIES.includes(severity)) return
    send({ type: 'flag', index: r.index, address: t.address, segment: t.segment, reason, severity, comment })
    const flag = { id: `pending:${++this.pendingFlagSeq}`, address: t.address, segment: t.segment, reason, severity, comment, reviewer: this.shard?.reviewer ?? '', automatic: false as const }
    this.record = { ...r, flags: [...r.flags, flag] }
    this.closeFlag()
  }

  private closeFlag(): void {
    this.flagTarget = null
    this.flagDialog?.close()
    this.refocus()
  }

  unflag(flagId: string): void {
    const r = this.record
    if (!r || flagId.startsWith('pending:')) return
    send({ type: 'unflag', index: r.index, flagId })
    this.record = { ...r, flags: r.flags.filter((f) => f.id !== flagId) }
  }

  qaDecision(key: string, decision: 'confirm' | 'dismiss'): void {
    const r = this.record
    if (!r) return
    send({ type: 'qaDecision', index: r.index, key, decision })
    const status = decision === 'confirm' ? 'confirmed' : 'dismissed'
    this.record = { ...r, qaFlags: r.qaFlags.map((q) => (q.key === key ? { ...q, status } : q)) }
  }

  toggleApprove(): void {
    const r = this.record
    if (!r) return
    const approved = !r.approved
    send({ type: 'approve', index: r.index, approved })
    this.record = { ...r, approved }
    if (this.currentPosition() >= 0) {
      this.cache.patch(this.selectedPos, { approved })
      this.rowsVersion++
    }
  }

  toggleDiff(): void {
    this.showDiff = !this.showDiff
    if (this.showDiff && this.record && !this.record.units.some((u) => u.machine !== undefined)) {
      this.status = { kind: 'info', text: 'No edited translation in this record: nothing to diff.' }
    }
    saveState({ index: this.record?.index, showDiff: this.showDiff })
  }

  pick(action: PickAction): void {
    const r = this.record
    if (!r) return
    const out = applyPick(r, this.pending, action)
    this.pending = out.pending
    if (out.error) {
      this.status = { kind: 'info', text: out.error }
      return
    }
    this.status = null
    if (out.send) {
      send({ type: 'pick', index: r.index, ...out.send })
      this.record = { ...r, pick: { ...out.send, reviewer: this.shard?.reviewer ?? '', ts: new Date().toISOString() } }
    }
  }

  // ---- focus: tell the host when typing, so single-key shortcuts pause ----

  private onFocusChange = (): void => {
    // focusout fires before the next element has focus: look once the move has settled.
    queueMicrotask(() => this.updateInputFocus())
  }

  private updateInputFocus(): void {
    const active = isTextField(deepActiveElement()) || this.flagTarget !== null
    if (active !== this.inputActive) {
      this.inputActive = active
      send({ type: 'inputFocus', active })
    }
  }

  // ---- rendering ----

  protected updated(changed: PropertyValues): void {
    if (changed.has('flagTarget')) {
      const d = this.flagDialog
      if (this.flagTarget && d && !d.open) {
        d.showModal()
        // The select renders its focusable face on its own first update, after ours.
        const reason = d.querySelector('#flag-reason') as LitElement | null
        void reason?.updateComplete.then(() => reason.focus())
      }
    }
    if (changed.has('helpOpen')) {
      const d = this.helpDialog
      if (this.helpOpen && d && !d.open) d.showModal()
      else if (!this.helpOpen && d?.open) d.close()
    }
  }

  private flagDialogTemplate() {
    const t = this.flagTarget
    // One capture-phase listener: a closed select swallows Escape (it only closes its own dropdown),
    // yet Escape anywhere in the dialog should cancel it.
    const onKey = {
      capture: true,
      handleEvent: (e: KeyboardEvent) => {
        const target = e.target as Element & { open?: boolean }
        const inner = e.composedPath()[0] as Element
        const openSelect = target.localName === 'vscode-single-select' && target.open
        if (e.key === 'Escape' && !openSelect) {
          e.preventDefault()
          e.stopPropagation()
          this.closeFlag()
        } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault()
          e.stopPropagation()
          this.submitFlag()
        } else if (e.key === 'Enter' && !(inner instanceof HTMLTextAreaElement) && !target.matches('vscode-single-select, vscode-button')) {
          e.preventDefault()
          e.stopPropagation()
          this.submitFlag()
        }
      },
    }
    return html`<dialog
      id="flag-dialog"
      aria-labelledby="flag-title"
      @keydown=${onKey}
      @cancel=${(e: Event) => (e.preventDefault(), this.closeFlag())}
    >
      ${t
        ? html`<h3 id="flag-title">Flag <code>${t.address}</code>${t.segment !== null ? html` · segment ${t.segment + 1}` : nothing}</h3>
            <label for="flag-reason">Reason</label>
            <vscode-single-select id="flag-reason" .value=${'mistranslation'}>
              ${FLAG_REASONS.map((r) => html`<vscode-option value=${r}>${r}</vscode-option>`)}
            </vscode-single-select>
            <label for="flag-severity">Severity</label>
            <vscode-single-select id="flag-severity" .value=${'major'}>
              ${SEVERITIES.map((s) => html`<vscode-option value=${s}>${s}</vscode-option>`)}
            </vscode-single-select>
            <label for="flag-comment">Comment</label>
            <vscode-textarea id="flag-comment" rows="3" placeholder="optional"></vscode-textarea>
            <div class="dialog-buttons">
              <vscode-button id="flag-submit" @click=${() => this.submitFlag()}>Flag</vscode-button>
              <vscode-button id="flag-cancel" secondary @click=${() => this.closeFlag()}>Cancel</vscode-button>
              <span class="muted">Ctrl+Enter flags · Escape cancels</span>
            </div>`
        : nothing}
    </dialog>`
  }

  private helpTemplate() {
    return html`<dialog id="help" aria-labelledby="help-title" @close=${() => (this.helpOpen = false)}>
      <h3 id="help-title">Keyboard shortcuts</h3>
      <table>
        ${REVIEW_COMMANDS.map(
          (c) => html`<tr data-command=${c.name}>
            <td><kbd>${keyLabel(c.key)}</kbd></td>
            <td>${c.title}</td>
          </tr>`,
        )}
      </table>
      <p class="muted">Rebind them under Keyboard Shortcuts (phoenix.review.*). Escape closes this.</p>
    </dialog>`
  }

  private estimateTemplate() {
    const e = this.estimate
    if (!e) return nothing
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`
    const any = e.any
    return html`<section id="estimate" aria-label="Drift estimate">
      <span class=${`verdict ${e.verdict.verdict}`}>${e.verdict.verdict}</span>
      <span class="explanation">${e.verdict.explanation}</span>
      <div class="muted">
        ${e.reviewed} of ${e.sampled} sampled reviewed (population ${e.population}) ·
        ${any.share === null ? 'no reviewed rows yet' : html`any flag ${pct(any.share)} [${pct(any.lower)}, ${pct(any.upper)}] at ${pct(e.confidence)}`}
      </div>
    </section>`
  }

  render() {
    const s = this.shard
    return html`
      <header id="shard">
        ${s
          ? html`<h1 id="name">${s.name}</h1>
              <dl>
                <dt>kind</dt>
                <dd id="kind">${s.kind ?? 'unknown'}</dd>
                <dt>format</dt>
                <dd id="format">${s.format}</dd>
                <dt>rows</dt>
                <dd id="row-count">${s.rowCount}</dd>
                <dt>mode</dt>
                <dd id="mode">${s.mode}${s.pairedWith ? html` with ${s.pairedWith}` : nothing}</dd>
                ${s.unpaired ? html`<dt>unpaired</dt><dd id="unpaired">${s.unpaired}</dd>` : nothing}
                <dt>reviewer</dt>
                <dd id="reviewer">${s.reviewer}</dd>
              </dl>`
          : html`<p>Loading…</p>`}
      </header>
      <div id="left">
        <phoenix-filters .counts=${this.counts} .filter=${this.filter} .onChange=${this.setFilter}></phoenix-filters>
        ${this.estimateTemplate()}
        <phoenix-record-list
          .cache=${this.cache}
          .actions=${this}
          .length=${this.listLength}
          .version=${this.rowsVersion}
          .selected=${this.selectedPos}
        ></phoenix-record-list>
      </div>
      <main id="right">
        <phoenix-record-view
          .record=${this.record}
          .cursor=${this.slots()[this.cursor]}
          .actions=${this}
          .pending=${this.pending}
          .showDiff=${this.showDiff}
          .loading=${this.loadingIndex !== null}
          .editing=${this.editing}
        ></phoenix-record-view>
      </main>
      <footer id="status" class=${this.status?.kind ?? ''} role="status">${this.status?.text ?? ''}</footer>
      ${this.flagDialogTemplate()} ${this.helpTemplate()}
    `
  }
}
