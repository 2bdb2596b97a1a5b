import { exportDataset } from '../../core/export/export'
import { EXCLUSION_REASONS, ExportArgumentError, ExportCancelled, type ExportOptions, type ExportReport } from '../../core/export/types'
import { ShardOpenError } from '../../core/records/types'
import { SEVERITIES, type Severity } from '../../core/review/events'
import { shardSimilarities } from '../../core/qa/record-similarity'
import type { CliContext } from '../context'
import { EMBEDDING_USAGE, embeddingFlagsProblem, openEmbeddings, takeEmbeddingFlag, type EmbeddingFlags } from '../embeddings-flags'

export const exportUsage = 'phoenix export <source> [<target>] --kind dpo|sft --out DIR'

const HELP = `usage: phoenix export <source> [<target>] --kind dpo|sft --out DIR [options]

  <source> <target>        English shard and its translation (paired by prompt_id), or
  <shard>                  one translated shard (with or without "original" fields)

  --kind dpo|sft           DPO pairs (UltraFeedback binarized or raw) or SFT conversations (UltraChat)
  --out DIR                dataset folder to write (replaced atomically; must be a previous export if it exists)
  --format parquet|jsonl   default parquet
  --dpo-format conversational|string   default conversational (TRL, explicit prompt)
  --seed N                 default 42
  --test-size F            share of records in the test split, default 0.1 (0: no test split)
  --workspace DIR          where .phoenix/journal lives, default: current folder
filters:
  --approved-only          only records approved by the reviewers (or by a resolution)
  --max-severity minor|major|critical|none   exclude records with an unresolved flag at or above this (default critical)
  --qa-flags not-dismissed|confirmed   automatic QA flags that count as unresolved: every flag the QA engine
                           raises on the corrected texts that no reviewer dismissed (default; needs English
                           texts; only the checks whose flags can reach --max-severity run), or only
                           flags a reviewer confirmed (no QA run, faster)
  --qa-worker auto|yes|no  run the QA engine on a second thread when no flags are cached (auto: for
                           translations of 16 MB and more)
  --writer-worker auto|yes|no  write the data files (parquet encoding, JSON lines) on a second thread (auto: for
                           translations of 16 MB and more)
  --min-similarity X       exclude records whose similarity is below X: the lowest cosine between a segment
                           and its translation (corrected records measured on their corrected texts),
                           with embeddings from
  ${EMBEDDING_USAGE}
  --max-ratio-deviation D  exclude when |target chars / source chars - expected| > D
  --expected-ratio R       expected target/source character ratio, default 1.2
  --min-margin M           exclude score-ordered pairs whose score margin is below M
card and manifest:
  --engine NAME --model NAME --source-lang en --target-lang de --license ID (default other)
  --json                   print the report as JSON`

const VALUE_OPTS = new Set([
  'kind', 'out', 'format', 'dpo-format', 'seed', 'test-size', 'workspace', 'max-severity', 'min-similarity',
  'max-ratio-deviation', 'expected-ratio', 'qa-flags', 'qa-worker', 'writer-worker', 'min-margin', 'engine', 'model', 'source-lang', 'target-lang', 'license',
])
const FLAG_OPTS = new Set(['approved-only', 'json', 'help'])

interface Parsed {
  positional: string[]
  values: Map<string, string>
  flags: Set<string>
}

function parse(args: string[]): Parsed {
  const p: Parsed = { positional: [], values: new Map(), flags: new Set() }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '-h') {
      p.flags.add('help')
      continue
    }
    if (!a.startsWith('--') || a === '--') {
      p.positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq === -1 ? undefined : eq)
    if (FLAG_OPTS.has(name) && eq === -1) p.flags.add(name)
    else if (VALUE_OPTS.has(name)) {
      const v = eq === -1 ? args[++i] : a.slice(eq + 1)
      if (v === undefined) throw new ExportArgumentError(`--${name} needs a value`)
      if (p.values.has(name)) throw new ExportArgumentError(`--${name} given twice`)
      p.values.set(name, v)
    } else throw new ExportArgumentError(`unknown option ${a}`)
  }
  return p
}

