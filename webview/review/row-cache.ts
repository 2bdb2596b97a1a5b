import type { RowSummary } from '../../src/protocol/review'

/** Rows per request: small enough to answer fast, large enough that scrolling needs few round trips. */
export const PAGE = 200

/**
 * Pages of the current filter's list, fetched on demand. After a filter change the old pages stay
 * readable as stale until fresh ones arrive (no blank flash); navigation only trusts fresh rows.
 */
export class RowCache {
  length = 0
  private pages = new Map<number, (RowSummary | undefined)[]>()
  private stale = new Map<number, (RowSummary | undefined)[]>()
  private requested = new Set<number>()
  /** Page number → last time it was in view, for eviction. */
  private used = new Map<number, number>()
  private clock = 0

  constructor(private readonly maxPages = 100) {}

  reset(length: number, keepStale = true): void {
    this.stale = keepStale ? new Map([...this.stale, ...this.pages]) : new Map()
    this.pages = new Map()
    this.requested.clear()
    this.used.clear()
    this.length = length
  }

  /** A fresh row of the current list. */
  get(pos: number): RowSummary | undefined {
    return this.pages.get(Math.floor(pos / PAGE))?.[pos % PAGE]
  }

  /** A fresh row, else the row that was at this position before the last filter change. */
  peek(pos: number): RowSummary | undefined {
    return this.get(pos) ?? this.stale.get(Math.floor(pos / PAGE))?.[pos % PAGE]
  }

  /** Position of a record index among the fresh rows, or -1. */
  positionOf(index: number): number {
    for (const [p, rows] of this.pages) {
      const i = rows.findIndex((r) => r?.index === index)
      if (i >= 0) return p * PAGE + i
    }
    return -1
  }

  private expected(page: number): number {
    return Math.max(0, Math.min(PAGE, this.length - page * PAGE))
  }

  private complete(page: number): boolean {
    const rows = this.pages.get(page)
    if (!rows) return false
    const n = this.expected(page)
    for (let i = 0; i < n; i++) if (!rows[i]) return false
    return true
  }

  /**
   * Stores rows at positions [start, start + rows.length). Rows for a page nobody asked for and nobody
   * holds are dropped: they answer a request made for an earlier filter (`force` keeps them: the
   * first rows that come with `init`). Returns whether anything was kept.
   */
  put(start: number, rows: RowSummary[], force = false): boolean {
    let kept = false
    for (let k = 0; k < rows.length; ) {
      const pos = start + k
      if (pos >= this.length) break
      const page = Math.floor(pos / PAGE)
      const offset = pos % PAGE
      const take = Math.min(rows.length - k, PAGE - offset)
      let target = this.pages.get(page)
      if (!target && (this.requested.has(page) || force)) {
        target = []
        this.pages.set(page, target)
      }
      if (target) {
        for (let j = 0; j < take; j++) target[offset + j] = rows[k + j]
        this.stale.delete(page)
        this.used.set(page, ++this.clock)
        if (this.complete(page)) this.requested.delete(page)
        kept = true
      }
      k += take
    }
    return kept
  }

  /**
   * Ranges to request so that positions [first, last] plus `margin` pages either side are (being)
   * fetched. Marks them requested. Also evicts the pages least recently in view.
   */
  need(first: number, last: number, margin = 1): { start: number; end: number }[] {
    if (this.length === 0 || last < first) return []
    const lo = Math.max(0, Math.floor(first / PAGE) - margin)
    const hi = Math.min(Math.floor((this.length - 1) / PAGE), Math.floor(Math.min(last, this.length - 1) / PAGE) + margin)
    const out: { start: number; end: number }[] = []
    for (let p = lo; p <= hi; p++) {
      this.used.set(p, ++this.clock)
      if (this.requested.has(p) || this.complete(p)) continue
      this.requested.add(p)
      const start = p * PAGE
      const end = start + this.expected(p)
      // Adjacent pages go out as one request (the protocol allows up to 1000 rows).
      const prev = out[out.length - 1]
      if (prev && prev.end === start && end - prev.start <= 1000) prev.end = end
      else out.push({ start, end })
    }
    this.evict()
    return out
  }

  /** Whether the page holding `pos` is complete or on its way. */
  pending(pos: number): boolean {
    return this.requested.has(Math.floor(pos / PAGE))
  }

  private evict(): void {
    if (this.pages.size <= this.maxPages) return
    const byAge = [...this.pages.keys()].sort((a, b) => (this.used.get(a) ?? 0) - (this.used.get(b) ?? 0))
    for (const p of byAge.slice(0, this.pages.size - this.maxPages)) {
      this.pages.delete(p)
      this.used.delete(p)
    }
    this.stale.clear()
  }

  /** Updates a cached row in place (optimistic changes before the host's refresh). */
  patch(pos: number, change: Partial<RowSummary>): void {
    const rows = this.pages.get(Math.floor(pos / PAGE))
    const r = rows?.[pos % PAGE]
    if (rows && r) rows[pos % PAGE] = { ...r, ...change }
  }

  get pageCount(): number {
    return this.pages.size
  }
}
