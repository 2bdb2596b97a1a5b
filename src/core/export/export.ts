/**
 * Export: reviewed shards + their journals → a Hugging Face dataset folder TRL trains on directly.
 *
 * Flow: open the shards, replay every reviewer's journal, read the English side for ids and text lengths
 * (two-shard mode: on a worker thread, alongside), then stream the translated shard in order: each row
 * gets its corrections, its final pick and approval, its example, the filters and a split, and goes to
 * that split's file at once. The QA engine's flags come from record-qa.ts; when they come from the QA
 * worker, the rows read meanwhile wait for them and still finish in file order.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { enabledCheckNames } from '../qa/engine'
import { unitsSimilarity } from '../qa/record-similarity'
import { openShard, shardKind } from '../records/open'
import { textUnits } from '../records/address'
import { hasOriginalFields, indexByPromptId, pairUnits, pairUnitsFromOriginal, type UnitPair } from '../records/pairing'
import { rowPromptId, validateRow } from '../records/schema'
import type { Row, RowError, SchemaKind, Shard } from '../records/types'
import { shardIdentity } from '../review/journal'
import { MANIFEST_FILE, writeDirAtomically } from './atomic-dir'
import { addFileHashes, buildManifest, describeInput, hashFilesInBackground, renderCard, type InputFile } from './card'
import { applyEdits } from './edits'
import { dpoFromBinarized, dpoFromRaw, sftFromRow, type DpoExample, type SourcedMsg, type SftExample } from './examples'
import { openQaGate, type QaHit } from './qa-flags'
import { loadReview, severityRank, worstHumanFlag } from './review'
import { outputFields, openSink, WriterThread, WriterWorkerUnusable, splitFileName, type OutRow, type Sink } from './sinks'
import { residualDrift } from './quality'
import { QaWorkerUnusable } from './qa-worker-client'
import { StaleCache } from './cache-files'
import { RecordQa } from './record-qa'
import { SourceCursor } from './source-cursor'
import { SourceScan, type Lengths, type SourceEntry } from './source-scan'
import { splitOf, type Split } from './split'
import { WORKER_MIN_BYTES } from './worker-spawn'
import { EXCLUSION_REASONS, ExportArgumentError, ExportCancelled, type ExclusionReason, type ExportMode, type ExportOptions, type ExportReport } from './types'

const DPO_KINDS: SchemaKind[] = ['ultrafeedback-binarized', 'ultrafeedback-raw']
const SFT_KINDS: SchemaKind[] = ['ultrachat', 'messages']
const MAX_WARNINGS = 20
/** Records read ahead of the oldest one still waiting for the QA worker (bounds memory). */
const MAX_IN_FLIGHT = 256
const PROGRESS_EVERY = 1000

function checkOptions(o: ExportOptions): void {
  if (!(o.testSize >= 0 && o.testSize < 1)) throw new ExportArgumentError(`--test-size must be in [0, 1), got ${o.testSize}`)
  if (!Number.isSafeInteger(o.seed)) throw new ExportArgumentError(`--seed must be an integer, got ${o.seed}`)
  if (o.maxRatioDeviation !== undefined && !(o.maxRatioDeviation >= 0)) throw new ExportArgumentError(`--max-ratio-deviation must be ≥ 0, got ${o.maxRatioDeviation}`)
  if (!(o.expectedRatio > 0)) throw new ExportArgumentError(`--expected-ratio must be > 0, got ${o.expectedRatio}`)
  for (const [flag, v] of [['--min-similarity', o.minSimilarity], ['--min-margin', o.minMargin]] as const) {
    if (v !== undefined && !Number.isFinite(v)) throw new ExportArgumentError(`${flag} must be a number, got ${v}`)
  }
}

function rowErrorText(shard: Shard, e: RowError): string {
  return `${shard.path}: ${e.line !== undefined ? `line ${e.line}` : `row ${e.row}`}: ${e.message}`
}

function where(shard: Shard, index: number): string {
  const line = (shard as { lineOf?: (i: number) => number }).lineOf?.(index)
  return line !== undefined ? `${shard.path}: line ${line}` : `${shard.path}: row ${index}`
}

