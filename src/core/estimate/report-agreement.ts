/** The QA report's "automatic flags vs reviewers" table, from the shard's review sample. */
import type { QaConfig } from '../qa/config'
import type { QaAgreementView } from '../qa/report'
import type { QaRuntime } from '../qa/types'
import { openShard } from '../records/open'
import { qaAgreement, sampledQaFlags } from './agreement'
import { loadDecisions, sampleOutcomes } from './decisions'
import { planPath, readPlan } from './sample'

/** Null when the shard has no sample yet or nothing to compare against. */
export async function sampleAgreement(workspace: string, targetPath: string, sourcePath: string | undefined, config: QaConfig, runtime: QaRuntime): Promise<QaAgreementView | null> {
  const plan = readPlan(planPath(workspace, targetPath))
  if (!plan) return null
  const target = await openShard(targetPath)
  const source = sourcePath ? await openShard(sourcePath) : undefined
  try {
    const auto = await sampledQaFlags(plan, target, source, config, runtime)
    if (!auto) return null
    const { state } = await loadDecisions(workspace, [targetPath])
    const a = qaAgreement(sampleOutcomes(plan, state, config), auto)
    return { rows: a.rows, checks: [a.any, ...a.checks].map((c) => ({ check: c.check, tp: c.tp, fp: c.fp, fn: c.fn, precision: c.precision, recall: c.recall })) }
  } finally {
    await target.close()
    await source?.close()
  }
}
