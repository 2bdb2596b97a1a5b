import { randomInt } from 'node:crypto'
import { resolve } from 'node:path'
import { drawPlan, planPath, readPlan, writePlan, PlanError, type SamplePlan } from '../../core/estimate/sample'
import { shardKind, openShard } from '../../core/records/open'
import { rowPromptId } from '../../core/records/schema'
import { shardIdentity } from '../../core/review/journal'
import type { CliContext } from '../context'

export const sampleUsage = 'phoenix sample <shard> --size N|--margin E'

const HELP = `usage: phoenix sample <shard> (--size N | --margin E) [options]

  Draws a seeded uniform random sample of the shard's rows (without replacement) and writes the plan to
  <workspace>/.phoenix/samples/<shard-key>.json, where the review queue and "phoenix estimate" read it.

  --size N            sample exactly N rows (at most the shard's rows)
  --margin E          or as many rows as a margin of error of ±E needs (e.g. 0.03), finite population corrected
  --confidence C      confidence level for --margin and the margin reported, default 0.95
  --p P               prior share of drifting rows for sizing, default 0.5 (the worst case)
  --seed S            any number or word; default a random number, recorded in the plan
  --workspace DIR     where .phoenix lives, default: current folder
  --force             replace an existing, different plan (estimates from reviews of the old one are lost)
  --json              print the plan as JSON`

const VALUE_OPTS = new Set(['size', 'margin', 'confidence', 'p', 'seed', 'workspace'])
const FLAG_OPTS = new Set(['force', 'json', 'help'])

export interface ParsedArgs {
  positional: string[]
  values: Map<string, string>
  flags: Set<string>
}

/** `--name value`, `--name=value` and `--flag`; anything else that starts with `--` is an error. */
export function parseArgs(args: string[], values: Set<string>, flags: Set<string>): ParsedArgs | string {
  const p: ParsedArgs = { positional: [], values: new Map(), flags: new Set() }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '-h') p.flags.add('help')
    else if (!a.startsWith('--') || a === '--') p.positional.push(a)
    else {
      const eq = a.indexOf('=')
      const name = a.slice(2, eq === -1 ? undefined : eq)
      if (flags.has(name) && eq === -1) p.flags.add(name)
      else if (values.has(name)) {
        const v = eq === -1 ? args[++i] : a.slice(eq + 1)
        if (v === undefined) return `--${name} needs a value`
        if (p.values.has(name)) return `--${name} given twice`
        p.values.set(name, v)
      } else return `unknown option ${a}`
    }
  }
  return p
}

/** A number option inside (lo, hi) (or [lo, hi] with `closed`); a message when it is not. */
export function numberOpt(p: ParsedArgs, name: string, lo: number, hi: number, opts: { integer?: boolean; closed?: boolean } = {}): number | undefined | string {
  const v = p.values.get(name)
  if (v === undefined) return undefined
  const n = Number(v)
  const inRange = opts.closed ? n >= lo && n <= hi : n > lo && n < hi
  if (v.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isSafeInteger(n)) || !inRange) {
    return `--${name} must be ${opts.integer ? 'a whole number' : 'a number'} ${opts.closed ? `from ${lo} to ${hi}` : `between ${lo} and ${hi}`}, got "${v}"`
  }
  return n
}

