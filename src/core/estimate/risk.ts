/**
 * Risk of drift per row, from signals that are cheap to compute over a whole shard: automatic QA flags by
 * severity, low semantic similarity (when embeddings were computed), a length ratio far from the usual one,
 * and doubt that the translation is in the target language. The score orders the review queue; every point
 * of it comes with a reason (`explainRisk`), so a reviewer sees why a row is on top.
 */
import type { QaConfig } from '../qa/config'
import { qaRecord } from '../qa/engine'
import type { LanguageIdentifier, QaRuntime, Severity as QaSeverity } from '../qa/types'
import type { PairedShards } from '../records/paired'

/** What is known about one row. Absent signals add nothing. */
export interface RiskRow {
  /** 0-based row index in the translated shard (the index sample plans use). */
  index: number
  promptId?: string
  /** Automatic QA flags of the row. */
  qa?: readonly { check: string; severity: QaSeverity }[]
  /** Texts present on one side only (a dropped turn, an extra completion). */
  missingTexts?: number
  /** Lowest source/translation cosine similarity of the row's texts, when embeddings were computed. */
  similarity?: number
  /** Characters of all translated texts / characters of all source texts. */
  lengthRatio?: number
  /** Characters of all source texts (ratios of short texts say little). */
  sourceChars?: number
  /** 0..1: how much the language identifier doubts the translation is in the target language. */
  languageDoubt?: number
}

/** Points per signal. Exposed as settings later; every field has a default in DEFAULT_RISK_WEIGHTS. */
export interface RiskWeights {
  /** Points per QA flag by its severity. */
  severity: Record<QaSeverity, number>
  /** Multiplier per QA check (default 1), to trust some checks more than others. */
  checks: Partial<Record<string, number>>
  /** Flags of one check beyond this many add nothing (one bad table should not bury every other row). */
  maxFlagsPerCheck: number
  /** Points per text missing on one side. */
  missingText: number
  lengthRatio: {
    /** The usual translation/source character ratio (German runs about 10–20% longer than English). */
    expected: number
    /** Ratios within expected ×/÷ tolerance add nothing. */
    tolerance: number
    /** Points per doubling (or halving) beyond the tolerance band. */
    perDoubling: number
    max: number
    /** Rows with fewer source characters get no length points. */
    minSourceChars: number
  }
  similarity: {
    /** Similarities at or above this add nothing. */
    threshold: number
    /** Points per 0.1 below the threshold. */
    perTenth: number
    max: number
  }
  language: {
    /** Doubt at or below this adds nothing. */
    from: number
    /** Points at full doubt (1.0), linear from `from`. */
    weight: number
  }
}

export const DEFAULT_RISK_WEIGHTS: Readonly<RiskWeights> = Object.freeze({
  severity: { error: 3, warning: 1, info: 0.25 },
  checks: {},
  maxFlagsPerCheck: 5,
  missingText: 3,
  lengthRatio: { expected: 1.15, tolerance: 1.4, perDoubling: 3, max: 6, minSourceChars: 40 },
  similarity: { threshold: 0.85, perTenth: 1.5, max: 6 },
  language: { from: 0.3, weight: 4 },
})

/** Partial weights over the defaults (a settings object may name only what it changes). */
export function riskWeights(over: DeepPartial<RiskWeights> = {}): RiskWeights {
  const d = DEFAULT_RISK_WEIGHTS
  return {
    severity: { ...d.severity, ...over.severity },
    checks: { ...d.checks, ...(over.checks as Partial<Record<string, number>>) },
    maxFlagsPerCheck: over.maxFlagsPerCheck ?? d.maxFlagsPerCheck,
    missingText: over.missingText ?? d.missingText,
    lengthRatio: { ...d.lengthRatio, ...over.lengthRatio },
    similarity: { ...d.similarity, ...over.similarity },
    language: { ...d.language, ...over.language },
  }
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] }

export interface RiskContribution {
  signal: 'qa' | 'missing-text' | 'length-ratio' | 'similarity' | 'language'
  /** The QA check, for `qa` contributions. */
  check?: string
  points: number
  /** e.g. `2 errors from numbers (+6)`. */
  text: string
}

export interface RiskExplanation {
  index: number
  score: number
  /** Largest first; only signals that added points. */
  contributions: RiskContribution[]
  /** The contributions joined: `2 errors from numbers (+6), length ratio 0.41 (+2.8)`. */
  text: string
}

