/**
 * A review session over one shard: pairing with its source, every reviewer's journal replayed, the
 * current reviewer's not-yet-saved decisions, filters over the record list, and the record views the
 * review editor shows. The editor adapter (src/extension) owns undo/redo and save; this owns the data.
 */
import { basename } from 'node:path'
import { textAt } from '../records/address'
import { openShard, shardKind } from '../records/open'
import { hasOriginalFields, indexByPromptId, pairShards, pairUnits, pairUnitsFromOriginal, type UnitPair } from '../records/pairing'
import type { Row, SchemaKind, Shard } from '../records/types'
import type { CompletionView, EstimateView, Filter, FilterCounts, QaFlagView, RecordView, ReviewMode, RowSummary, ShardInfo } from '../../protocol/review'
import { sampleOutcomes } from '../estimate/decisions'
import { acceptance, estimateDrift, type AcceptanceCriterion, type DriftEstimate } from '../estimate/estimate'
import { explainRisk, riskScore, type RiskRow, type RiskWeights } from '../estimate/risk'
import { planPath, readPlan, reviewOrder, type SamplePlan } from '../estimate/sample'
import type { Interval } from '../estimate/stats'
import { pairedPaths } from '../records/siblings'
import { alignSegments, segmentAt } from './align'
import type { ReviewQaFlag } from '../qa/review-hooks'
import { newEvent, type ReviewEvent, type ReviewEventBody } from './events'
import { Journal, journalDir, journalPath, replayJournalDir, shardIdentity } from './journal'
import { applyEvent, isApproved, mergeRecord, openFlags, replay, type RecordState, type ReviewState } from './state'
import { cloneState } from './state-merge'
import { FLAG_REASONS, type FlagReason } from './events'

export interface SessionOptions {
  workspace: string
  file: string
  reviewer: string
  sourceLang?: string
  targetLang?: string
  /** Automatic QA over a record's text pairs; absent until a QA engine is wired in. */
  qa?: (units: UnitPair[]) => ReviewQaFlag[]
  /**
   * Semantic similarity over a record's text pairs (an embeddings request): run by `checkSimilarity` for
   * the record on screen, its flags then part of that record's view while its texts stay the same.
   */
  similarity?: (units: UnitPair[]) => Promise<ReviewQaFlag[]>
  riskWeights?: RiskWeights
  /** The shard-level acceptance rule the estimate's verdict reads (default: major drift < 5% at 95%). */
  acceptance?: AcceptanceCriterion
}

interface Entry {
  promptId: string
  sourceIndex: number
  targetIndex: number
}

const PREVIEW_CHARS = 160
/** Records whose similarity flags are kept (those a reviewer visited; one request each). */
const SIMILARITY_CACHE = 500

/** The texts a record's similarity flags were computed from. */
const textsOf = (units: UnitPair[]): string[] => units.flatMap((u) => [u.address, u.source, u.target])
const sameTexts = (a: string[], b: string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i])

/** An automatic flag in the host, where it still knows its span. */
type SpannedFlag = QaFlagView & Pick<ReviewQaFlag, 'span' | 'spanIn'>

/**
 * A flag as the editor shows it: on the segment its span falls in when its unit has several segments,
 * else on the unit. The span itself stays here (the key already names it).
 */
function onSegment(f: SpannedFlag, units: RecordView['units']): QaFlagView {
  const { span, spanIn, ...flag } = f
  const u = units.find((x) => x.address === flag.address)
  if (!span || !u || u.segments.length < 2) return flag
  const side = spanIn === 'source' ? 'source' : 'target'
  const segment = segmentAt(u[side], u.segments.map((s) => s[side]), span.start)
  return segment === undefined ? flag : { ...flag, segment }
}

export class ReviewSession {
  /** Decisions made in this editor and not yet written to the journal. */
  pending: ReviewEvent[] = []
  /** Decisions saved since the journals were read. */
  private saved: ReviewEvent[] = []
  private live: ReviewState
  /** The state as read from the journals, kept from the first decision on so that undo can rebuild `live`. */
  private base?: ReviewState
  private journal?: Journal
  /** Per entry, computed by `scan()`: translation/source length ratio and open automatic flags. */
  private ratio: Float32Array
  private qaCount: Uint16Array
  private risk: Float32Array
  private visible: Int32Array
  private filter: Filter = {}
  /** Similarity flags by prompt_id, with the texts they were computed from. */
  private similar = new Map<string, { texts: string[]; flags: ReviewQaFlag[] }>()
  scanned = false

