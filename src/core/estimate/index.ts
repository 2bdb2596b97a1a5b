/** Review at scale: a risk-ranked queue, seeded sample plans and sampled quality estimates. No vscode imports. */
export { Xoshiro128, type Seed } from './rng'
export { normalQuantile, zFor, fpcFactor, sampleSize, marginOfError, wilson, type Interval, type SampleSize, type SampleSizeOptions } from './stats'
export { sampleIndices, reviewOrder, drawPlan, planPath, writePlan, readPlan, PlanError, SAMPLE_METHOD, type SamplePlan, type PlanOptions } from './sample'
export {
  DEFAULT_RISK_WEIGHTS,
  riskWeights,
  explainRisk,
  riskScore,
  rankByRisk,
  riskQueue,
  riskRows,
  languageDoubt,
  medianLengthRatio,
  type RiskRow,
  type RiskWeights,
  type RiskContribution,
  type RiskExplanation,
  type RiskSignalOptions,
} from './risk'
export { CHECK_REASONS, reasonsOfCheck, qaSeverityOf, loadDecisions, sampleOutcomes, type RowOutcome, type RowStatus, type LoadedDecisions } from './decisions'
export { estimateDrift, acceptance, type DriftEstimate, type ShareEstimate, type Acceptance, type AcceptanceCriterion, type Verdict, type EstimateOptions } from './estimate'
export { qaAgreement, sampledQaFlags, type QaAgreement, type CheckAgreement, type AutoFlags } from './agreement'
