/**
 * Runs in the test page before media/review.js: a double of everything on the VS Code side of the
 * webview boundary.
 * - `acquireVsCodeApi` records every message the webview posts and answers it like the review editor host
 *   does (init, rows, filtered, record; decisions re-send the record and its row), from the data set the
 *   test generated (tests/fixtures.ts).
 * - The keybinding dispatch double maps key presses to `command` messages with the keybindings of
 *   package.json, honouring `when` clauses on `phoenix.review.inputFocus` as VS Code would.
 */
import {
  FLAG_REASONS,
  REVIEW_COMMANDS,
  parseReviewToHost,
  type FilterCounts,
  type Filter,
  type FlagReason,
  type HostToReview,
  type RecordView,
  type ReviewCommandName,
  type RowSummary,
} from '../../src/protocol/review'
import { syntheticReason, syntheticRecord, syntheticRow, type HostDataSpec, type Keybinding } from './fixtures'

interface PhoenixTestGlobals {
  /** Every message the webview posted, raw, in order. */
  posted: unknown[]
  /** Messages the host double received that the protocol's validator rejected. */
  invalid: unknown[]
  /** Commands the keybinding dispatch double sent. */
  dispatched: { name: string; arg?: number }[]
  violations: string[]
  /** When false the host double answers nothing (the test pushes messages itself). */
  autoAnswer: boolean
  inputFocus: boolean
  push(m: HostToReview): void
  records: Map<number, RecordView>
}

declare global {
  interface Window {
    __phoenix: PhoenixTestGlobals
    __xss?: unknown
    acquireVsCodeApi(): unknown
  }
}

const spec = JSON.parse(document.getElementById('phoenix-test-data')!.textContent!) as HostDataSpec

const overrides = new Map<number, RowSummary>((spec.rows ?? []).map((r) => [r.index, r]))
const records = new Map<number, RecordView>((spec.records ?? []).map((r) => [r.index, r]))
// Decisions made during the test: the double's journal.
const decided = new Map<number, Partial<RowSummary>>()

const rowAt = (i: number): RowSummary => ({ ...(overrides.get(i) ?? syntheticRow(i)), ...decided.get(i) })
const recordAt = (i: number): RecordView => {
  let r = records.get(i)
  if (!r) {
    r = syntheticRecord(i)
    records.set(i, r)
  }
  return r
}
const reasonsOf = (i: number): FlagReason[] => {
  const rec = records.get(i)
  if (rec) return rec.flags.map((f) => f.reason)
  return (rowAt(i).flags ?? 0) > 0 ? [syntheticReason(i)] : []
}

let visible: Int32Array = Int32Array.from({ length: spec.rowCount }, (_, i) => i)

function applyFilter(f: Filter): FilterCounts {
  const counts: FilterCounts = { mode: f.mode ?? 'all', total: spec.rowCount, matching: 0, flagged: 0, automatic: 0, reviewed: 0, unreviewed: 0, byReason: {}, reviewers: {} }
  const keep: number[] = []
  const needle = f.text?.toLowerCase()
  for (let i = 0; i < spec.rowCount; i++) {
    const r = rowAt(i)
    const reasons = reasonsOf(i)
    const auto = (r.qaFlags ?? 0) > 0
    const human = (r.flags ?? 0) > 0
    if (human) counts.flagged++
    if (auto) counts.automatic++
    if (r.reviewed) {
      counts.reviewed++
      counts.reviewers.alice = (counts.reviewers.alice ?? 0) + 1
    } else counts.unreviewed++
    for (const x of reasons) counts.byReason[x] = (counts.byReason[x] ?? 0) + 1
    if (f.flag === 'any' && !human && !auto) continue
    if (f.flag === 'none' && (human || auto)) continue
    if (f.flag === 'automatic' && !auto) continue
    if (f.flag && (FLAG_REASONS as readonly string[]).includes(f.flag) && !reasons.includes(f.flag as FlagReason)) continue
    if (f.reviewed === 'reviewed' && !r.reviewed) continue
    if (f.reviewed === 'unreviewed' && r.reviewed) continue
    if (f.reviewer && (f.reviewer !== 'alice' || !r.reviewed)) continue
    if (f.ratioMin !== undefined && !((r.lengthRatio ?? 0) >= f.ratioMin)) continue
    if (f.ratioMax !== undefined && !((r.lengthRatio ?? 0) <= f.ratioMax)) continue
    if (needle && !(r.preview ?? '').toLowerCase().includes(needle)) continue
    keep.push(i)
  }
  visible = Int32Array.from(keep)
  counts.matching = keep.length
  return counts
}