  private constructor(
    readonly opts: SessionOptions,
    readonly kind: SchemaKind | null,
    readonly mode: 'paired' | 'original' | 'single',
    readonly target: Shard,
    readonly source: Shard | undefined,
    readonly entries: Entry[],
    readonly unpaired: number,
    journals: ReviewState,
  ) {
    this.live = journals
    this.ratio = new Float32Array(entries.length).fill(NaN)
    this.qaCount = new Uint16Array(entries.length)
    this.risk = new Float32Array(entries.length)
    this.visible = Int32Array.from(entries.keys())
  }

  static async open(opts: SessionOptions): Promise<ReviewSession> {
    const from = opts.sourceLang ?? 'en'
    const to = opts.targetLang ?? 'de'
    const file = await openShard(opts.file)
    const kind = await shardKind(file)
    let first: Row | undefined
    for await (const r of file.rows(0, 20)) if (r.row && !first) first = r.row
    let target = file
    let source: Shard | undefined
    let mode: ReviewSession['mode'] = 'single'
    if (kind && first && hasOriginalFields(first, kind)) mode = 'original'
    else {
      // The opened file may be either side: find its partner by the usual en/de naming.
      const pair = pairedPaths(opts.file, from, to)
      if (pair.pickedSource) {
        source = file
        target = await openShard(pair.target)
        mode = 'paired'
      } else if (pair.source) {
        source = await openShard(pair.source)
        mode = 'paired'
      }
    }
    let entries: Entry[]
    let unpaired = 0
    if (mode === 'paired') {
      const p = await pairShards(source!, target)
      entries = p.pairs
      unpaired = p.missingInSource.length + p.missingInTarget.length
    } else {
      const keys = await indexByPromptId(target, kind ?? undefined)
      entries = [...keys.byId].sort((a, b) => a[1] - b[1]).map(([promptId, i]) => ({ promptId, sourceIndex: i, targetIndex: i }))
    }
    // Folded journal by journal, through their snapshots: no event list of the whole shard is built.
    const { state } = await replayJournalDir(journalDir(opts.workspace, target.path))
    return new ReviewSession(opts, kind, mode, target, source, entries, unpaired, state)
  }

  get size(): number {
    return this.entries.length
  }

  get state(): ReviewState {
    return this.live
  }

  info(): ShardInfo {
    return {
      path: this.target.path,
      name: basename(this.target.path),
      kind: this.kind,
      format: this.target.format,
      rowCount: this.target.rowCount,
      mode: this.mode === 'single' ? 'single' : 'paired',
      pairedWith: this.mode === 'paired' ? basename(this.source!.path) : this.mode === 'original' ? basename(this.target.path) : undefined,
      reviewer: this.opts.reviewer,
      unpaired: this.unpaired,
    }
  }

  // ------------------------------------------------------------------------------------------ decisions

  /** Records a decision as pending (unsaved). Returns the event so the caller can undo it. */
  decide(index: number, body: ReviewEventBody): ReviewEvent {
    const entry = this.entryAt(index)
    const ev = newEvent({ reviewer: this.opts.reviewer, shard: shardIdentity(this.opts.workspace, this.target.path) }, entry.promptId, body)
    this.apply(ev)
    return ev
  }

  private apply(ev: ReviewEvent): void {
    this.base ??= cloneState(this.live)
    this.pending.push(ev)
    applyEvent(this.live, ev)
  }

  /**
   * The decision that undoes `body` once it is saved (the journal is append-only, so a saved decision is
   * undone by a later one). Computed before `body` is applied. Undefined when nothing can express it
   * (a QA verdict that had no earlier verdict).
   */
  inverse(index: number, body: ReviewEventBody): ReviewEventBody | undefined {
    const mine = this.myRecord(this.entryAt(index).promptId)
    switch (body.type) {
      case 'flag':
        return { type: 'unflag', flagId: body.flagId }
      case 'unflag': {
        const f = mine?.flags.get(body.flagId) ?? mergeRecord(this.live, this.entryAt(index).promptId).flags.find((x) => x.flagId === body.flagId)
        if (!f) return undefined
        return { type: 'flag', address: f.address, segment: f.segment ?? null, reason: f.reason, severity: f.severity, comment: f.comment, flagId: `${body.flagId}-r${Date.now().toString(36)}` }
      }
      case 'edit':
        return { type: 'edit', address: body.address, text: body.previous, previous: body.text }
      case 'approve':
      case 'unapprove':
        return mine && isApproved(mine) ? { type: 'approve' } : { type: 'unapprove' }
      case 'pick': {
        const p = mine?.pick
        // A pick of nulls with verdict 'pair' means "no pick" (see RecordView.pick).
        return p ? { type: 'pick', chosen: p.chosen, rejected: p.rejected, verdict: p.verdict } : { type: 'pick', chosen: null, rejected: null, verdict: 'pair' }
      }
      case 'qa-confirm':
      case 'qa-dismiss': {
        const d = mine?.qa.get(body.flagKey)
        return d ? { type: d.type, address: d.address, check: d.check, flagKey: d.flagKey } : undefined
      }
      default:
        return undefined
    }
  }