const fmt = (x: number) => String(Math.round(x * 10) / 10)
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** Every signal's points for one row, largest first. */
export function explainRisk(row: RiskRow, weights: RiskWeights = DEFAULT_RISK_WEIGHTS): RiskExplanation {
  const out: RiskContribution[] = []
  // QA: per check and severity, count × severity points × check multiplier, count capped per check.
  const groups = new Map<string, Map<QaSeverity, number>>()
  for (const f of row.qa ?? []) {
    let g = groups.get(f.check)
    if (!g) groups.set(f.check, (g = new Map()))
    g.set(f.severity, (g.get(f.severity) ?? 0) + 1)
  }
  for (const [check, bySeverity] of groups) {
    let budget = weights.maxFlagsPerCheck
    const mult = weights.checks[check] ?? 1
    for (const sev of ['error', 'warning', 'info'] as const) {
      const n = Math.min(bySeverity.get(sev) ?? 0, budget)
      budget -= n
      const points = n * weights.severity[sev] * mult
      if (points > 0) out.push({ signal: 'qa', check, points, text: `${plural(n, sev)} from ${check} (+${fmt(points)})` })
    }
  }
  if (row.missingTexts && weights.missingText > 0) {
    const points = row.missingTexts * weights.missingText
    out.push({ signal: 'missing-text', points, text: `${plural(row.missingTexts, 'text')} missing on one side (+${fmt(points)})` })
  }
  const lr = weights.lengthRatio
  if (row.lengthRatio !== undefined && Number.isFinite(row.lengthRatio) && row.lengthRatio >= 0 && (row.sourceChars ?? Infinity) >= lr.minSourceChars) {
    // Distance in doublings from the expected ratio, so 0.5× and 2× are equally far.
    const beyond = Math.abs(Math.log2(Math.max(row.lengthRatio, 1e-3) / lr.expected)) - Math.log2(lr.tolerance)
    const points = Math.min(lr.max, Math.max(0, beyond) * lr.perDoubling)
    if (points > 0) out.push({ signal: 'length-ratio', points, text: `length ratio ${row.lengthRatio.toFixed(2)} (+${fmt(points)})` })
  }
  const sim = weights.similarity
  if (row.similarity !== undefined && Number.isFinite(row.similarity)) {
    const points = Math.min(sim.max, Math.max(0, sim.threshold - row.similarity) * 10 * sim.perTenth)
    if (points > 0) out.push({ signal: 'similarity', points, text: `similarity ${row.similarity.toFixed(2)} (+${fmt(points)})` })
  }
  const lang = weights.language
  if (row.languageDoubt !== undefined && row.languageDoubt > lang.from && lang.from < 1) {
    const points = (Math.min(1, row.languageDoubt) - lang.from) / (1 - lang.from) * lang.weight
    if (points > 0) out.push({ signal: 'language', points, text: `language doubt ${row.languageDoubt.toFixed(2)} (+${fmt(points)})` })
  }
  out.sort((a, b) => b.points - a.points)
  const score = out.reduce((s, c) => s + c.points, 0)
  return { index: row.index, score, contributions: out, text: out.length ? out.map((c) => c.text).join(', ') : 'no risk signal' }
}

export function riskScore(row: RiskRow, weights: RiskWeights = DEFAULT_RISK_WEIGHTS): number {
  return explainRisk(row, weights).score
}

/** Rows with their explanations, riskiest first; equal scores keep row order (stable, lower index first). */
export function rankByRisk(rows: Iterable<RiskRow>, weights: RiskWeights = DEFAULT_RISK_WEIGHTS): RiskExplanation[] {
  const ranked = Array.from(rows, (r) => explainRisk(r, weights))
  ranked.sort((a, b) => b.score - a.score || a.index - b.index)
  return ranked
}

/** Row indices in review order, riskiest first (stable ties). */
export function riskQueue(rows: Iterable<RiskRow>, weights: RiskWeights = DEFAULT_RISK_WEIGHTS): number[] {
  return rankByRisk(rows, weights).map((r) => r.index)
}

export interface RiskSignalOptions {
  qaConfig?: QaConfig
  runtime?: QaRuntime
  /** Language of the translations (language id labels), default `de`. */
  targetLang?: string
  /** Known similarities by prompt_id (from an embeddings run); rows without one get no similarity points. */
  similarity?: ReadonlyMap<string, number>
}

// Texts shorter than this say little to a language identifier.
const MIN_LANG_CHARS = 40
const LANG_CLIP = 400

/** How much a language identifier doubts a text is in `lang`: 1 − P(lang) when it says lang, else P(other). */
export function languageDoubt(id: LanguageIdentifier, text: string, lang: string): number | undefined {
  const t = text.trim()
  if (t.length < MIN_LANG_CHARS) return undefined
  const g = id.identify(t.slice(0, LANG_CLIP))
  return g.lang === lang ? 1 - g.probability : g.probability
}

/** Streams a paired shard once and derives every row's risk signals (QA runs here; nothing is kept but numbers). */
export async function riskRows(paired: PairedShards, opts: RiskSignalOptions = {}): Promise<RiskRow[]> {
  const rows: RiskRow[] = []
  const lang = opts.targetLang ?? 'de'
  const languageId = opts.runtime?.languageId
  for await (const rec of paired.records()) {
    let src = 0
    let tgt = 0
    let doubt: number | undefined
    for (const u of rec.units) {
      src += u.source.length
      tgt += u.target.length
      if (languageId) {
        const d = languageDoubt(languageId, u.target, lang)
        if (d !== undefined && (doubt === undefined || d > doubt)) doubt = d
      }
    }
    const flags = qaRecord(rec.units, opts.qaConfig, opts.runtime ?? {})
    const row: RiskRow = { index: rec.targetIndex, promptId: rec.promptId, qa: flags.map((f) => ({ check: f.check, severity: f.severity })), sourceChars: src }
    if (src > 0) row.lengthRatio = tgt / src
    if (rec.missing.length) row.missingTexts = rec.missing.length
    if (doubt !== undefined) row.languageDoubt = doubt
    const sim = opts.similarity?.get(rec.promptId)
    if (sim !== undefined) row.similarity = sim
    rows.push(row)
  }
  return rows
}

/** The median length ratio of a shard: a better `lengthRatio.expected` than the default for unusual data. */
export function medianLengthRatio(rows: Iterable<RiskRow>, minSourceChars = DEFAULT_RISK_WEIGHTS.lengthRatio.minSourceChars): number | undefined {
  const r = Array.from(rows)
    .filter((x) => x.lengthRatio !== undefined && Number.isFinite(x.lengthRatio) && (x.sourceChars ?? Infinity) >= minSourceChars)
    .map((x) => x.lengthRatio!)
    .sort((a, b) => a - b)
  if (!r.length) return undefined
  const m = r.length >> 1
  return r.length % 2 ? r[m] : (r[m - 1] + r[m]) / 2
}