/** Target chars / source chars over the texts of the example; null when no source text is known. */
function ratioOf(msgs: readonly SourcedMsg[], source: Lengths | undefined): number | null {
  if (!source?.size) return null
  let s = 0
  let t = 0
  for (const m of msgs) {
    const len = source.get(m.address)
    if (len === undefined) return null
    s += len
    t += m.content.length
  }
  return s > 0 ? t / s : null
}

const NO_LENGTHS: Map<string, number> = new Map()

/** The English side when only text lengths are needed (no QA run): one streamed pass, lengths kept. */
class SourceLengths {
  readonly byId = new Map<string, Map<string, number>>()

  /** With `withLengths` false only the prompt_ids are kept (no length ratio to compute). */
  static async read(shard: Shard, kind: SchemaKind, withLengths: boolean, warn: (w: string) => void): Promise<SourceLengths> {
    const s = new SourceLengths()
    let errors = 0
    for await (const r of shard.rows()) {
      const id = r.row && rowPromptId(r.row, kind)
      if (!r.row || id === undefined) {
        if (errors++ < 5) warn(r.error ? rowErrorText(shard, r.error) : `${where(shard, r.index)}: row has no prompt_id and no prompt to derive one from`)
        continue
      }
      if (s.byId.has(id)) continue
      s.byId.set(id, withLengths ? new Map(textUnits(r.row, kind).map((u) => [u.address, u.text.length])) : NO_LENGTHS)
    }
    return s
  }
}

const unitLengths = (units: readonly UnitPair[]) => new Map(units.map((u) => [u.address, u.source.length]))

const plain = (m: SourcedMsg) => ({ content: m.content, role: m.role })

function dpoRow(ex: DpoExample, promptId: string, format: 'conversational' | 'string'): OutRow | null {
  if (format === 'string') {
    if (ex.prompt.length !== 1) return null
    return { prompt: ex.prompt[0].content, chosen: ex.chosen.content, rejected: ex.rejected.content, prompt_id: promptId, score_chosen: ex.scoreChosen, score_rejected: ex.scoreRejected }
  }
  return { prompt: ex.prompt.map(plain), chosen: [plain(ex.chosen)], rejected: [plain(ex.rejected)], prompt_id: promptId, score_chosen: ex.scoreChosen, score_rejected: ex.scoreRejected }
}

function sftRow(ex: SftExample, promptId: string): OutRow {
  return { prompt: ex.prompt, prompt_id: promptId, messages: ex.messages.map(plain) }
}

export async function exportDataset(opts: ExportOptions): Promise<ExportReport> {
  checkOptions(opts)
  if (opts.signal?.aborted) throw new ExportCancelled()
  // both indexed at once: opening reads each file through
  const opened = await Promise.allSettled([openShard(opts.target), opts.source !== undefined ? openShard(opts.source) : undefined])
  const failed = opened.find((o) => o.status === 'rejected')
  if (failed) {
    for (const o of opened) if (o.status === 'fulfilled') await o.value?.close()
    throw failed.reason
  }
  const [target, source] = opened.map((o) => (o as PromiseFulfilledResult<Shard | undefined>).value) as [Shard, Shard | undefined]
  const cleanup: (() => Promise<unknown>)[] = []
  try {
    try {
      return await run(opts, target, source, cleanup, true)
    } catch (e) {
      // rare: a worker thread could not start or the QA worker would not judge as this thread does (do its
      // work here), or an input was rewritten in place with its size and time kept (its cached flags are void)
      const again: [ExportOptions, boolean] | undefined =
        e instanceof QaWorkerUnusable
          ? [{ ...opts, qaWorker: false }, true]
          : e instanceof WriterWorkerUnusable
            ? [{ ...opts, writerWorker: false }, true]
            : e instanceof StaleCache
              ? [opts, false]
              : undefined
      if (!again) throw e
      for (const c of cleanup.splice(0)) await c()
      return await run(again[0], target, source, cleanup, again[1])
    }
  } finally {
    for (const c of cleanup) await c()
    await target.close()
    await source?.close()
  }
}

