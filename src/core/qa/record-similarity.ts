/**
 * One similarity per record for filters (export's --min-similarity): the lowest cosine between a unit's
 * English text and its translation, over the record's units with text on both sides, i.e. the worst
 * segment decides, as the QA check flags segment by segment. Texts are embedded many records per request.
 */
import { openPaired, type PairedShards } from '../records/paired'
import { cosine } from './checks/similarity'
import type { SimilarityProvider } from './types'

/** The similarity of one record's units (the lowest cosine); undefined when no unit has text on both sides. */
export async function unitsSimilarity(units: readonly { source: string; target: string }[], provider: SimilarityProvider): Promise<number | undefined> {
  const both = units.filter((u) => u.source.trim() && u.target.trim())
  if (!both.length) return undefined
  const vectors = await provider.embed([...both.map((u) => u.source), ...both.map((u) => u.target)])
  if (vectors.length !== both.length * 2) throw new Error(`embedding provider returned ${vectors.length} vectors for ${both.length * 2} texts`)
  let min = Infinity
  for (let i = 0; i < both.length; i++) min = Math.min(min, cosine(vectors[i]!, vectors[i + both.length]!))
  return min
}

export async function recordSimilarities(paired: PairedShards, provider: SimilarityProvider, textsPerRequest = 256): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  let pending: { promptId: string; source: string; target: string }[] = []
  const flush = async () => {
    if (!pending.length) return
    const vectors = await provider.embed([...pending.map((p) => p.source), ...pending.map((p) => p.target)])
    if (vectors.length !== pending.length * 2) throw new Error(`embedding provider returned ${vectors.length} vectors for ${pending.length * 2} texts`)
    pending.forEach((p, i) => {
      const sim = cosine(vectors[i]!, vectors[i + pending.length]!)
      out.set(p.promptId, Math.min(out.get(p.promptId) ?? Infinity, sim))
    })
    pending = []
  }
  for await (const rec of paired.records()) {
    for (const u of rec.units) if (u.source.trim() && u.target.trim()) pending.push({ promptId: rec.promptId, source: u.source, target: u.target })
    if (pending.length * 2 >= textsPerRequest) await flush()
  }
  await flush()
  return out
}

/** `recordSimilarities` of a translated shard and its English source (or its `original` fields). */
export async function shardSimilarities(target: string, source: string | undefined, provider: SimilarityProvider): Promise<Map<string, number>> {
  const paired = await openPaired(target, source)
  try {
    return await recordSimilarities(paired, provider)
  } finally {
    await paired.close()
  }
}
