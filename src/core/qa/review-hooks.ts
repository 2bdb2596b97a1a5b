/**
 * The QA hooks a review session calls: rule checks over a record's text pairs (synchronous, also run over
 * the whole shard for the list's counts) and semantic similarity (an embeddings request, so asynchronous
 * and run only for the record on screen). Both give flags keyed like the journal's QA decisions.
 */
import type { QaFlagView } from '../../protocol/review'
import type { UnitPair } from '../records/pairing'
import type { QaConfig } from './config'
import { qaRecord } from './engine'
import { qaFlagKey } from './scan'
import { checkSimilarity } from './checks/similarity'
import type { Flag, QaRuntime, SimilarityProvider } from './types'

/** A flag as the session gets it: where in the text it points, so the session can place it on a segment. */
export type ReviewQaFlag = Omit<QaFlagView, 'status' | 'automatic' | 'segment'> & Pick<Flag, 'span' | 'spanIn'>

function view(f: Flag): ReviewQaFlag {
  const v: ReviewQaFlag = { key: qaFlagKey(f), address: f.address, check: f.check, severity: f.severity, message: f.message }
  if (f.span) {
    v.span = f.span
    v.spanIn = f.spanIn
  }
  return v
}

export function reviewRuleChecks(config: QaConfig, runtime: QaRuntime): (units: UnitPair[]) => ReviewQaFlag[] {
  return (units) => qaRecord(units, config, runtime).map(view)
}

/**
 * Similarity flags for one record. `provider` is asked on each call, so an embedding server starts on first
 * use (not when a shard opens) and a changed setting takes effect; undefined (nothing configured) or a
 * disabled check gives no flags.
 */
export function reviewSimilarity(config: QaConfig, provider: () => Promise<SimilarityProvider | undefined>): (units: UnitPair[]) => Promise<ReviewQaFlag[]> {
  return async (units) => {
    if (!config.similarity.enabled) return []
    const p = await provider()
    return p ? (await checkSimilarity(units, config, p)).map(view) : []
  }
}
