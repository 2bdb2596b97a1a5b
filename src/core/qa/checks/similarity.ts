/**
 * Optional semantic similarity: cosine of source and target embeddings from a multilingual embedding model
 * (the inference server's /v1/embeddings). Off unless a SimilarityProvider is given. Pairs are embedded in
 * one batch per call: sources first, then targets.
 */
import type { QaConfig } from '../config'
import type { Flag, QaPair, SimilarityProvider } from '../types'

export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`embedding sizes differ (${a.length} vs ${b.length})`)
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i]
    na += a[i] * a[i]
    nb += b[i] * b[i]
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}

/** Cosine of each pair's source and target embeddings, from one request: sources first, then targets. */
export async function pairCosines(pairs: readonly { source: string; target: string }[], provider: SimilarityProvider): Promise<number[]> {
  if (pairs.length === 0) return []
  const vectors = await provider.embed([...pairs.map((p) => p.source), ...pairs.map((p) => p.target)])
  if (vectors.length !== pairs.length * 2) {
    throw new Error(`embedding provider returned ${vectors.length} vectors for ${pairs.length * 2} texts`)
  }
  return pairs.map((_, i) => cosine(vectors[i], vectors[i + pairs.length]))
}

export async function checkSimilarity(pairs: readonly QaPair[], config: QaConfig, provider?: SimilarityProvider): Promise<Flag[]> {
  const cfg = config.similarity
  if (!provider || !cfg.enabled || pairs.length === 0) return []
  const todo = pairs.filter((p) => p.source.trim() !== '' && p.target.trim() !== '')
  if (todo.length === 0) return []
  const sims = await pairCosines(todo, provider)
  const flags: Flag[] = []
  todo.forEach((p, i) => {
    const sim = sims[i]
    if (sim < cfg.threshold) {
      flags.push({
        address: p.address,
        check: 'similarity',
        severity: cfg.severity,
        message: `The translation's meaning looks far from the source (similarity ${sim.toFixed(2)}, expected at least ${cfg.threshold}).`,
      })
    }
  })
  return flags
}
