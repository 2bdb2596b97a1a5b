/**
 * One similarity per record for filters (export's --min-similarity): the lowest cosine between a unit's
 * English text and its translation, over the record's units with text on both sides, i.e. the worst
 * segment decides, as the QA check flags segment by segment. Texts are embedded many records per request.
 */
import { openPaired, type PairedShards } from '../records/paired'
import { pairCosines } from './checks/similarity'
import type { SimilarityProvider } from './types'

/** The similarity of one record's units (the lowest cosine); undefined when no unit has text on both sides. */
export async function unitsSimilarity(units: readonly { source: string; target: string }[], provider: SimilarityProvider): Promise<number | undefined> {
  const both = units.filter((u) => u.source.trim() && u.target.trim())
  return both.length ? Math.min(...(await pairCosines(both, provider))) : undefined
}

export async function recordSimilarities(paired: PairedShards, provider: SimilarityProvider, textsPerRequest = 256): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  let pending: { promptId: string; source: string; target: string }[] = []
  const flush = async () => {
    if (!pending.length) return
    const sims = await pairCosines(pending, provider)
    pending.forEach((p, i) => out.set(p.promptId, Math.min(out.get(p.promptId) ?? Infinity, sims[i])))
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