function oneOf<T extends string>(p: Parsed, name: string, allowed: readonly T[], fallback?: T): T {
  const v = p.values.get(name) ?? fallback
  if (v === undefined) throw new ExportArgumentError(`--${name} is required (${allowed.join('|')})`)
  if (!allowed.includes(v as T)) throw new ExportArgumentError(`--${name} must be one of ${allowed.join('|')}, got "${v}"`)
  return v as T
}

function number(p: Parsed, name: string, opts: { integer?: boolean } = {}): number | undefined {
  const v = p.values.get(name)
  if (v === undefined) return undefined
  const n = Number(v)
  if (v.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isSafeInteger(n))) {
    throw new ExportArgumentError(`--${name} must be ${opts.integer ? 'an integer' : 'a number'}, got "${v}"`)
  }
  return n
}

/** The export options from command line arguments; throws ExportArgumentError for anything wrong. */
export function parseExportArgs(args: string[], cwd = process.cwd()): ExportOptions | 'help' {
  const p = parse(args)
  if (p.flags.has('help')) return 'help'
  if (p.positional.length < 1 || p.positional.length > 2) throw new ExportArgumentError('give one shard, or an English source shard and its translation')
  const out = p.values.get('out')
  if (!out) throw new ExportArgumentError('--out DIR is required')
  const severity = oneOf(p, 'max-severity', [...SEVERITIES, 'none'] as const, 'critical')
  const [a, b] = p.positional
  return {
    source: b === undefined ? undefined : a,
    target: b === undefined ? a : b,
    kind: oneOf(p, 'kind', ['dpo', 'sft'] as const),
    format: oneOf(p, 'format', ['parquet', 'jsonl'] as const, 'parquet'),
    dpoFormat: oneOf(p, 'dpo-format', ['conversational', 'string'] as const, 'conversational'),
    out,
    workspace: p.values.get('workspace') ?? cwd,
    seed: number(p, 'seed', { integer: true }) ?? 42,
    testSize: number(p, 'test-size') ?? 0.1,
    approvedOnly: p.flags.has('approved-only'),
    maxSeverity: severity === 'none' ? null : (severity as Severity),
    qaFlags: oneOf(p, 'qa-flags', ['not-dismissed', 'confirmed'] as const, 'not-dismissed'),
    qaWorker: workerOption(oneOf(p, 'qa-worker', ['auto', 'yes', 'no'] as const, 'auto')),
    writerWorker: workerOption(oneOf(p, 'writer-worker', ['auto', 'yes', 'no'] as const, 'auto')),
    minSimilarity: number(p, 'min-similarity'),
    maxRatioDeviation: number(p, 'max-ratio-deviation'),
    expectedRatio: number(p, 'expected-ratio') ?? 1.2,
    minMargin: number(p, 'min-margin'),
    engine: p.values.get('engine'),
    model: p.values.get('model'),
    sourceLang: p.values.get('source-lang') ?? 'en',
    targetLang: p.values.get('target-lang') ?? 'de',
    license: p.values.get('license') ?? 'other',
  }
}