  /** Takes a pending event back (undo before save). Returns false when it was already saved. */
  retract(eventId: string): boolean {
    const i = this.pending.findIndex((e) => e.id === eventId)
    if (i < 0) return false
    this.pending.splice(i, 1)
    // `base` exists: `pending` was not empty.
    this.live = replay([...this.saved, ...this.pending], cloneState(this.base!))
    return true
  }

  /** Puts a retracted event back (redo). */
  restore(ev: ReviewEvent): void {
    this.apply(ev)
  }

  /** Appends pending decisions to this reviewer's journal; durable when the promise resolves. */
  async save(): Promise<void> {
    if (!this.pending.length) return
    this.journal ??= await Journal.open(journalPath(this.opts.workspace, this.target.path, this.opts.reviewer))
    const batch = this.pending
    await Promise.all(batch.map((e) => this.journal!.append(e)))
    this.saved.push(...batch)
    this.pending = this.pending.slice(batch.length)
  }

  /** Drops unsaved decisions and re-reads every journal (another window may have written). */
  async revert(): Promise<void> {
    this.pending = []
    this.saved = []
    this.base = undefined
    this.live = (await replayJournalDir(journalDir(this.opts.workspace, this.target.path))).state
  }

  /** Loads pending decisions from a hot-exit backup. */
  adoptPending(events: ReviewEvent[]): void {
    for (const e of events) this.restore(e)
  }

  async close(): Promise<void> {
    await this.journal?.close()
    await this.target.close()
    await this.source?.close()
  }

  // ---------------------------------------------------------------------------------------------- views

  /** Record index of a prompt_id, or undefined when the shard has no such record. */
  indexOf(promptId: string): number | undefined {
    this.byId ??= new Map(this.entries.map((e, i) => [e.promptId, i]))
    return this.byId.get(promptId)
  }

  private byId?: Map<string, number>

  entryAt(index: number): Entry {
    const e = this.entries[index]
    if (!e) throw new RangeError(`record ${index} out of range 0..${this.entries.length - 1}`)
    return e
  }

  myRecord(promptId: string): RecordState | undefined {
    return this.live.byReviewer.get(this.opts.reviewer)?.get(promptId)
  }

  /** Every reviewer's state for a record. */
  allRecords(promptId: string): RecordState[] {
    const out: RecordState[] = []
    for (const recs of this.live.byReviewer.values()) {
      const r = recs.get(promptId)
      if (r) out.push(r)
    }
    return out
  }

  private async unitsOf(entry: Entry): Promise<{ units: UnitPair[]; missing: number; sourceRow?: Row; targetRow?: Row; error?: string }> {
    const t = await this.target.read(entry.targetIndex)
    if (!t.row) return { units: [], missing: 0, error: t.error?.message }
    if (!this.kind) return { units: [], missing: 0, targetRow: t.row, error: 'unknown schema' }
    if (this.mode === 'original') {
      const p = pairUnitsFromOriginal(t.row, this.kind)
      return { units: p.units, missing: p.missing.length, targetRow: t.row }
    }
    if (this.mode === 'single') {
      return { units: pairUnits(t.row, t.row, this.kind).units.map((u) => ({ ...u, source: '' })), missing: 0, targetRow: t.row }
    }
    const s = await this.source!.read(entry.sourceIndex)
    if (!s.row) return { units: [], missing: 0, targetRow: t.row, error: s.error?.message }
    const p = pairUnits(s.row, t.row, this.kind)
    return { units: p.units, missing: p.missing.length, sourceRow: s.row, targetRow: t.row }
  }

  /** Latest edit of an address across reviewers (corrections are shared). */
  private editedText(promptId: string, address: string): string | undefined {
    return mergeRecord(this.live, promptId).edits.get(address)?.text
  }