/** Exit 0 when the plan was written (or an identical one exists), 2 for bad arguments, unreadable input or a conflicting plan. */
export async function sampleCommand(args: string[], ctx: CliContext): Promise<number> {
  const p = parseArgs(args, VALUE_OPTS, FLAG_OPTS)
  if (typeof p === 'string') return usage(ctx, p)
  if (p.flags.has('help')) {
    ctx.out(HELP)
    return 0
  }
  if (p.positional.length !== 1) return usage(ctx, 'give one shard')
  const size = numberOpt(p, 'size', 0, Number.MAX_SAFE_INTEGER, { integer: true, closed: true })
  const margin = numberOpt(p, 'margin', 0, 1)
  const confidence = numberOpt(p, 'confidence', 0, 1)
  const prior = numberOpt(p, 'p', 0, 1)
  for (const v of [size, margin, confidence, prior]) if (typeof v === 'string') return usage(ctx, v)
  if ((size === undefined) === (margin === undefined)) return usage(ctx, 'give either --size N or --margin E')
  const workspace = resolve(p.values.get('workspace') ?? process.cwd())
  const shardPath = resolve(p.positional[0])
  const seedText = p.values.get('seed')
  const seed = seedText === undefined ? randomInt(0, 2 ** 31) : /^-?\d{1,15}$/.test(seedText) ? Number(seedText) : seedText

  const file = planPath(workspace, shardPath)
  let existing: SamplePlan | null
  try {
    existing = readPlan(file)
  } catch (e) {
    if (!(e instanceof PlanError) || !p.flags.has('force')) {
      ctx.err(`phoenix sample: ${(e as Error).message}${e instanceof PlanError ? ' (pass --force to replace it)' : ''}`)
      return 2
    }
    existing = null
  }

  const shard = await openShard(shardPath)
  let plan: SamplePlan
  try {
    if (shard.rowCount === 0) {
      ctx.err(`phoenix sample: ${shardPath}: the shard holds no rows`)
      return 2
    }
    const kind = await shardKind(shard)
    if (!kind) {
      ctx.err(`phoenix sample: ${shardPath}: cannot tell the schema of this shard (no readable row with known fields)`)
      return 2
    }
    plan = await drawPlan(
      shardIdentity(workspace, shardPath),
      shard.rowCount,
      { seed, size: size as number | undefined, margin: margin as number | undefined, confidence: confidence as number | undefined, p: prior as number | undefined },
      async (i) => {
        const r = await shard.read(i)
        return r.row ? (rowPromptId(r.row, kind) ?? null) : null
      },
    )
  } finally {
    await shard.close()
  }

  let note = `wrote ${file}`
  if (existing) {
    const same = existing.population === plan.population && existing.size === plan.size && String(existing.seed) === String(plan.seed) && existing.method === plan.method && existing.indices.every((x, i) => x === plan.indices[i])
    if (same) {
      plan = existing
      note = `unchanged: ${file} already holds this sample`
    } else if (!p.flags.has('force')) {
      ctx.err(
        `phoenix sample: ${file} already holds a different sample (seed ${existing.seed}, ${existing.size} of ${existing.population} rows, drawn ${existing.created}); ` +
          'replacing it after reviews began would let a sample be redrawn until it looks good. Pass --force to replace it anyway.',
      )
      return 2
    }
  }
  if (note.startsWith('wrote')) {
    try {
      writePlan(file, plan)
    } catch (e) {
      ctx.err(`phoenix sample: cannot write ${file}: ${(e as Error).message}`)
      return 1
    }
  }
  if (p.flags.has('json')) ctx.out(JSON.stringify({ file, ...plan }))
  else ctx.out(formatPlan(plan, file, note))
  return 0
}

function formatPlan(plan: SamplePlan, file: string, note: string): string {
  const unreadable = plan.promptIds.filter((x) => x === null).length
  const head = plan.indices.slice(0, 12).join(', ') + (plan.size > 12 ? `, … (${plan.size - 12} more)` : '')
  return [
    `sample:     ${plan.size} of ${plan.population} rows of ${plan.shard}`,
    `seed:       ${plan.seed} (${plan.method})`,
    `margin:     ±${(plan.margin * 100).toFixed(2)} points at ${(plan.confidence * 100).toFixed(1)}% confidence (prior share ${plan.p})`,
    `rows:       ${head}`,
    ...(unreadable ? [`unreadable: ${unreadable} sampled rows did not parse and cannot be reviewed`] : []),
    note,
  ].join('\n')
}

function usage(ctx: CliContext, why: string): number {
  ctx.err(`phoenix sample: ${why}\n${HELP}`)
  return 2
}
