/**
 * Sample plans: a seeded uniform random sample of a shard's rows, drawn without replacement, sized for a
 * margin of error, and kept in `<workspace>/.phoenix/samples/<shard-key>.json` so the review queue and the
 * estimate read the same rows. Only rows of the plan ever enter an estimate.
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { shardIdentity, shardKey } from '../review/journal'
import { Xoshiro128, type Seed } from './rng'
import { checkConfidence, marginOfError, sampleSize } from './stats'

export const PLAN_VERSION = 1
/** What drew the indices: changing the PRNG or the algorithm must change this name. */
export const SAMPLE_METHOD = 'floyd/xoshiro128**'

export interface SamplePlan {
  version: 1
  /** Shard identity (workspace-relative POSIX path, see `shardIdentity`). */
  shard: string
  seed: Seed
  /** Number of sampled rows (= indices.length). */
  size: number
  /** Rows of the shard when the sample was drawn. */
  population: number
  /** 0-based row indices of the shard, ascending. */
  indices: number[]
  /** prompt_id of each sampled row (same order as `indices`); null for a row that did not parse. */
  promptIds: (string | null)[]
  /** ISO time the plan was drawn. */
  created: string
  /** Margin of error the size gives at `confidence` for a share near `p` (finite population corrected). */
  margin: number
  confidence: number
  /** Prior share used for sizing; 0.5 is the worst case. */
  p: number
  method: string
}

/**
 * k distinct indices of [0, n), uniformly (every k-subset equally likely), ascending. Floyd's algorithm:
 * k draws and O(k) memory, so a 1,000-row sample of a 200k-row shard never builds a 200k array.
 */
export function sampleIndices(population: number, size: number, seed: Seed): number[] {
  if (!Number.isSafeInteger(population) || population < 0) throw new RangeError(`population must be a whole number, got ${population}`)
  if (!Number.isSafeInteger(size) || size < 0 || size > population) throw new RangeError(`sample size must be a whole number in [0, ${population}], got ${size}`)
  const rng = new Xoshiro128(seed)
  const chosen = new Set<number>()
  for (let j = population - size; j < population; j++) {
    const t = rng.below(j + 1)
    chosen.add(chosen.has(t) ? j : t)
  }
  return Array.from(chosen).sort((a, b) => a - b)
}

/**
 * A seeded shuffle of the plan's indices (Fisher–Yates). Any prefix of a random order of a uniform sample
 * is itself a uniform sample, so reviewers who stop half-way still leave an unbiased estimate; walking the
 * sorted indices would over-represent the start of the shard.
 */
export function reviewOrder(plan: Pick<SamplePlan, 'indices' | 'seed'>): number[] {
  const out = plan.indices.slice()
  const rng = new Xoshiro128(`${plan.seed}/order`)
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.below(i + 1)
    const t = out[i]
    out[i] = out[j]
    out[j] = t
  }
  return out
}

export interface PlanOptions {
  seed: Seed
  /** Either a fixed size… */
  size?: number
  /** …or the margin of error to size for. */
  margin?: number
  /** Default 0.95. */
  confidence?: number
  /** Prior share for sizing, default 0.5 (worst case). */
  p?: number
  now?: Date
}

/** Draws a plan for a shard of `population` rows; `promptIdAt` names the sampled rows. */
export async function drawPlan(
  shard: string,
  population: number,
  opts: PlanOptions,
  promptIdAt: (index: number) => Promise<string | null>,
): Promise<SamplePlan> {
  const confidence = opts.confidence ?? 0.95
  const p = opts.p ?? 0.5
  checkConfidence(confidence)
  if ((opts.size === undefined) === (opts.margin === undefined)) throw new RangeError('give either a sample size or a margin of error')
  const size = opts.size !== undefined ? Math.min(opts.size, population) : sampleSize({ margin: opts.margin!, confidence, p, population }).size
  const indices = sampleIndices(population, size, opts.seed)
  const promptIds: (string | null)[] = []
  for (const i of indices) promptIds.push(await promptIdAt(i))
  return {
    version: PLAN_VERSION,
    shard,
    seed: opts.seed,
    size,
    population,
    indices,
    promptIds,
    created: (opts.now ?? new Date()).toISOString(),
    margin: marginOfError(size, { confidence, p, population }),
    confidence,
    p,
    method: SAMPLE_METHOD,
  }
}