  private qaFlags(promptId: string, units: UnitPair[]): SpannedFlag[] {
    const rules = this.opts.qa?.(units) ?? []
    const similar = this.similar.get(promptId)
    const flags = similar && sameTexts(similar.texts, textsOf(units)) ? [...rules, ...similar.flags] : rules
    const mine = this.myRecord(promptId)
    return flags.map((f) => {
      const d = mine?.qa.get(f.key)
      return { ...f, automatic: true, status: d ? (d.type === 'qa-confirm' ? 'confirmed' : 'dismissed') : 'open' }
    })
  }

  /** A record's text pairs with the reviewers' corrections applied. */
  private async currentUnits(entry: Entry) {
    const { units, targetRow, error } = await this.unitsOf(entry)
    const merged = mergeRecord(this.live, entry.promptId)
    return { units, current: units.map((u) => ({ ...u, target: merged.edits.get(u.address)?.text ?? u.target })), merged, targetRow, error }
  }

  /**
   * Runs the similarity hook over a record's current texts unless its flags for these texts are known.
   * `shown`, the view just built for this record, saves reading its rows again.
   * True when the record's view gained flags: show it again.
   */
  async checkSimilarity(index: number, shown?: RecordView): Promise<boolean> {
    if (!this.opts.similarity) return false
    const entry = this.entryAt(index)
    const current: UnitPair[] = shown?.index === index ? shown.units : (await this.currentUnits(entry)).current
    const texts = textsOf(current)
    const known = this.similar.get(entry.promptId)
    if (known && sameTexts(known.texts, texts)) return false
    const flags = await this.opts.similarity(current)
    this.similar.delete(entry.promptId)
    if (this.similar.size >= SIMILARITY_CACHE) this.similar.delete(this.similar.keys().next().value!)
    this.similar.set(entry.promptId, { texts, flags })
    // flags of older texts were not shown (texts differ), so only new flags change the view
    return flags.length > 0
  }

  async record(index: number): Promise<RecordView> {
    const entry = this.entryAt(index)
    const { units, current, merged, targetRow, error } = await this.currentUnits(entry)
    const flags = merged.flags.map((f) => ({ id: f.flagId, address: f.address, segment: f.segment ?? null, reason: f.reason, severity: f.severity, comment: f.comment, reviewer: f.reviewer, automatic: false as const }))
    const mine = this.myRecord(entry.promptId)
    // A resolution is final; otherwise this reviewer's own pick is what they see and change.
    const resolved = merged.resolutions.pick
    const own = mine?.pick
    const pick = resolved ? { ...resolved.value, reviewer: resolved.reviewer, ts: resolved.ts } : own ? { chosen: own.chosen, rejected: own.rejected, verdict: own.verdict, reviewer: own.reviewer, ts: own.ts } : undefined
    const unitViews = current.map((u, i) => ({
      address: u.address,
      role: u.role,
      source: u.source,
      target: u.target,
      machine: u.target !== units[i].target ? units[i].target : undefined,
      segments: alignSegments(u.source, u.target),
    }))
    const view: RecordView = {
      index,
      promptId: entry.promptId,
      kind: this.kind ?? 'unknown',
      units: unitViews,
      completions: targetRow ? completionsOf(targetRow, this.kind) : [],
      flags,
      qaFlags: this.qaFlags(entry.promptId, current).map((f) => onSegment(f, unitViews)),
      approved: mine ? isApproved(mine) : false,
      pick: pick && (pick.chosen !== null || pick.rejected !== null || pick.verdict !== 'pair') ? pick : undefined,
    }
    if (error) view.error = error
    return view
  }

  /** The machine translation at an address (before any edit), for edit events' `previous`. */
  async currentText(index: number, address: string): Promise<string | undefined> {
    const entry = this.entryAt(index)
    const edited = this.editedText(entry.promptId, address)
    if (edited !== undefined) return edited
    const t = await this.target.read(entry.targetIndex)
    return t.row ? textAt(t.row, address) : undefined
  }

  // ------------------------------------------------------------------------------------- list + filters

  /** One pass over every record: length ratios and automatic-flag counts for the list and its filters. */
  async scan(onProgress?: (done: number, total: number) => void): Promise<void> {
    for (let i = 0; i < this.entries.length; i++) {
      const row = await this.riskRowOf(i)
      this.ratio[i] = row.lengthRatio ?? NaN
      this.qaCount[i] = Math.min(65535, row.qa?.length ?? 0)
      this.risk[i] = riskScore(row, this.opts.riskWeights)
      if (onProgress && i % 1000 === 0) onProgress(i, this.entries.length)
    }
    this.scanned = true
  }

