/**
 * `phoenix-manifest.json` (what went in, what was decided, what came out) and the `README.md` dataset
 * card whose YAML `configs` lets `datasets.load_dataset(folder)` find the splits. Neither holds a time:
 * the same inputs and seed give byte-identical folders.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Worker } from 'node:worker_threads'
import { basename, join, resolve } from 'node:path'
import pkg from '../../../package.json' with { type: 'json' }
import type { QaConfig } from '../qa/config'
import type { SchemaKind, Shard } from '../records/types'
import { shardIdentity } from '../review/journal'
import type { LoadedReview } from './review'
import { EXCLUSION_HELP, EXCLUSION_REASONS, type ExportOptions, type ExportReport } from './types'

export interface InputFile {
  role: 'source' | 'target'
  /** Workspace-relative when inside the workspace. */
  path: string
  format: string
  schema: SchemaKind
  rows: number
  bytes: number
  sha256: string
  /** Footer key/value metadata of a parquet shard (translation engine and model, if the translator recorded them). */
  metadata?: Record<string, string>
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) h.update(chunk as Buffer)
  return h.digest('hex')
}

const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const fs = require('node:fs')
const buf = Buffer.allocUnsafe(4 << 20)
const out = []
for (const p of workerData) {
  const h = createHash('sha256')
  const fd = fs.openSync(p, 'r')
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n))
  } finally {
    fs.closeSync(fd)
  }
  out.push(h.digest('hex'))
}
parentPort.postMessage(out)
`

/**
 * sha256 of the input files on a worker thread, so hashing hundreds of megabytes overlaps with the export
 * instead of adding to it. Falls back to this thread if no worker can start.
 */
export function hashFilesInBackground(paths: string[]): Promise<string[]> {
  const inline = () => Promise.all(paths.map(sha256File))
  let worker: Worker
  try {
    worker = new Worker(HASH_WORKER, { eval: true, workerData: paths })
  } catch {
    return inline()
  }
  const done = new Promise<string[]>((resolve, reject) => {
    worker.once('message', (m: string[]) => resolve(m))
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`hash worker exited with code ${code}`)))
  })
  // An unobserved rejection must not crash the process if the export fails first.
  done.catch(() => undefined)
  return done
}

export async function describeInput(role: 'source' | 'target', shard: Shard, workspace: string, schema: SchemaKind, sha256: string): Promise<InputFile> {
  const f: InputFile = {
    role,
    path: shardIdentity(workspace, resolve(shard.path)),
    format: shard.format,
    schema,
    rows: shard.rowCount,
    bytes: (await stat(shard.path)).size,
    sha256,
  }
  const kv = (shard as { metadata?: { key_value_metadata?: { key: string; value?: string }[] } }).metadata?.key_value_metadata
  if (kv?.length) f.metadata = Object.fromEntries(kv.filter((e) => typeof e.value === 'string').map((e) => [e.key, e.value!]))
  return f
}

/** Engine or model as a translator recorded it in the shard footer (`phoenix.engine`, `translate.model`, …). */
function fromMetadata(inputs: InputFile[], what: 'engine' | 'model'): string | undefined {
  const re = new RegExp(`(^|[._])${what}$`, 'i')
  for (const i of inputs) for (const [k, v] of Object.entries(i.metadata ?? {})) if (re.test(k)) return v
  return undefined
}

const round = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4)

export function buildManifest(opts: ExportOptions, rep: ExportReport, inputs: InputFile[], review: LoadedReview, qaConfig: QaConfig | null) {
  const ag = review.agreement()
  const reviewers = review.reviewers
  const engine = opts.engine ?? fromMetadata(inputs, 'engine') ?? null
  const model = opts.model ?? fromMetadata(inputs, 'model') ?? null
  return {
    tool: { name: 'phoenix', version: pkg.version },
    dataset: {
      kind: rep.kind,
      trlFormat: rep.kind === 'sft' ? 'conversational (messages)' : rep.dpoFormat === 'conversational' ? 'conversational, explicit prompt' : 'standard (plain strings), explicit prompt',
      inputSchema: rep.schema,
      mode: rep.mode,
      format: rep.format,
      languages: { source: opts.sourceLang, target: opts.targetLang },
      license: opts.license,
    },
    translation: { engine, model, engineSource: opts.engine ? 'flag' : engine ? 'shard metadata' : null, modelSource: opts.model ? 'flag' : model ? 'shard metadata' : null },
    inputs,
    review: {
      journals: review.journals,
      events: review.state.eventCount,
      skippedJournalLines: review.errors.length,
      reviewers,
      recordsReviewed: rep.stats.reviewedRecords,
      recordsApproved: rep.stats.approvedRecords,
      resolutions: review.state.resolutions.size,
      agreement: {
        sharedRecords: ag.sharedRecords,
        conflicts: ag.conflicts.length,
        openConflicts: ag.openConflicts,
        pairs: ag.pairs.map((p) => ({
          a: p.a,
          b: p.b,
          approval: { n: p.approval.n, observed: round(p.approval.po), kappa: round(p.approval.kappa) },
          pick: { n: p.pick.n, observed: round(p.pick.po), kappa: round(p.pick.kappa) },
        })),
      },
    },
    filters: {
      ...rep.filters,
      /** Thresholds of the QA checks whose flags were counted. */
      qaConfig,
      flagsCounted:
        rep.filters.qaFlags.mode === 'not-dismissed'
          ? 'open human flags, and every automatic QA flag at or above the severity limit raised on the corrected texts that no reviewer dismissed (QA error=critical, warning=major, info=minor; the engine runs only the checks whose flags can reach the limit, listed in qaFlags.checks)'
          : rep.filters.qaFlags.mode === 'confirmed'
            ? 'open human flags, and automatic QA flags a reviewer confirmed (severity of their check: error=critical, warning=major, info=minor)'
            : 'none (no severity filter)',
      lengthRatioDefinition: 'characters of the exported target texts / characters of the same English texts; excluded when |ratio - expected| > maxDeviation',
      marginDefinition: 'score of chosen - score of rejected (binarized: score_chosen - score_rejected after swaps; raw: overall_score difference); pairs ordered by a reviewer are exempt',
    },
    excluded: rep.excluded,
    excludedTotal: rep.excludedTotal,
    split: {
      seed: rep.seed,
      testSize: rep.testSize,
      method: 'test when cyrb53(seed, "split\\0" + prompt_id) / 2^53 < testSize (see src/core/export/split.ts)',
      train: rep.rows.train,
      test: rep.rows.test,
    },
    rows: rep.rows,
    stats: rep.stats,
    files: [] as { path: string; bytes: number; sha256: string }[],
  }
}

export type Manifest = ReturnType<typeof buildManifest>

/** Hashes of the data files, added once they are complete. */
export async function addFileHashes(manifest: Manifest, dir: string, paths: string[]): Promise<void> {
  for (const p of paths) manifest.files.push({ path: p, bytes: (await stat(join(dir, p))).size, sha256: await sha256File(join(dir, p)) })
}

const yamlStr = (s: string) => JSON.stringify(s)

export function renderCard(opts: ExportOptions, rep: ExportReport, m: Manifest): string {
  const dataPath = (split: string) => (rep.format === 'parquet' ? `data/${split}-*` : `data/${split}.jsonl`)
  const splits = rep.testSize > 0 ? ['train', 'test'] : ['train']
  const front = [
    '---',
    'language:',
    `- ${opts.targetLang}`,
    `license: ${opts.license}`,
    'tags:',
    `- ${rep.kind}`,
    '- phoenix',
    '- translated',
    'configs:',
    '- config_name: default',
    '  data_files:',
    ...splits.flatMap((s) => [`  - split: ${s}`, `    path: ${dataPath(s)}`]),
    '---',
  ]
  const target = m.inputs.find((i) => i.role === 'target')!
  const source = m.inputs.find((i) => i.role === 'source')
  const what = rep.kind === 'dpo' ? 'preference pairs (DPO)' : 'conversations (SFT)'
  const columns =
    rep.kind === 'sft'
      ? '- `prompt` (string), `prompt_id` (string), `messages` (list of `{content, role}`): TRL\'s conversational format for `SFTTrainer`.'
      : rep.dpoFormat === 'conversational'
        ? '- `prompt`: the conversation up to and including the last user turn, a list of `{content, role}`.\n- `chosen`, `rejected`: one assistant message each, `[{content, role: "assistant"}]`.\n- `prompt_id` (string), `score_chosen`, `score_rejected` (double; swapped with the pair when a reviewer swapped it).\n\nTRL\'s conversational format with an explicit prompt: `DPOTrainer` applies the chat template itself.'
        : '- `prompt`, `chosen`, `rejected`: plain strings (TRL\'s standard format with an explicit prompt).\n- `prompt_id` (string), `score_chosen`, `score_rejected` (double).'
  const f = rep.filters
  const filters = [
    `- approved records only: ${f.approvedOnly ? 'yes' : 'no'}`,
    `- unresolved flags: ${f.maxSeverity ? `records with an open flag of severity ${f.maxSeverity} or above excluded` : 'not filtered'} (${m.filters.flagsCounted})`,
    `- minimum similarity: ${f.minSimilarity.threshold === null ? 'not set' : f.minSimilarity.applied ? `${f.minSimilarity.threshold}${similarityOfCorrected(f.minSimilarity)}` : `${f.minSimilarity.threshold}, ${f.minSimilarity.note}`}`,
    `- length ratio: ${f.lengthRatio.maxDeviation === null ? 'not set' : f.lengthRatio.applied ? `|target/source characters − ${f.lengthRatio.expected}| ≤ ${f.lengthRatio.maxDeviation}` : `${f.lengthRatio.note}`}`,
    ...(rep.kind === 'dpo'
      ? [`- minimum score margin: ${f.minMargin.threshold === null ? 'not set' : `${f.minMargin.threshold} (pairs a reviewer ordered are exempt: ${f.minMargin.exemptHumanPicks})`}`]
      : []),
  ]
  const excludedRows = EXCLUSION_REASONS.filter((r) => rep.excluded[r] > 0).map((r) => `| ${r} | ${rep.excluded[r]} | ${EXCLUSION_HELP[r]} |`)
  const engine = [m.translation.engine, m.translation.model].filter(Boolean).join(' / ')
  const lines = [
    ...front,
    '',
    `# ${(target.path.startsWith('/') || /^[A-Za-z]:/.test(target.path) ? basename(target.path) : target.path).replace(/\.(jsonl|ndjson|json|parquet)$/i, '')}: ${opts.targetLang} ${what}`,
    '',
    `Exported by Phoenix ${m.tool.version} from \`${basename(target.path)}\`${source ? ` and its English source \`${basename(source.path)}\`` : ''} ` +
      `(${rep.schema}), with the reviewers' corrections, picks and decisions applied.`,
    '',
    '| split | rows |',
    '| --- | --- |',
    ...splits.map((s) => `| ${s} | ${s === 'train' ? rep.rows.train : rep.rows.test} |`),
    '',
    '## Columns',
    '',
    columns,
    '',
    '## How it was built',
    '',
    `- ${rep.rows.read} rows read, ${rep.rows.written} written, ${rep.excludedTotal} excluded.`,
    `- Reviewers: ${m.review.reviewers.length ? m.review.reviewers.map((r) => `${r.name} (${r.records} records)`).join(', ') : 'none'}; ${m.review.events} review events, ${m.review.resolutions} records with resolutions.`,
    `- Corrections: ${rep.stats.editsApplied} texts edited in ${rep.stats.recordsEdited} records.`,
    ...(rep.kind === 'dpo'
      ? [
          `- Pairs: ${rep.stats.humanPicks} ordered by a reviewer (${rep.stats.swapped} swapped), ${rep.stats.pairsByH4Rule} by H4's rule (best overall_score chosen, a seeded random lower-scored completion rejected; ties at the best score skipped).`,
        ]
      : []),
    `- Split: seed ${rep.seed}, test share ${rep.testSize}, by a hash of seed and prompt_id (stable when rows are reordered).`,
    '',
    '### Filters',
    '',
    ...filters,
    '',
    '### Excluded records',
    '',
    ...(excludedRows.length ? ['| reason | records | meaning |', '| --- | --- | --- |', ...excludedRows] : ['None.']),
    '',
    '## Languages',
    '',
    `Source ${opts.sourceLang}, target ${opts.targetLang}${engine ? `; machine translation by ${engine}` : ''}` +
      (m.review.reviewers.length ? `, reviewed by ${m.review.reviewers.length} reviewer(s).` : '; not reviewed yet.'),
    '',
    '## License',
    '',
    `\`${opts.license}\`. The texts are translations of the input datasets and stay under their terms ` +
      '(HuggingFaceH4/ultrachat_200k, HuggingFaceH4/ultrafeedback_binarized and openbmb/UltraFeedback are MIT licensed); ' +
      "check the translation model's terms too.",
    '',
    '## Use',
    '',
    '```python',
    'from datasets import load_dataset',
    `ds = load_dataset(${yamlStr('path/to/this/folder')})`,
    '```',
    '',
    `\`phoenix-manifest.json\` lists the inputs (sha256), the journals, the thresholds and every count.`,
    '',
  ]
  return lines.join('\n')
}

function similarityOfCorrected(m: ExportReport['filters']['minSimilarity']): string {
  const parts: string[] = []
  if (m.correctedRemeasured) parts.push(`${m.correctedRemeasured} corrected records measured on their corrected texts`)
  if (m.correctedJudgedOnStoredTranslation) parts.push(`${m.correctedJudgedOnStoredTranslation} corrected records judged on their stored translation`)
  return parts.length ? ` (${parts.join('; ')})` : ''
}
