import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { classMap } from 'lit/directives/class-map.js'
import { wordDiff, type DiffPart } from '../../src/core/review/word-diff'
import type { CompletionView, FlagView, QaFlagView, RecordView, UnitView } from '../../src/protocol/review'
import { currentPair, type PickAction, type PickPair } from './picks'
import { placeUnits, type Slot } from './slots'
import { recordStyles } from './styles'
import { splitFences } from './text-blocks'

/** What the record view asks of the app; the app turns these into protocol messages. */
export interface RecordActions {
  setCursor(slot: Slot): void
  startEdit(address: string): void
  commitEdit(address: string, text: string): void
  cancelEdit(): void
  openFlag(address: string, segment: number | null): void
  unflag(flagId: string): void
  qaDecision(key: string, decision: 'confirm' | 'dismiss'): void
  toggleApprove(): void
  toggleDiff(): void
  pick(action: PickAction): void
}

// Diffs are recomputed only when a unit's texts change, not on every render.
const diffCache = new Map<string, DiffPart[]>()
function cachedDiff(a: string, b: string): DiffPart[] {
  const key = `${a.length}:${a}\u0000${b}`
  let d = diffCache.get(key)
  if (!d) {
    if (diffCache.size > 200) diffCache.clear()
    d = wordDiff(a, b)
    diffCache.set(key, d)
  }
  return d
}

/** Markdown as text: prose pre-wrapped, fenced code monospaced. Only text bindings, never HTML. */
function blocks(text: string, inCode: boolean): { tpl: TemplateResult; inCode: boolean } {
  const r = splitFences(text, inCode)
  return {
    tpl: html`${r.blocks.map((b) => (b.code ? html`<pre class="code"><code>${b.text}</code></pre>` : html`<span class="prose">${b.text}</span>`))}`,
    inCode: r.inCode,
  }
}

@customElement('phoenix-record-view')
export class RecordViewElement extends LitElement {
  static styles = recordStyles

  @property({ attribute: false }) record?: RecordView
  @property({ attribute: false }) cursor?: Slot
  @property({ attribute: false }) actions!: RecordActions
  @property({ attribute: false }) pending: PickPair | null = null
  @property({ type: Boolean }) showDiff = false
  @property({ type: Boolean }) loading = false
  @property() editing: string | null = null

  private paneScrolled = false
  private onPaneScroll = () => {
    this.paneScrolled = true
  }

  connectedCallback(): void {
    super.connectedCallback()
    this.parentElement?.addEventListener('scroll', this.onPaneScroll, { passive: true })
  }

  disconnectedCallback(): void {
    super.disconnectedCallback()
    this.parentElement?.removeEventListener('scroll', this.onPaneScroll)
  }

  protected updated(changed: PropertyValues<this>): void {
    if (changed.has('editing') && this.editing !== null) {
      // The textarea renders its inner field on its own first update, after ours.
      const ta = this.renderRoot.querySelector<LitElement>('.editor vscode-textarea')
      void ta?.updateComplete.then(() => ta.focus())
    }
    const prev = changed.get('record') as RecordView | undefined
    if (changed.has('record') && prev?.index !== this.record?.index) {
      // A new record starts at its top. Writing scrollTop forces a layout, so only when it is not there.
      const pane = this.parentElement
      if (pane && this.paneScrolled) pane.scrollTop = 0
      this.paneScrolled = false
    } else if (changed.has('cursor')) {
      this.renderRoot.querySelector('.segment.focused, .unit.focused-unit')?.scrollIntoView({ block: 'nearest' })
    }
  }

  render() {
    const r = this.record
    if (!r) return html`<section id="record" class="empty"><p class="muted">${this.loading ? 'Loading…' : 'No record selected.'}</p></section>`
    const { plain, completions } = placeUnits(r)
    return html`<section id="record" data-index=${r.index} class=${classMap({ approved: r.approved, loading: this.loading })} aria-busy=${this.loading ? 'true' : 'false'}>
      ${this.header(r)}
      ${r.error ? html`<p class="error" role="alert">${r.error}</p>` : nothing}
      <div class="columns-head" aria-hidden="true"><span>English</span><span>German</span></div>
      ${plain.map((u) => this.unit(r, u))}
      ${completions.length ? this.completions(r, completions) : nothing}
    </section>`
  }