  /** The drift signals of one record: its automatic flags, missing texts and length ratio. */
  private async riskRowOf(index: number): Promise<RiskRow> {
    const entry = this.entries[index]
    const { units, missing } = await this.unitsOf(entry)
    let s = 0
    let t = 0
    for (const u of units) {
      s += u.source.length
      t += u.target.length
    }
    const row: RiskRow = { index: entry.targetIndex, promptId: entry.promptId, sourceChars: s, missingTexts: missing }
    if (s > 0 && this.mode !== 'single') row.lengthRatio = t / s
    if (this.opts.qa) row.qa = this.opts.qa(units)
    return row
  }

  private reviewedBy(promptId: string): string[] {
    return this.allRecords(promptId)
      .filter((r) => r.approval || r.flags.size || r.pick || r.edits.size || r.qa.size)
      .map((r) => r.reviewer)
  }

  private flagReasons(promptId: string): Set<FlagReason> {
    const out = new Set<FlagReason>()
    for (const r of this.allRecords(promptId)) for (const f of openFlags(r)) out.add(f.reason)
    return out
  }

  private async matchesText(entry: Entry, needle: string): Promise<boolean> {
    const { units } = await this.unitsOf(entry)
    return units.some((u) => u.source.toLowerCase().includes(needle) || (this.editedText(entry.promptId, u.address) ?? u.target).toLowerCase().includes(needle))
  }

  /** The review sample of this shard, re-read each time (the CLI or another window may draw one). */
  samplePlan(): SamplePlan | null {
    return readPlan(planPath(this.opts.workspace, this.target.path))
  }

  /** Record indices in the order of a mode: the shard's own, highest risk first, or the sample's review order. */
  private order(mode: ReviewMode): number[] {
    const all = [...this.entries.keys()]
    if (mode === 'risk') return all.sort((a, b) => this.risk[b] - this.risk[a] || a - b)
    if (mode === 'sample') {
      const plan = this.samplePlan()
      if (!plan) return []
      const byTarget = new Map(this.entries.map((e, i) => [e.targetIndex, i]))
      return reviewOrder(plan)
        .map((t) => byTarget.get(t))
        .filter((i): i is number => i !== undefined)
    }
    return all
  }

  get currentFilter(): Filter {
    return this.filter
  }

  async setFilter(filter: Filter): Promise<FilterCounts> {
    this.filter = filter
    const mode = filter.mode ?? 'all'
    const needle = filter.text?.trim().toLowerCase()
    const keep: number[] = []
    const counts: FilterCounts = { total: this.entries.length, matching: 0, flagged: 0, automatic: 0, reviewed: 0, unreviewed: 0, byReason: {}, reviewers: {}, mode }
    const plan = this.samplePlan()
    if (plan) {
      const ids = new Set(plan.promptIds)
      const reviewed = this.entries.filter((e) => ids.has(e.promptId) && this.reviewedBy(e.promptId).length > 0).length
      counts.sample = { size: plan.size, reviewed, margin: plan.margin, confidence: plan.confidence }
    }
    for (const i of this.order(mode)) {
      const e = this.entries[i]
      const reasons = this.flagReasons(e.promptId)
      const reviewers = this.reviewedBy(e.promptId)
      const auto = this.qaCount[i] > 0
      if (reasons.size) counts.flagged++
      if (auto) counts.automatic++
      if (reviewers.length) counts.reviewed++
      else counts.unreviewed++
      for (const r of reasons) counts.byReason[r] = (counts.byReason[r] ?? 0) + 1
      for (const r of reviewers) counts.reviewers[r] = (counts.reviewers[r] ?? 0) + 1
      if (filter.flag === 'any' && !reasons.size && !auto) continue
      if (filter.flag === 'none' && (reasons.size || auto)) continue
      if (filter.flag === 'automatic' && !auto) continue
      if (filter.flag && (FLAG_REASONS as readonly string[]).includes(filter.flag) && !reasons.has(filter.flag as FlagReason)) continue
      if (filter.reviewed === 'reviewed' && !reviewers.length) continue
      if (filter.reviewed === 'unreviewed' && reviewers.length) continue
      if (filter.reviewer && !reviewers.includes(filter.reviewer)) continue
      const ratio = this.ratio[i]
      if (filter.ratioMin !== undefined && !(ratio >= filter.ratioMin)) continue
      if (filter.ratioMax !== undefined && !(ratio <= filter.ratioMax)) continue
      if (needle && !(await this.matchesText(e, needle))) continue
      keep.push(i)
    }
    this.visible = Int32Array.from(keep)
    counts.matching = keep.length
    return counts
  }