const g: PhoenixTestGlobals = {
  posted: [],
  invalid: [],
  dispatched: [],
  violations: [],
  autoAnswer: !(window as unknown as { __phoenixManual?: boolean }).__phoenixManual,
  inputFocus: false,
  push: (m) => window.postMessage(m, '*'),
  records,
}
window.__phoenix = g

document.addEventListener('securitypolicyviolation', (e) => g.violations.push(`${e.violatedDirective} ${e.blockedURI}`))

const reply = (m: HostToReview) => g.push(m)

/** Like the real host: a decision re-sends the open record and refreshes its row in the list. */
function refresh(index: number): void {
  reply({ type: 'record', record: recordAt(index) })
  const pos = visible.indexOf(index)
  if (pos >= 0) reply({ type: 'rows', start: pos, rows: [rowAt(index)] })
}

let flagSeq = 0
function answer(raw: unknown): void {
  const m = parseReviewToHost(raw)
  if (!m) {
    g.invalid.push(raw)
    return
  }
  if (m.type === 'inputFocus') g.inputFocus = m.active
  if (!g.autoAnswer) return
  switch (m.type) {
    case 'ready': {
      const counts = applyFilter({})
      const n = Math.min(spec.initRows ?? 100, visible.length)
      reply({ type: 'init', shard: spec.shard, rows: Array.from({ length: n }, (_, p) => rowAt(visible[p])), counts })
      return
    }
    case 'requestRows': {
      const rows: RowSummary[] = []
      for (let p = m.start; p < Math.min(m.end, visible.length); p++) rows.push(rowAt(visible[p]))
      reply({ type: 'rows', start: m.start, rows })
      return
    }
    case 'setFilter':
      reply({ type: 'filtered', counts: applyFilter(m.filter) })
      return
    case 'openRecord':
      reply({ type: 'record', record: recordAt(m.index) })
      return
    case 'edit': {
      const r = recordAt(m.index)
      r.units = r.units.map((u) => (u.address === m.address ? { ...u, machine: u.machine ?? u.target, target: m.text, segments: [{ source: u.source, target: m.text }] } : u))
      decided.set(m.index, { ...decided.get(m.index), reviewed: true })
      refresh(m.index)
      return
    }
    case 'flag': {
      const r = recordAt(m.index)
      r.flags = [...r.flags, { id: `flag-${++flagSeq}`, address: m.address, segment: m.segment, reason: m.reason, severity: m.severity, comment: m.comment || undefined, reviewer: spec.shard.reviewer, automatic: false }]
      decided.set(m.index, { ...decided.get(m.index), flags: r.flags.length, reviewed: true })
      refresh(m.index)
      return
    }
    case 'unflag': {
      const r = recordAt(m.index)
      r.flags = r.flags.filter((f) => f.id !== m.flagId)
      decided.set(m.index, { ...decided.get(m.index), flags: r.flags.length })
      refresh(m.index)
      return
    }
    case 'qaDecision': {
      const r = recordAt(m.index)
      r.qaFlags = r.qaFlags.map((q) => (q.key === m.key ? { ...q, status: m.decision === 'confirm' ? 'confirmed' : 'dismissed' } : q))
      refresh(m.index)
      return
    }
    case 'approve': {
      const r = recordAt(m.index)
      r.approved = m.approved
      decided.set(m.index, { ...decided.get(m.index), approved: m.approved, reviewed: true })
      refresh(m.index)
      return
    }
    case 'pick': {
      const r = recordAt(m.index)
      r.pick = { chosen: m.chosen, rejected: m.rejected, verdict: m.verdict, reviewer: spec.shard.reviewer, ts: new Date().toISOString() }
      refresh(m.index)
      return
    }
    default:
      return
  }
}

