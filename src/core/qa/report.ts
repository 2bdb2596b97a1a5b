/**
 * Whole-shard QA summary for the "QA Report" view: counts per check and severity, a length-ratio
 * histogram, a similarity histogram when similarity ran, and the worst records.
 */
import type { PairedShards } from '../records/paired'
import type { QaConfig } from './config'
import { unitsSimilarity } from './record-similarity'
import { qaRecord, qaRecordAsync } from './engine'
import type { QaRuntime, QaUnit, SimilarityProvider } from './types'

export interface Histogram {
  /** Left edges of the bins; the last bin is open to the right. */
  edges: number[]
  counts: number[]
}

export interface WorstRecord {
  promptId: string
  line?: number
  score: number
  flags: number
  /** The most severe flag's message. */
  top: string
}

export interface QaReport {
  file: string
  records: number
  flaggedRecords: number
  byCheck: Record<string, { error: number; warning: number; info: number }>
  lengthRatio: Histogram
  similarity: Histogram | null
  worst: WorstRecord[]
  unpaired: number
  /** How automatic flags agree with reviewers on the review sample (per check), when a sample was reviewed. */
  agreement?: QaAgreementView | null
}

export interface QaAgreementView {
  rows: number
  checks: { check: string; tp: number; fp: number; fn: number; precision: number | null; recall: number | null }[]
}

const WEIGHT = { error: 3, warning: 1, info: 0.2 } as const
const RATIO_EDGES = Array.from({ length: 31 }, (_, i) => Math.round(i * 0.1 * 10) / 10) // 0.0 … 3.0
/** Cosine bins 0.00 … 0.95 in 0.05 steps; the first bin also holds negative cosines, the last one 1.0. */
const SIMILARITY_EDGES = Array.from({ length: 20 }, (_, i) => Math.round(i * 5) / 100)

function bin(h: Histogram, v: number): void {
  let i = h.edges.length - 1
  while (i > 0 && v < h.edges[i]) i--
  h.counts[i]++
}

/**
 * Embeds a record's texts once: the histogram reads the vectors, then the similarity check asks for the
 * same texts and is answered from the cache (cleared per record, so memory stays one record's worth).
 */
class RecordEmbeddings implements SimilarityProvider {
  private cache = new Map<string, number[]>()
  constructor(private readonly inner: SimilarityProvider) {}

  async embed(texts: string[]): Promise<number[][]> {
    const missing = [...new Set(texts.filter((t) => !this.cache.has(t)))]
    if (missing.length) {
      const vectors = await this.inner.embed(missing)
      if (vectors.length !== missing.length) throw new Error(`embedding provider returned ${vectors.length} vectors for ${missing.length} texts`)
      missing.forEach((t, i) => this.cache.set(t, vectors[i]))
    }
    return texts.map((t) => this.cache.get(t)!)
  }

  /** Lowest source/target cosine of the record's non-empty pairs; undefined when it has none. */
  async minCosine(units: readonly QaUnit[]): Promise<number | undefined> {
    this.cache.clear()
    return unitsSimilarity(units, this)
  }
}

/**
 * `similarity` (or `runtime.similarity`) fills the histogram of each record's lowest source/target cosine
 * and runs the similarity check; without one the report is rule checks only and `similarity` is null.
 */
export async function qaReport(paired: PairedShards, config: QaConfig, runtime: QaRuntime, worstCount = 50, similarity?: SimilarityProvider): Promise<QaReport> {
  const byCheck: QaReport['byCheck'] = {}
  const lengthRatio: Histogram = { edges: RATIO_EDGES, counts: RATIO_EDGES.map(() => 0) }
  const provider = similarity ?? runtime.similarity
  const embeddings = provider ? new RecordEmbeddings(provider) : undefined
  const simHist: Histogram | null = embeddings ? { edges: SIMILARITY_EDGES, counts: SIMILARITY_EDGES.map(() => 0) } : null
  const asyncRuntime: QaRuntime = embeddings ? { ...runtime, similarity: embeddings } : runtime
  const worst: WorstRecord[] = []
  let records = 0
  let flaggedRecords = 0
  for await (const rec of paired.records()) {
    records++
    let s = 0
    let t = 0
    for (const u of rec.units) {
      s += u.source.length
      t += u.target.length
    }
    if (s > 0) bin(lengthRatio, t / s)
    let flags
    if (embeddings && simHist) {
      const min = await embeddings.minCosine(rec.units)
      if (min !== undefined) bin(simHist, min)
      flags = await qaRecordAsync(rec.units, config, asyncRuntime)
    } else flags = qaRecord(rec.units, config, runtime)
    if (!flags.length) continue
    flaggedRecords++
    let score = 0
    let top = flags[0]
    for (const f of flags) {
      const c = (byCheck[f.check] ??= { error: 0, warning: 0, info: 0 })
      c[f.severity]++
      score += WEIGHT[f.severity]
      if (WEIGHT[f.severity] > WEIGHT[top.severity]) top = f
    }
    const w: WorstRecord = { promptId: rec.promptId, score, flags: flags.length, top: `${top.check}: ${top.message}` }
    if (rec.targetLine !== undefined) w.line = rec.targetLine
    // Keep the worst N without sorting everything: insert, then drop the smallest.
    worst.push(w)
    if (worst.length > worstCount * 2) {
      worst.sort((a, b) => b.score - a.score)
      worst.length = worstCount
    }
  }
  worst.sort((a, b) => b.score - a.score)
  worst.length = Math.min(worst.length, worstCount)
  return { file: paired.target.path, records, flaggedRecords, byCheck, lengthRatio, similarity: simHist, worst, unpaired: paired.missingInSource.length + paired.missingInTarget.length }
}