  private header(r: RecordView) {
    const pick = r.pick
    let pickText = ''
    if (pick?.verdict === 'tie') pickText = 'tie'
    else if (pick?.verdict === 'unusable') pickText = 'unusable'
    else if (pick) pickText = `chosen ${(pick.chosen ?? 0) + 1} › rejected ${(pick.rejected ?? 0) + 1}`
    const edited = r.units.some((u) => u.machine !== undefined)
    return html`<header class="record-head">
      <h2>Record <span class="num">${r.index}</span></h2>
      <code class="pid" title=${r.promptId}>${r.promptId.slice(0, 12)}</code>
      <vscode-badge variant="counter" class="kind">${r.kind}</vscode-badge>
      <span id="approved-state" class=${r.approved ? 'is-approved' : 'muted'}>${r.approved ? '✓ approved' : 'not approved'}</span>
      ${pickText ? html`<span id="pick-state" class="pick-state">${pickText}</span>` : nothing}
      <span class="spacer"></span>
      ${edited
        ? html`<vscode-button id="diff-toggle" secondary @click=${() => this.actions.toggleDiff()}>${this.showDiff ? 'Hide diff' : 'Show diff'}</vscode-button>`
        : nothing}
      <vscode-button id="approve" ?secondary=${r.approved} @click=${() => this.actions.toggleApprove()}>${r.approved ? 'Unapprove' : 'Approve'}</vscode-button>
    </header>`
  }

  private completions(r: RecordView, list: { completion: CompletionView; units: UnitView[] }[]) {
    const shown = this.pending ?? (r.pick?.verdict === 'pair' ? currentPair(r, null) : null)
    return html`<section id="completions" aria-label="Completions">
      <div class="pick-bar">
        <span class="muted">Preference:</span>
        <vscode-button secondary id="pick-swap" @click=${() => this.actions.pick({ kind: 'swap' })}>Swap</vscode-button>
        <vscode-button secondary id="pick-tie" @click=${() => this.actions.pick({ kind: 'tie' })}>Tie</vscode-button>
        <vscode-button secondary id="pick-unusable" @click=${() => this.actions.pick({ kind: 'unusable' })}>Unusable</vscode-button>
        ${this.pending ? html`<span class="pending">pick the other one to complete the pair</span>` : nothing}
      </div>
      ${list.map(({ completion: c, units }, i) => {
        const chosen = shown?.chosen === c.index
        const rejected = shown?.rejected === c.index
        const n = i + 1
        return html`<article class=${classMap({ completion: true, 'picked-chosen': chosen, 'picked-rejected': rejected })} data-completion=${c.index}>
          <header class="completion-head">
            <span class="completion-num">${n}</span>
            <strong class="label">${c.label}</strong>
            ${c.model ? html`<span class="model">${c.model}</span>` : nothing}
            ${c.score !== undefined && c.score !== null ? html`<span class="score">score ${c.score}</span>` : nothing}
            ${chosen ? html`<span class="pick-tag chosen">chosen</span>` : nothing}
            ${rejected ? html`<span class="pick-tag rejected">rejected</span>` : nothing}
            <span class="spacer"></span>
            <vscode-button class="pick-chosen" ?secondary=${!chosen} title="Pick as chosen (${n})" @click=${() => this.actions.pick({ kind: 'chosen', n })}>Chosen ${n}</vscode-button>
            <vscode-button class="pick-rejected" ?secondary=${!rejected} title="Pick as rejected (Shift+${n})" @click=${() => this.actions.pick({ kind: 'rejected', n })}
              >Rejected ${n}</vscode-button
            >
          </header>
          ${units.length ? units.map((u) => this.unit(r, u)) : html`<p class="muted">No text at ${c.address}.</p>`}
        </article>`
      })}
    </section>`
  }

  private flagItem(f: FlagView) {
    const pending = f.id.startsWith('pending:')
    return html`<div class=${classMap({ flag: true, [`sev-${f.severity}`]: true })} data-flag-id=${f.id} data-reason=${f.reason}>
      <span class="sev">${f.severity}</span>
      <span class="reason">${f.reason}</span>
      ${f.segment !== undefined && f.segment !== null ? html`<span class="muted">segment ${f.segment + 1}</span>` : nothing}
      ${f.comment ? html`<span class="comment">${f.comment}</span>` : nothing}
      <span class="muted by">${f.reviewer}</span>
      <vscode-button class="unflag" secondary ?disabled=${pending} @click=${() => this.actions.unflag(f.id)}>Unflag</vscode-button>
    </div>`
  }

  private qaItem(q: QaFlagView) {
    return html`<div class=${classMap({ 'qa-flag': true, [`qa-${q.severity}`]: true, [`status-${q.status}`]: true })} data-key=${q.key} data-check=${q.check}>
      <span class="automatic">automatic</span>
      <span class="check">${q.check}</span>
      <span class="message">${q.message}</span>
      <span class="status">${q.status}</span>
      <vscode-button class="qa-confirm" secondary ?disabled=${q.status === 'confirmed'} @click=${() => this.actions.qaDecision(q.key, 'confirm')}>Confirm</vscode-button>
      <vscode-button class="qa-dismiss" secondary ?disabled=${q.status === 'dismissed'} @click=${() => this.actions.qaDecision(q.key, 'dismiss')}>Dismiss</vscode-button>
    </div>`
  }