  /** The shard's drift estimate from its sample, or null when no sample was drawn. */
  estimate(): EstimateView | null {
    const plan = this.samplePlan()
    return plan ? estimateOf(plan, this.live, this.opts.acceptance).view : null
  }

  get visibleCount(): number {
    return this.visible.length
  }

  /** Position in the filtered list → record index. */
  visibleAt(position: number): number | undefined {
    return position < this.visible.length ? this.visible[position] : undefined
  }

  async summaries(start: number, end: number): Promise<RowSummary[]> {
    const out: RowSummary[] = []
    for (let p = start; p < Math.min(end, this.visible.length); p++) {
      const index = this.visible[p]
      const e = this.entries[index]
      const t = await this.target.read(e.targetIndex)
      const mine = this.myRecord(e.promptId)
      const flags = this.allRecords(e.promptId).reduce((n, r) => n + openFlags(r).length, 0)
      const summary: RowSummary = {
        index,
        promptId: e.promptId,
        flags,
        qaFlags: this.qaCount[index],
        approved: mine ? isApproved(mine) : false,
        reviewed: this.reviewedBy(e.promptId).length > 0,
      }
      if (!Number.isNaN(this.ratio[index])) summary.lengthRatio = Math.round(this.ratio[index] * 100) / 100
      if (this.filter.mode === 'risk' && this.scanned) {
        const why = explainRisk(await this.riskRowOf(index), this.opts.riskWeights)
        summary.risk = Math.round(why.score * 10) / 10
        summary.riskWhy = why.text
      }
      if (t.row && this.kind) {
        const first = (this.kind === 'ultrafeedback-raw' ? t.row.instruction : t.row.prompt ?? (t.row.messages as { content?: string }[] | undefined)?.[0]?.content) as string | undefined
        if (typeof first === 'string') summary.preview = first.length > PREVIEW_CHARS ? first.slice(0, PREVIEW_CHARS) + '…' : first
      } else if (t.error) summary.error = t.error.message
      out.push(summary)
    }
    return out
  }
}

/** Reviewed rows of the sample only: decisions on other rows never enter these numbers. */
export function estimateOf(plan: SamplePlan, state: ReviewState, criterion: AcceptanceCriterion = {}): { estimate: DriftEstimate; view: EstimateView } {
  const estimate = estimateDrift(plan, sampleOutcomes(plan, state))
  const verdict = acceptance(estimate, criterion)
  const v = (x: Interval): EstimateView['any'] => ({ share: x.share, lower: x.lower, upper: x.upper, count: x.count, n: x.n })
  const byReason: EstimateView['byReason'] = {}
  for (const r of FLAG_REASONS) if (estimate.byReason[r].count > 0) byReason[r] = v(estimate.byReason[r])
  return {
    estimate,
    view: {
      population: estimate.population,
      sampled: estimate.sampled,
      reviewed: estimate.reviewed,
      confidence: estimate.confidence,
      any: v(estimate.any),
      atLeast: { minor: v(estimate.atLeast.minor), major: v(estimate.atLeast.major), critical: v(estimate.atLeast.critical) },
      byReason,
      verdict: { verdict: verdict.verdict, explanation: verdict.explanation, severity: verdict.severity, maxShare: verdict.maxShare },
    },
  }
}

function completionsOf(row: Row, kind: SchemaKind | null): CompletionView[] {
  if (kind === 'ultrafeedback-binarized') {
    const last = (k: string) => ((row[k] as unknown[]) ?? []).length - 1
    return [
      { index: 0, label: 'chosen', score: row.score_chosen as number, address: `chosen/${last('chosen')}/content` },
      { index: 1, label: 'rejected', score: row.score_rejected as number, address: `rejected/${last('rejected')}/content` },
    ]
  }
  if (kind === 'ultrafeedback-raw') {
    const cs = (row.completions as Record<string, unknown>[]) ?? []
    return cs.map((c, i) => ({ index: i, label: `completion ${i + 1}`, model: c.model as string, score: c.overall_score as number, address: `completions/${i}/response` }))
  }
  return []
}