/** `<workspace>/.phoenix/samples/<shard-key>.json` (the same key as the shard's journal folder). */
export function planPath(workspace: string, shardPath: string): string {
  return path.join(path.resolve(workspace), '.phoenix', 'samples', `${shardKey(workspace, shardPath)}.json`)
}

export { shardIdentity }

/** Whole-file replace: temp file in the same folder, fsync, rename, fsync the folder. Never a half plan. */
export function writePlan(file: string, plan: SamplePlan): void {
  const dir = path.dirname(file)
  fs.mkdirSync(dir, { recursive: true })
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    const fd = fs.openSync(tmp, 'wx')
    try {
      fs.writeFileSync(fd, JSON.stringify(plan, null, 1) + '\n')
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
  } catch (e) {
    fs.rmSync(tmp, { force: true })
    throw e
  }
  let dfd: number | undefined
  try {
    dfd = fs.openSync(dir, 'r')
    fs.fsyncSync(dfd)
  } catch {
    // Directories cannot be opened on Windows; NTFS journals metadata itself.
  } finally {
    if (dfd !== undefined) fs.closeSync(dfd)
  }
}

export class PlanError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`)
    this.name = 'PlanError'
  }
}

/** Reads and checks a plan; null when there is none, PlanError when it is unreadable or inconsistent. */
export function readPlan(file: string): SamplePlan | null {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new PlanError(file, (e as Error).message)
  }
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    throw new PlanError(file, `not valid JSON: ${(e as Error).message}`)
  }
  const problem = planProblem(v)
  if (problem) throw new PlanError(file, problem)
  return v as SamplePlan
}

function planProblem(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'a sample plan must be a JSON object'
  const o = v as Record<string, unknown>
  if (o.version !== PLAN_VERSION) return `unsupported plan version ${JSON.stringify(o.version)} (expected ${PLAN_VERSION})`
  if (typeof o.shard !== 'string') return '"shard" must be a string'
  if (typeof o.seed !== 'string' && typeof o.seed !== 'number') return '"seed" must be a number or a string'
  const whole = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0
  if (!whole(o.population)) return '"population" must be a whole number'
  if (!whole(o.size)) return '"size" must be a whole number'
  if (!Array.isArray(o.indices) || o.indices.length !== o.size) return '"indices" must be an array of "size" row indices'
  const idx = o.indices as unknown[]
  for (let i = 0; i < idx.length; i++) {
    if (!whole(idx[i]) || (idx[i] as number) >= (o.population as number)) return `"indices"[${i}] is not a row index below the population`
    if (i > 0 && (idx[i] as number) <= (idx[i - 1] as number)) return '"indices" must be ascending and distinct'
  }
  if (!Array.isArray(o.promptIds) || o.promptIds.length !== o.size || !o.promptIds.every((x) => x === null || typeof x === 'string')) return '"promptIds" must hold one prompt_id (or null) per index'
  for (const k of ['margin', 'confidence', 'p'] as const) if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) return `"${k}" must be a number`
  if (typeof o.created !== 'string') return '"created" must be a string'
  return undefined
}

/** Parses "5%", "±3 %" or "0.03" as a margin of error, a plain integer ≥ 1 as a sample size. */
export function parseSampleSpec(text: string): { size?: number; margin?: number } | undefined {
  const t = text.trim().replace(/^±/, '')
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t)
  if (pct) {
    const m = Number(pct[1]) / 100
    return m > 0 && m < 1 ? { margin: m } : undefined
  }
  if (/^\d+$/.test(t)) return Number(t) >= 1 ? { size: Number(t) } : undefined
  if (/^0?\.\d+$/.test(t)) return { margin: Number(t) }
  return undefined
}
