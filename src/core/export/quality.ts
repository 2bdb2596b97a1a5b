/**
 * The manifest's quality section: the translated shard's drift as estimated from its review sample
 * (reviewed sampled rows only), the acceptance verdict, and the residual drift this estimate implies
 * for the exported set.
 */
import { sampleOutcomes } from '../estimate/decisions'
import { acceptance, estimateDrift, type AcceptanceCriterion } from '../estimate/estimate'
import { planPath, readPlan } from '../estimate/sample'
import type { ReviewState } from '../review/state'
import type { ExportReport } from './types'

const r4 = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4)

/**
 * Reviewed rows were judged one by one (flagged ones are filtered out), so drift can only remain in the
 * exported rows nobody reviewed. Those are a uniform part of the shard as far as the sample can tell, so
 * the residual share is the shard's estimated share times the unreviewed fraction of the export, with the
 * Wilson bounds scaled the same way.
 */
export function residualDrift(workspace: string, shardPath: string, state: ReviewState, rep: Pick<ExportReport, 'rows' | 'stats'>, criterion: AcceptanceCriterion = {}) {
  const plan = readPlan(planPath(workspace, shardPath))
  if (!plan) return { estimated: false, note: 'no review sample was drawn for this shard (Phoenix: Draw Review Sample, or phoenix sample)' }
  const est = estimateDrift(plan, sampleOutcomes(plan, state))
  const verdict = acceptance(est, criterion)
  const written = rep.rows.written
  const unreviewedShare = written > 0 ? (written - (rep.stats.writtenReviewed ?? 0)) / written : 0
  const scale = (x: number | null) => r4(x === null ? null : x * unreviewedShare)
  return {
    estimated: true,
    sample: { seed: plan.seed, size: plan.size, population: plan.population, reviewed: est.reviewed, confidence: est.confidence, margin: r4(plan.margin) },
    shardDrift: {
      any: { share: r4(est.any.share), lower: r4(est.any.lower), upper: r4(est.any.upper) },
      [`${verdict.severity}OrWorse`]: { share: r4(verdict.share), lower: r4(verdict.lower), upper: r4(verdict.upper) },
    },
    acceptance: { verdict: verdict.verdict, severity: verdict.severity, maxShare: verdict.maxShare, explanation: verdict.explanation },
    residualDrift: {
      basis: 'shard estimate × share of exported rows that no reviewer judged',
      unreviewedShareOfExport: r4(unreviewedShare),
      any: { share: scale(est.any.share), lower: scale(est.any.lower), upper: scale(est.any.upper) },
      [`${verdict.severity}OrWorse`]: { share: scale(verdict.share), lower: scale(verdict.lower), upper: scale(verdict.upper) },
    },
  }
}
