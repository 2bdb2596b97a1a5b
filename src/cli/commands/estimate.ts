import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { qaAgreement, sampledQaFlags, type QaAgreement } from '../../core/estimate/agreement'
import { loadDecisions, sampleOutcomes } from '../../core/estimate/decisions'
import { acceptance, estimateDrift, type Acceptance, type DriftEstimate, type ShareEstimate } from '../../core/estimate/estimate'
import { planPath, readPlan, type SamplePlan } from '../../core/estimate/sample'
import { loadQaConfig, qaRuntime } from '../../core/qa/scan'
import { openShard, shardKind } from '../../core/records/open'
import { rowPromptId } from '../../core/records/schema'
import type { Shard } from '../../core/records/types'
import { siblingCandidates } from '../../core/records/siblings'
import { FLAG_REASONS, SEVERITIES, type FlagReason, type Severity } from '../../core/review/events'
import { shardIdentity } from '../../core/review/journal'
import type { CliContext } from '../context'
import { numberOpt, parseArgs } from './sample'

export const estimateUsage = 'phoenix estimate <shard> [--max-share X]'

const HELP = `usage: phoenix estimate <shard> [options]

  Estimates the share of drifting rows in the shard from reviewers' decisions on the rows of its sample plan
  (see "phoenix sample"), with Wilson score intervals, and gives an acceptance verdict. Decisions on rows
  outside the sample are never counted.

  --severity S        verdict counts rows with drift at or above S (${SEVERITIES.join('|')}), default major
  --reason R          …and only drift of this reason (${FLAG_REASONS.join('|')})
  --max-share X       largest acceptable share of such rows, default 0.05
  --confidence C      two-sided confidence of the intervals, default 0.95
  --no-fpc            no finite population correction (wider intervals)
  --source FILE       English shard, for the QA agreement (default: the en/de sibling, or "original" fields)
  --no-qa             skip the agreement of automatic QA with reviewers
  --no-langid         QA without fastText language id (stopword detector)
  --config FILE       QA config (default <workspace>/phoenix-qa.json)
  --workspace DIR     where .phoenix lives, default: current folder
  --rows              include every sampled row's outcome in the JSON
  --json              print the result as JSON`

const VALUE_OPTS = new Set(['severity', 'reason', 'max-share', 'confidence', 'source', 'config', 'workspace'])
const FLAG_OPTS = new Set(['no-fpc', 'no-qa', 'no-langid', 'rows', 'json', 'help'])

/** Exit 0 with a result (whatever the verdict), 2 for bad arguments, unreadable input, a missing plan or a plan that no longer fits the shard. */
export async function estimateCommand(args: string[], ctx: CliContext): Promise<number> {
  const p = parseArgs(args, VALUE_OPTS, FLAG_OPTS)
  if (typeof p === 'string') return usage(ctx, p)
  if (p.flags.has('help')) {
    ctx.out(HELP)
    return 0
  }
  if (p.positional.length !== 1) return usage(ctx, 'give one shard')
  const maxShare = numberOpt(p, 'max-share', 0, 1)
  const confidence = numberOpt(p, 'confidence', 0, 1)
  for (const v of [maxShare, confidence]) if (typeof v === 'string') return usage(ctx, v)
  const severity = p.values.get('severity') ?? 'major'
  if (!SEVERITIES.includes(severity as Severity)) return usage(ctx, `--severity must be one of ${SEVERITIES.join('|')}, got "${severity}"`)
  const reason = p.values.get('reason')
  if (reason !== undefined && !FLAG_REASONS.includes(reason as FlagReason)) return usage(ctx, `--reason must be one of ${FLAG_REASONS.join('|')}, got "${reason}"`)

  const workspace = resolve(p.values.get('workspace') ?? process.cwd())
  const shardPath = resolve(p.positional[0])
  const file = planPath(workspace, shardPath)
  let plan: SamplePlan | null
  try {
    plan = readPlan(file)
  } catch (e) {
    ctx.err(`phoenix estimate: ${(e as Error).message}`)
    return 2
  }
  if (!plan) {
    ctx.err(`phoenix estimate: no sample plan for ${shardIdentity(workspace, shardPath)} (looked for ${file}); draw one with "phoenix sample ${p.positional[0]} --margin 0.03"${p.values.has('workspace') ? ` --workspace ${p.values.get('workspace')}` : ''}`)
    return 2
  }

  const shard = await openShard(shardPath)
  let sourcePath: string | undefined
  let source: Shard | undefined
  const warnings: string[] = []
  let qa: QaAgreement | null = null
  let qaNote: string | undefined
  try {
    const mismatch = await checkPlanFits(plan, shard)
    if (mismatch) {
      ctx.err(`phoenix estimate: ${shardPath} changed since its sample was drawn (${mismatch}); draw a new sample with "phoenix sample --force"`)
      return 2
    }
    sourcePath = p.values.has('source') ? resolve(p.values.get('source')!) : siblingCandidates(shardPath, 'de', 'en').find(existsSync)
    if (sourcePath) source = await openShard(sourcePath)

    const decisions = await loadDecisions(workspace, sourcePath ? [shardPath, sourcePath] : [shardPath])
    for (const e of decisions.errors) warnings.push(`skipped journal line: ${e}`)
    const { config, errors } = loadQaConfig({ file: p.values.get('config'), workspace: p.values.has('config') ? undefined : workspace })
    for (const e of errors) warnings.push(e)
    const rows = sampleOutcomes(plan, decisions.state, config)
    const est = estimateDrift(plan, rows, { confidence: confidence as number | undefined, fpc: !p.flags.has('no-fpc') })
    const verdict = acceptance(est, { severity: severity as Severity, reason: reason as FlagReason | undefined, maxShare: maxShare as number | undefined })

    if (!p.flags.has('no-qa')) {
      const { runtime, note } = await qaRuntime({ languageId: !p.flags.has('no-langid') })
      if (note) warnings.push(`${note}; QA used the stopword detector`)
      const auto = await sampledQaFlags(plan, shard, source, config, runtime)
      if (auto) qa = qaAgreement(rows, auto, { confidence: est.confidence })
      else qaNote = 'no English source found (give --source FILE, or a shard with "original" fields): QA agreement skipped'
    }
    print(ctx, p.flags.has('json'), p.flags.has('rows'), { file, plan, est, verdict, qa, qaNote, warnings: [...est.warnings, ...warnings], sourcePath })
    return 0
  } finally {
    await shard.close()
    await source?.close()
  }
}