async function run(opts: ExportOptions, target: Shard, source: Shard | undefined, cleanup: (() => Promise<unknown>)[], useCaches: boolean): Promise<ExportReport> {
  const kind = await shardKind(target)
  if (!kind) throw new ExportArgumentError(`${target.path}: cannot tell the schema of this shard (no row of a known kind among the first rows)`)
  if (source) {
    const sk = await shardKind(source)
    if (sk !== kind) throw new ExportArgumentError(`cannot pair ${source.path} (${sk ?? 'unknown schema'}) with ${target.path} (${kind}): the schemas differ`)
  }
  const allowed = opts.kind === 'dpo' ? DPO_KINDS : SFT_KINDS
  if (!allowed.includes(kind)) {
    throw new ExportArgumentError(`--kind ${opts.kind} needs a shard of kind ${allowed.join(' or ')}; ${target.path} is ${kind}`)
  }

  const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>
  const stats: Record<string, number> = {
    editsApplied: 0,
    recordsEdited: 0,
    editsWithoutText: 0,
    swapped: 0,
    humanPicks: 0,
    pairsByH4Rule: 0,
    reviewedRecords: 0,
    approvedRecords: 0,
    writtenReviewed: 0,
  }
  // Journal and QA notes, then the English side's rows, then the translation's: the order of the days the
  // English side was read before the translation, kept now that it is read alongside.
  const early: string[] = []
  const late: string[] = []
  let warnings = early
  const warn = (w: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w)
  }
  const exclude = (r: ExclusionReason) => excluded[r]++

  const ratioOn = opts.maxRatioDeviation !== undefined
  const qaMode = opts.qaFlags ?? 'not-dismissed'
  const runQa = opts.maxSeverity !== null && qaMode === 'not-dismissed'
  // first, so that the English side is read while the journals and the QA setup load
  const scan = source?.format === 'jsonl' ? SourceScan.start({ path: source.path, kind, lengths: ratioOn, hashAlso: [target.path], cache: { workspace: opts.workspace, reuse: useCaches } }) : null
  if (scan) cleanup.push(() => scan.close())
  const reviewing = loadReview(opts.workspace, source ? [target.path, source.path] : [target.path])
  // settled below; a failure must not surface as unhandled while the QA gate loads
  reviewing.catch(() => undefined)
  const hashes = scan ? scan.hashes.then(([s, t]) => [t, s]) : hashFilesInBackground(source ? [target.path, source.path] : [target.path])
  // awaited only once the records are written: an export failing before that closes the scan worker, whose
  // hashes then reject, and that must not surface as an unhandled rejection
  hashes.catch(() => undefined)
  const qa = await openQaGate(qaMode, opts.workspace, opts.maxSeverity ?? undefined)
  const review = await reviewing
  for (const e of review.errors.slice(0, 5)) warn(`journal: ${e}`)
  for (const n of qa.notes.slice(0, 5)) warn(`qa: ${n}`)
  let qaRan = false
  const recordQa = scan
    ? RecordQa.open({ workspace: opts.workspace, target, source: source!, kind, gate: qa, runQa, reuseCache: useCaches, worker: opts.qaWorker, limit: opts.maxSeverity ?? undefined })
    : undefined
  if (recordQa) cleanup.push(() => recordQa.close())
  // The English side: on the worker when it can run; else whole rows alongside the target when the QA
  // engine needs the texts, or lengths read up front.
  let cursor: SourceCursor | undefined
  let lengths: SourceLengths | undefined
  if (scan) {
    // Read alongside.
  } else if (source && runQa) {
    const keys = await indexByPromptId(source, kind)
    for (const e of keys.errors.slice(0, 5)) warn(rowErrorText(source, e))
    cursor = new SourceCursor(source, keys.byId)
  } else if (source) lengths = await SourceLengths.read(source, kind, ratioOn, warn)
  const sourceIds = (): Iterable<string> => scan?.byId.keys() ?? cursor?.byId.keys() ?? lengths?.byId.keys() ?? []
  warnings = late
  let mode: ExportMode = source ? 'paired-shards' : 'translation-only'
  let modeJudged = false

  const fields = outputFields(opts.kind, opts.dpoFormat)
  const splits: Split[] = opts.testSize > 0 ? ['train', 'test'] : ['train']
  const marginOn = opts.minMargin !== undefined
  const simOn = opts.minSimilarity !== undefined
  let simSeen = 0
  let simMissing = 0
  let simRemeasured = 0
  let simOfStored = 0
  let ratioUncomputable = 0
  let marginExempt = 0
  let marginUncomputable = 0
  let read = 0
  const seen = new Set<string>()
  const counts = { train: 0, test: 0 }
  const inputs: InputFile[] = []

  const kvMetadata: Record<string, string> = { 'phoenix.export.kind': opts.kind, 'phoenix.export.seed': String(opts.seed) }

  const limit = opts.maxSeverity ? severityRank(opts.maxSeverity) : Infinity
  // With the QA worker: records not yet finished, oldest first; each finishes after the one before it.
  let lastRecord: Promise<void> = Promise.resolve()
  const inFlight: Promise<void>[] = []

  const thread = (opts.writerWorker ?? statSync(target.path).size >= WORKER_MIN_BYTES) ? WriterThread.start() : undefined
  if (thread) cleanup.push(() => thread.close())

  const report = await writeDirAtomically(opts.out, async (dir) => {
    mkdirSync(join(dir, 'data'))
    const sinks = new Map<Split, Sink>()
    try {
      for (const s of splits) {
        const file = join(dir, 'data', splitFileName(s, opts.format))
        sinks.set(s, openSink(file, opts.format, fields, { rowGroupSize: opts.rowGroupSize, kvMetadata: { ...kvMetadata, 'phoenix.export.split': s }, thread }))
      }

      for await (const r of target.rows()) {
        read++
        if (read % PROGRESS_EVERY === 0) {
          if (opts.signal?.aborted) throw new ExportCancelled()
          opts.onProgress?.({ read, written: counts.train + counts.test })
        }
        if (!r.row) {
          exclude('invalid-row')
          warn(rowErrorText(target, r.error!))
          continue
        }
        const problems = validateRow(r.row, kind)
        const promptId = problems.length ? undefined : rowPromptId(r.row, kind)
        if (problems.length || promptId === undefined) {
          exclude('invalid-row')
          warn(`${where(target, r.index)}: ${problems[0] ?? 'row has no prompt_id and no prompt to derive one from'}`)
          continue
        }
        if (seen.has(promptId)) {
          exclude('duplicate-prompt-id')
          warn(`${where(target, r.index)}: prompt_id ${promptId} appears again; the first row wins`)
          continue
        }
        seen.add(promptId)

        let sourceRow: Row | undefined
        let srcLengths: Lengths | undefined
        let entry: SourceEntry | undefined
        // read at once when the worker has reached the row (nearly always): no promise per record
        if (scan) srcLengths = (entry = scan.byId.get(promptId) ?? (await scan.get(promptId)))?.lengths
        else if (cursor) sourceRow = await cursor.get(promptId)
        else if (lengths) srcLengths = lengths.byId.get(promptId)
        if (source && !sourceRow && !srcLengths) {
          exclude('missing-source')
          continue
        }

        // Mode (b) is judged on the first well-formed row, as pairing does.
        if (!source && !modeJudged) {
          modeJudged = true
          if (hasOriginalFields(r.row, kind)) mode = 'original-fields'
        }

        const merged = review.merged(promptId)
        if (merged) stats.reviewedRecords++
        if (merged?.approved) stats.approvedRecords++
        if (opts.approvedOnly && merged?.approved !== true) {
          exclude(merged?.approvalConflict ? 'approval-conflict' : 'not-approved')
          continue
        }
        let row = r.row
        if (merged?.edits.size) {
          const res = applyEdits(row, kind, merged.edits)
          row = res.row
          stats.editsApplied += res.changed.length
          if (res.changed.length) stats.recordsEdited++
          stats.editsWithoutText += res.missing.length
          for (const a of res.missing) warn(`${where(target, r.index)}: an edit of "${a}" points to no text of this row; ignored`)
        }
        // English and current German text per address, where the QA engine or the length ratio needs them.
        let units: UnitPair[] | undefined
        if (sourceRow) units = pairUnits(sourceRow, row, kind).units
        else if (mode === 'original-fields' && (runQa || ratioOn)) units = pairUnitsFromOriginal(row, kind).units
        if (units && !srcLengths && ratioOn) srcLengths = unitLengths(units)

        // QA hits: from the cache or the in-process engine at once, from the QA worker later
        let worstHuman = 0
        let hitsNow: readonly QaHit[] | null | undefined
        let hitsLater: Promise<readonly QaHit[] | null> | undefined
        if (opts.maxSeverity) {
          worstHuman = worstHumanFlag(merged)
          if (worstHuman < limit && entry && recordQa?.judging) {
            const h = recordQa.hits(entry, row, row === r.row ? r.index : null)
            // only the worker runs alongside; the engine here is waited for, so records go straight through
            if (h instanceof Promise && recordQa.parallel) hitsLater = h
            else hitsNow = h instanceof Promise ? await h : h
          } else if (worstHuman < limit) {
            worstHuman = Math.max(worstHuman, qa.worst(merged, units))
            if (units?.length) qaRan = true
          }
        }
        /** The rest of the record, in file order: severity, pick, example, filters, output. */
        const finish = async (hits: readonly QaHit[] | null | undefined): Promise<void> => {
          if (opts.maxSeverity) {
            let worst = worstHuman
            if (hits !== undefined) {
              worst = Math.max(worst, qa.judge(merged, hits))
              if (hits) qaRan = true
            }
            if (worst >= limit) {
              exclude('flag-severity')
              return
            }
          }
          if (merged?.pickConflict) {
            exclude('pick-conflict')
            return
          }

          let out: OutRow | null
          let texts: SourcedMsg[]
          let margin: number | null = null
          let humanPick = false
          let ex: DpoExample | undefined
          if (opts.kind === 'dpo') {
            const pick = merged?.pick ?? null
            const built = kind === 'ultrafeedback-binarized' ? dpoFromBinarized(row, pick) : dpoFromRaw(row, pick, promptId, opts.seed)
            if ('excluded' in built) {
              exclude(built.excluded)
              return
            }
            ex = built.ok
            out = dpoRow(ex, promptId, opts.dpoFormat)
            if (!out) {
              exclude('multi-turn-prompt')
              return
            }
            texts = [...ex.prompt, ex.chosen, ex.rejected]
            humanPick = ex.humanPick
            if (ex.scoreChosen !== null && ex.scoreRejected !== null) margin = ex.scoreChosen - ex.scoreRejected
          } else {
            const built = sftFromRow(row, kind)
            if ('excluded' in built) {
              exclude(built.excluded)
              return
            }
            out = sftRow(built.ok, promptId)
            texts = built.ok.messages
          }

          if (simOn) {
            let sim = opts.similarity?.(promptId)
            if (row !== r.row) {
              // corrected: the stored translation's similarity says nothing about the texts exported
              const pairs = !opts.similarityProvider
                ? undefined
                : (units ?? (entry ? await recordQa!.englishUnits(entry, row) : mode === 'original-fields' ? pairUnitsFromOriginal(row, kind).units : undefined))
              if (pairs) {
                sim = await unitsSimilarity(pairs, opts.similarityProvider!)
                simRemeasured++
              } else if (sim !== undefined) simOfStored++
            }
            if (sim === undefined) simMissing++
            else {
              simSeen++
              if (sim < opts.minSimilarity!) {
                exclude('min-similarity')
                return
              }
            }
          }
          if (ratioOn) {
            const ratio = ratioOf(texts, srcLengths)
            if (ratio === null) ratioUncomputable++
            else if (Math.abs(ratio - opts.expectedRatio) > opts.maxRatioDeviation!) {
              exclude('length-ratio')
              return
            }
          }
          if (marginOn && opts.kind === 'dpo') {
            if (humanPick) marginExempt++
            else if (margin === null) marginUncomputable++
            else if (margin < opts.minMargin!) {
              exclude('min-margin')
              return
            }
          }

          if (ex) {
            if (ex.swapped) stats.swapped++
            if (ex.humanPick) stats.humanPicks++
            if (ex.byRule) stats.pairsByH4Rule++
          }
          if (merged) stats.writtenReviewed++
          const split = splitOf(opts.seed, opts.testSize, promptId)
          counts[split]++
          // the writer worker is behind: wait rather than pile up row groups
          const behind = sinks.get(split)!.add(out)
          if (behind) await behind
        }
        if (!recordQa?.parallel) await finish(hitsNow)
        else {
          // with the QA worker, every record finishes after the one before it, whose hits may still be coming
          const before = lastRecord
          const mine = (async () => {
            const hits = hitsLater ? await hitsLater : hitsNow
            await before
            await finish(hits)
          })()
          // a failure surfaces where the chain is awaited, not as an unhandled rejection before that
          mine.catch(() => undefined)
          lastRecord = mine
          inFlight.push(mine)
          if (inFlight.length > MAX_IN_FLIGHT) await inFlight.shift()
        }
      }
      await lastRecord
      if (opts.signal?.aborted) throw new ExportCancelled()
      opts.onProgress?.({ read, written: counts.train + counts.test })
      await scan?.done()
      for (const id of sourceIds()) if (!seen.has(id)) excluded['missing-translation']++
      for (const s of sinks.values()) await s.close()
    } catch (e) {
      for (const s of sinks.values()) await s.abort()
      throw e
    }

    const [targetSha, sourceSha] = await hashes
    scan?.settle([sourceSha, targetSha])
    recordQa?.settle([sourceSha, targetSha])
    inputs.push(await describeInput('target', target, opts.workspace, kind, targetSha))
    if (source) inputs.push(await describeInput('source', source, opts.workspace, kind, sourceSha))
    const excludedTotal = Object.values(excluded).reduce((a, b) => a + b, 0)
    const files = [...splits.map((s) => `data/${splitFileName(s, opts.format)}`), 'README.md', MANIFEST_FILE]
    const rep: ExportReport = {
      out: opts.out,
      kind: opts.kind,
      schema: kind,
      mode,
      format: opts.format,
      dpoFormat: opts.kind === 'dpo' ? opts.dpoFormat : null,
      seed: opts.seed,
      testSize: opts.testSize,
      rows: { read, written: counts.train + counts.test, train: counts.train, test: counts.test },
      excluded,
      excludedTotal,
      filters: {
        approvedOnly: opts.approvedOnly,
        maxSeverity: opts.maxSeverity,
        qaFlags: {
          mode: !opts.maxSeverity ? 'off' : runQa && !qaRan ? 'confirmed' : qa.mode,
          ...(runQa && !qaRan && mode === 'translation-only'
            ? { note: 'the QA engine needs English texts (a source shard or original fields); only flags a reviewer confirmed counted' }
            : {}),
          ...(qa.configFile ? { configFile: shardIdentity(opts.workspace, qa.configFile) } : {}),
          ...(qaRan && qa.languageId ? { languageId: qa.languageId } : {}),
          ...(qaRan ? { checks: enabledCheckNames(qa.engineConfig) } : {}),
          ...qa.stats,
        },
        minSimilarity: {
          threshold: opts.minSimilarity ?? null,
          applied: simOn && simSeen > 0,
          ...(simOn && simSeen === 0 ? { note: 'not applied: no similarity values are available for these records' } : {}),
          withoutValue: simOn ? simMissing : 0,
          correctedRemeasured: simRemeasured,
          correctedJudgedOnStoredTranslation: simOfStored,
        },
        lengthRatio: {
          expected: opts.expectedRatio,
          maxDeviation: opts.maxRatioDeviation ?? null,
          applied: ratioOn && mode !== 'translation-only',
          ...(ratioOn && mode === 'translation-only' ? { note: 'not applied: no English source texts (give the source shard, or use a shard with original fields)' } : {}),
          notComputable: ratioOn ? ratioUncomputable : 0,
        },
        minMargin: {
          threshold: opts.minMargin ?? null,
          applied: marginOn && opts.kind === 'dpo',
          exemptHumanPicks: marginExempt,
          notComputable: marginUncomputable,
        },
      },
      stats,
      qaOnWorker: recordQa?.onWorker ?? 0,
      englishFromCache: scan?.fromCache ?? false,
      writtenOnWorker: thread !== undefined,
      warnings: [...early, ...(scan?.warnings ?? []), ...late].slice(0, MAX_WARNINGS),
      files,
    }
    const manifest = buildManifest(opts, rep, inputs, review, rep.filters.qaFlags.mode === 'off' ? null : qa.config)
    Object.assign(manifest, { quality: residualDrift(opts.workspace, target.path, review.state, rep, opts.acceptance) })
    await addFileHashes(manifest, dir, files.slice(0, splits.length))
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n')
    writeFileSync(join(dir, 'README.md'), renderCard(opts, rep, manifest))
    return rep
  })
  return report
}