export function formatExportReport(r: ExportReport): string {
  const lines = [
    `exported ${r.kind}${r.dpoFormat ? ` (${r.dpoFormat})` : ''} from ${r.schema} [${r.mode}] to ${r.out} as ${r.format}`,
    `  read:     ${r.rows.read} rows`,
    `  written:  train ${r.rows.train}, test ${r.rows.test}`,
    `  excluded: ${r.excludedTotal}`,
    ...EXCLUSION_REASONS.filter((k) => r.excluded[k] > 0).map((k) => `    ${k.padEnd(24)} ${r.excluded[k]}`),
  ]
  const f = r.filters
  if (f.maxSeverity) {
    lines.push(`  flags:    ${f.maxSeverity} or worse excluded; automatic QA flags: ${f.qaFlags.mode}${f.qaFlags.mode === 'not-dismissed' ? ` (${f.qaFlags.flags} flags of ${f.maxSeverity} or worse on ${f.qaFlags.records} records, ${f.qaFlags.dismissed} dismissed)` : ''}`)
    if (f.qaFlags.note) lines.push(`  --qa-flags: ${f.qaFlags.note}`)
  }
  if (f.minSimilarity.note) lines.push(`  --min-similarity ${f.minSimilarity.note}`)
  if (f.lengthRatio.note) lines.push(`  --max-ratio-deviation ${f.lengthRatio.note}`)
  if (f.minMargin.applied && f.minMargin.exemptHumanPicks) lines.push(`  --min-margin: ${f.minMargin.exemptHumanPicks} pairs ordered by a reviewer were exempt`)
  if (r.warnings.length) lines.push('warnings:', ...r.warnings.map((w) => `  ${w}`))
  return lines.join('\n')
}

/** Exit 2 for bad arguments or unreadable input, 1 when writing failed (nothing replaced), 0 otherwise. */
export async function exportCommand(args: string[], ctx: CliContext): Promise<number> {
  let opts: ExportOptions | 'help'
  const embedding: EmbeddingFlags = {}
  try {
    const rest: string[] = []
    for (let i = 0; i < args.length; i++) {
      const next = takeEmbeddingFlag(args, i, embedding)
      if (next === undefined) rest.push(args[i]!)
      else i = next
    }
    const problem = embeddingFlagsProblem(embedding)
    if (problem) throw new ExportArgumentError(problem)
    opts = parseExportArgs(rest)
    if (opts !== 'help' && (embedding.url || embedding.modelDir) && opts.minSimilarity === undefined) {
      throw new ExportArgumentError('embeddings only serve --min-similarity; give it a threshold')
    }
  } catch (e) {
    if (!(e instanceof ExportArgumentError)) throw e
    ctx.err(`phoenix export: ${e.message}\n${HELP}`)
    return 2
  }
  if (opts === 'help') {
    ctx.out(HELP)
    return 0
  }
  let stopEmbeddings: (() => Promise<unknown>) | undefined
  // Ctrl-C stops the export cleanly: its temporary folder removed, a previous set left as it was
  const stop = new AbortController()
  const onInterrupt = () => stop.abort()
  process.once('SIGINT', onInterrupt)
  opts.signal = stop.signal
  try {
    if (opts.minSimilarity !== undefined) {
      const embeddings = await openEmbeddings(embedding).catch((e: Error) => {
        throw new ExportArgumentError(e.message)
      })
      if (embeddings) {
        stopEmbeddings = () => embeddings.stop()
        const sims = await shardSimilarities(opts.target, opts.source, embeddings.provider)
        opts.similarity = (promptId) => sims.get(promptId)
        // corrected records are embedded again during the export, by the same model
        opts.similarityProvider = embeddings.provider
      }
    }
    const report = await exportDataset(opts)
    ctx.out(args.includes('--json') ? JSON.stringify(report) : formatExportReport(report))
    return 0
  } catch (e) {
    if (e instanceof ExportArgumentError || e instanceof ShardOpenError) {
      ctx.err(`phoenix export: ${e.message}`)
      return 2
    }
    if (e instanceof ExportCancelled) {
      ctx.err(`phoenix export: ${e.message}`)
      return 130
    }
    ctx.err(`phoenix export: failed, nothing was written: ${(e as Error).message}`)
    return 1
  } finally {
    process.off('SIGINT', onInterrupt)
    await stopEmbeddings?.()
  }
}

const workerOption = (v: 'auto' | 'yes' | 'no'): boolean | undefined => (v === 'auto' ? undefined : v === 'yes')