/** Why the plan no longer describes the shard's rows, or undefined when it still does. */
async function checkPlanFits(plan: SamplePlan, shard: Shard): Promise<string | undefined> {
  if (shard.rowCount !== plan.population) return `it has ${shard.rowCount} rows, the plan was drawn from ${plan.population}`
  const kind = await shardKind(shard)
  let changed = 0
  let first = -1
  for (let k = 0; k < plan.indices.length; k++) {
    const r = await shard.read(plan.indices[k])
    const id = r.row && kind ? (rowPromptId(r.row, kind) ?? null) : null
    if (id !== plan.promptIds[k]) {
      changed++
      if (first < 0) first = plan.indices[k]
    }
  }
  return changed ? `${changed} sampled rows now hold other records, first at row ${first}` : undefined
}

interface Result {
  file: string
  plan: SamplePlan
  est: DriftEstimate
  verdict: Acceptance
  qa: QaAgreement | null
  qaNote?: string
  warnings: string[]
  sourcePath?: string
}

function print(ctx: CliContext, json: boolean, withRows: boolean, r: Result): void {
  const { rows, warnings: _w, ...estimate } = r.est
  const planInfo = { file: r.file, seed: r.plan.seed, size: r.plan.size, population: r.plan.population, created: r.plan.created, margin: r.plan.margin, confidence: r.plan.confidence, method: r.plan.method }
  if (json) {
    ctx.out(
      JSON.stringify({
        shard: r.est.shard,
        plan: planInfo,
        estimate: withRows ? { ...estimate, rows } : estimate,
        verdict: r.verdict,
        qaAgreement: r.qa,
        ...(r.qaNote ? { qaNote: r.qaNote } : {}),
        warnings: r.warnings,
      }),
    )
    return
  }
  const e = r.est
  const pc = (x: number | null) => (x === null ? '   –  ' : `${(x * 100).toFixed(1).padStart(5)}%`)
  const line = (label: string, s: ShareEstimate) =>
    `  ${label.padEnd(18)} ${`${s.count}/${s.n}`.padStart(9)}  ${pc(s.share)}  [${pc(s.lower)}, ${pc(s.upper)}]  ≈ ${s.shardRows.point ?? '–'} rows [${s.shardRows.lower}, ${s.shardRows.upper}]`
  const lines = [
    `shard:     ${e.shard}`,
    `sample:    seed ${r.plan.seed}, ${e.sampled} of ${e.population} rows, drawn ${r.plan.created}`,
    `reviewed:  ${e.reviewed} of ${e.sampled} sampled rows${e.notReviewed ? ` (${e.notReviewed} not yet)` : ''}`,
    `drift share (${(e.confidence * 100).toFixed(1)}% Wilson interval${e.fpc ? ', finite population corrected' : ''}):`,
    line('any drift', e.any),
    ...SEVERITIES.filter((s) => s !== 'minor').map((s) => line(`${s} or worse`, e.atLeast[s])),
    ...FLAG_REASONS.filter((x) => e.byReason[x].count > 0).map((x) => line(x, e.byReason[x])),
    `verdict:   ${r.verdict.explanation}`,
  ]
  if (r.qa) {
    lines.push(`QA agreement on ${r.qa.rows} reviewed sampled rows (automatic flag vs reviewer's drift):`)
    lines.push(`  ${'check'.padEnd(16)} ${'tp'.padStart(4)} ${'fp'.padStart(4)} ${'fn'.padStart(4)} ${'tn'.padStart(5)}  precision  recall`)
    for (const c of [r.qa.any, ...r.qa.checks]) {
      lines.push(`  ${c.check.padEnd(16)} ${String(c.tp).padStart(4)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)} ${String(c.tn).padStart(5)}  ${pc(c.precision).padStart(9)}  ${pc(c.recall).padStart(6)}`)
    }
  } else if (r.qaNote) lines.push(`QA agreement: ${r.qaNote.replace(/: QA agreement skipped$/, '')}`)
  if (r.warnings.length) lines.push('warnings:', ...r.warnings.map((w) => `  ${w}`))
  ctx.out(lines.join('\n'))
}

function usage(ctx: CliContext, why: string): number {
  ctx.err(`phoenix estimate: ${why}\n${HELP}`)
  return 2
}