window.acquireVsCodeApi = () => {
  let state: unknown
  return {
    postMessage(m: unknown) {
      // Structured clone, as VS Code's IPC does: the webview keeps no reference into the host's copy.
      const copy = structuredClone(m)
      g.posted.push(copy)
      answer(copy)
    },
    getState: () => state,
    setState: (s: unknown) => {
      state = s
    },
  }
}

// ---- keybinding dispatch double ----

interface Chord {
  ctrl: boolean
  shift: boolean
  alt: boolean
  meta: boolean
  code: string
}

const NAMED: Record<string, string> = {
  down: 'ArrowDown',
  up: 'ArrowUp',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  enter: 'Enter',
  escape: 'Escape',
  space: 'Space',
  tab: 'Tab',
  backspace: 'Backspace',
  delete: 'Delete',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  '/': 'Slash',
  ',': 'Comma',
  '.': 'Period',
  ';': 'Semicolon',
  "'": 'Quote',
  '[': 'BracketLeft',
  ']': 'BracketRight',
  '\\': 'Backslash',
  '`': 'Backquote',
  '-': 'Minus',
  '=': 'Equal',
}

export function parseChord(key: string): Chord | undefined {
  const parts = key.toLowerCase().split('+')
  const main = parts.pop()!
  const mods = new Set(parts)
  let code: string | undefined
  if (/^[a-z]$/.test(main)) code = `Key${main.toUpperCase()}`
  else if (/^[0-9]$/.test(main)) code = `Digit${main}`
  else if (/^f([1-9]|1[0-2])$/.test(main)) code = main.toUpperCase()
  else code = NAMED[main]
  if (!code) return undefined
  return { ctrl: mods.has('ctrl'), shift: mods.has('shift'), alt: mods.has('alt'), meta: mods.has('meta') || mods.has('cmd'), code }
}

/** package.json's keybindings when it has them, else REVIEW_COMMANDS' default keys ("1..4" expanded). */
function bindings(): Keybinding[] {
  if (spec.keybindings.length) return spec.keybindings
  const out: Keybinding[] = []
  for (const c of REVIEW_COMMANDS) {
    const range = /^(.*?)(\d)\.\.(\d)$/.exec(c.key)
    if (range) for (let n = Number(range[2]); n <= Number(range[3]); n++) out.push({ command: `phoenix.review.${c.name}`, key: `${range[1]}${n}`, args: n })
    else out.push({ command: `phoenix.review.${c.name}`, key: c.key })
  }
  return out
}

function whenHolds(when: string | undefined): boolean {
  if (!when) return true
  const ctx: Record<string, unknown> = { activeCustomEditorId: 'phoenix.review', 'phoenix.review.inputFocus': g.inputFocus }
  return when.split('&&').every((term) => {
    const t = term.trim()
    const eq = /^([\w.]+)\s*==\s*'([^']*)'$/.exec(t)
    if (eq) return ctx[eq[1]] === eq[2]
    if (t.startsWith('!')) return !ctx[t.slice(1).trim()]
    return !!ctx[t]
  })
}

const table = bindings()
  .filter((b) => b.command.startsWith('phoenix.review.'))
  .map((b) => ({ ...b, chord: parseChord(b.key) }))

window.addEventListener('keydown', (e) => {
  for (const b of table) {
    const c = b.chord
    if (!c || c.code !== e.code || c.ctrl !== e.ctrlKey || c.shift !== e.shiftKey || c.alt !== e.altKey || c.meta !== e.metaKey) continue
    if (!whenHolds(b.when)) continue
    e.preventDefault()
    const name = b.command.slice('phoenix.review.'.length) as ReviewCommandName
    const arg = typeof b.args === 'number' ? b.args : undefined
    g.dispatched.push(arg === undefined ? { name } : { name, arg })
    // VS Code runs the command in the host, which forwards it to the webview.
    reply(arg === undefined ? { type: 'command', name } : { type: 'command', name, arg })
    return
  }
})