  private unit(r: RecordView, u: UnitView) {
    const flags = r.flags.filter((f) => f.address === u.address)
    const unitFlags = flags.filter((f) => f.segment === undefined || f.segment === null)
    const qa = r.qaFlags.filter((q) => q.address === u.address)
    const editing = this.editing === u.address
    // flags placed on a segment show there; in the editor (one text box) all show on the unit
    const unitQa = editing ? qa : qa.filter((q) => q.segment === undefined)
    const focusedUnit = this.cursor?.address === u.address
    const edited = u.machine !== undefined
    return html`<article class=${classMap({ unit: true, 'focused-unit': focusedUnit && this.cursor?.segment === null, editing })} data-address=${u.address}>
      <header class="unit-head">
        ${u.role ? html`<span class="role">${u.role}</span>` : nothing}
        <code class="address">${u.address}</code>
        ${edited ? html`<span class="edited">edited</span>` : nothing}
        <span class="spacer"></span>
        ${editing
          ? nothing
          : html`<vscode-button class="edit" secondary @click=${() => this.actions.startEdit(u.address)}>Edit</vscode-button>
              <vscode-button class="flag-unit" secondary @click=${() => this.actions.openFlag(u.address, null)}>Flag</vscode-button>`}
      </header>
      ${unitFlags.length || unitQa.length ? html`<div class="flags">${unitFlags.map((f) => this.flagItem(f))}${unitQa.map((q) => this.qaItem(q))}</div>` : nothing}
      ${editing ? this.editor(u) : this.segments(u, flags, qa)}
      ${this.showDiff && edited && !editing ? this.diff(u) : nothing}
    </article>`
  }

  private segments(u: UnitView, flags: FlagView[], qa: QaFlagView[]) {
    if (u.segments.length === 0) {
      const src = blocks(u.source, false)
      const tgt = blocks(u.target, false)
      return html`<div class="segments"><div class="segment whole"><div class="src" lang="en">${src.tpl}</div><div class="tgt" lang="de">${tgt.tpl}</div></div></div>`
    }
    let srcCode = false
    let tgtCode = false
    return html`<div class="segments">
      ${u.segments.map((s, i) => {
        const src = blocks(s.source, srcCode)
        const tgt = blocks(s.target, tgtCode)
        srcCode = src.inCode
        tgtCode = tgt.inCode
        const focused = this.cursor?.address === u.address && this.cursor.segment === i
        const segFlags = flags.filter((f) => f.segment === i)
        const segQa = qa.filter((q) => q.segment === i)
        return html`<div
          class=${classMap({ segment: true, focused, flagged: segFlags.length > 0, 'qa-flagged': segQa.length > 0 })}
          data-segment=${i}
          aria-current=${focused ? 'true' : 'false'}
          @click=${() => this.actions.setCursor({ address: u.address, segment: i })}
        >
          <div class="src" lang="en">${src.tpl}</div>
          <div class="tgt" lang="de">${tgt.tpl}${s.target.trim() === '' ? html`<span class="muted gap">(no translation)</span>` : nothing}</div>
          <button class="seg-flag" title="Flag this segment" @click=${(e: Event) => (e.stopPropagation(), this.actions.openFlag(u.address, i))}>⚑</button>
          ${segFlags.length || segQa.length ? html`<div class="seg-flags">${segFlags.map((f) => this.flagItem(f))}${segQa.map((q) => this.qaItem(q))}</div>` : nothing}
        </div>`
      })}
    </div>`
  }

  private editor(u: UnitView) {
    const src = blocks(u.source, false)
    const lines = u.target.split('\n').length
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault()
        e.stopPropagation()
        this.actions.commitEdit(u.address, (e.currentTarget as HTMLElement & { value: string }).value)
      } else if (e.key === 'Escape') {
        e.preventDefault()
        e.stopPropagation()
        this.actions.cancelEdit()
      }
    }
    const save = () => {
      const ta = this.renderRoot.querySelector<HTMLElement & { value: string }>('.editor vscode-textarea')
      if (ta) this.actions.commitEdit(u.address, ta.value)
    }
    return html`<div class="segments editor">
      <div class="segment whole">
        <div class="src" lang="en">${src.tpl}</div>
        <div class="tgt" lang="de">
          <vscode-textarea
            class="edit-text"
            label="German translation"
            resize="vertical"
            rows=${Math.min(24, Math.max(4, lines + 1))}
            .value=${u.target}
            @keydown=${onKey}
          ></vscode-textarea>
          <div class="edit-bar">
            <vscode-button class="edit-save" @click=${save}>Save</vscode-button>
            <vscode-button class="edit-cancel" secondary @click=${() => this.actions.cancelEdit()}>Cancel</vscode-button>
            <span class="muted">Ctrl+Enter saves · Escape cancels</span>
          </div>
        </div>
      </div>
    </div>`
  }

  private diff(u: UnitView) {
    const parts = cachedDiff(u.machine ?? '', u.target)
    return html`<div class="diff-row">
      <div class="muted diff-label">machine → edited</div>
      <div class="diff" lang="de">
        ${parts.map((p) => (p.op === 0 ? html`<span>${p.text}</span>` : p.op < 0 ? html`<del>${p.text}</del>` : html`<ins>${p.text}</ins>`))}
      </div>
    </div>`
  }
}
