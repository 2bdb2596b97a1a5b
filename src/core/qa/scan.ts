/**
 * QA over whole shards: every paired record through the engine, with the record's prompt_id and the
 * target's line, plus rows and texts present on one side only. Used by `phoenix qa` and the diagnostics.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openPaired, type PairedShards } from '../records/paired'
import { parseQaConfig, defaultQaConfig, type QaConfig } from './config'
import { qaRecord, qaRecordAsync } from './engine'
import { loadLanguageId } from './langid'
import type { QaRuntime } from './types'

export interface ShardFlag {
  prompt_id: string
  address: string
  check: string
  severity: 'error' | 'warning' | 'info'
  message: string
  /** 1-based line of the target row when the target is JSONL. */
  line?: number
  span?: { start: number; end: number }
}

export const QA_CONFIG_FILE = 'phoenix-qa.json'

/** The workspace's `phoenix-qa.json` (or an explicit file) over the defaults, with its problems listed. */
export function loadQaConfig(opts: { file?: string; workspace?: string }): { config: QaConfig; errors: string[]; file?: string } {
  const file = opts.file ?? (opts.workspace ? join(opts.workspace, QA_CONFIG_FILE) : undefined)
  if (!file || (!opts.file && !existsSync(file))) return { config: defaultQaConfig(), errors: [] }
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    return { config: defaultQaConfig(), errors: [`${file}: ${(e as Error).message}`], file }
  }
  const parsed = parseQaConfig(text, file)
  return { ...parsed, file }
}

/** Language id for the untranslated check: fastText lid.176 when it loads, else the stopword fallback. */
export async function qaRuntime(opts: { languageId?: boolean } = {}): Promise<{ runtime: QaRuntime; note?: string }> {
  if (opts.languageId === false) return { runtime: {} }
  const { languageId, reason } = await loadLanguageId()
  return { runtime: { languageId }, note: reason }
}

/**
 * Flags of every record. Rule checks only: `runtime.similarity` is ignored here, so a shard without an
 * embedding model pays no await per record; `qaShardFlagsAsync` adds the similarity check.
 */
export function qaShardFlags(paired: PairedShards, config: QaConfig, runtime: QaRuntime): AsyncIterable<ShardFlag> {
  return shardFlags(paired, config, runtime, undefined)
}

/** `qaShardFlags` plus semantic similarity when `runtime.similarity` is set (one embeddings request per record). */
export function qaShardFlagsAsync(paired: PairedShards, config: QaConfig, runtime: QaRuntime): AsyncIterable<ShardFlag> {
  return shardFlags(paired, config, runtime, runtime.similarity && config.similarity.enabled ? qaRecordAsync : undefined)
}

async function* shardFlags(paired: PairedShards, config: QaConfig, runtime: QaRuntime, asyncRecord: typeof qaRecordAsync | undefined): AsyncIterable<ShardFlag> {
  for (const m of paired.missingInTarget) {
    yield { prompt_id: m.promptId, address: '', check: 'missing-row', severity: 'error', message: `Source row ${m.sourceIndex} has no translation in the target shard.` }
  }
  for (const m of paired.missingInSource) {
    yield { prompt_id: m.promptId, address: '', check: 'missing-row', severity: 'warning', message: `Target row ${m.targetIndex} has no source row with this prompt_id.` }
  }
  for await (const rec of paired.records()) {
    const line = rec.targetLine
    for (const m of rec.missing) {
      const message = m.side === 'target' ? `The translation has no text at ${m.address}, the source does.` : `The translation has a text at ${m.address} that the source lacks.`
      yield withLine({ prompt_id: rec.promptId, address: m.address, check: 'missing-text', severity: 'error', message }, line)
    }
    for (const f of asyncRecord ? await asyncRecord(rec.units, config, runtime) : qaRecord(rec.units, config, runtime)) {
      const flag: ShardFlag = { prompt_id: rec.promptId, address: f.address, check: f.check, severity: f.severity, message: f.message }
      if (f.span) flag.span = f.span
      yield withLine(flag, line)
    }
  }
}

function withLine(f: ShardFlag, line: number | undefined): ShardFlag {
  if (line !== undefined) f.line = line
  return f
}

export { openPaired }

/** Stable key of an automatic flag, shared by the review editor and "Mark as false alarm". */
export function qaFlagKey(f: { address: string; check: string; span?: { start: number; end: number } }): string {
  return `${f.address}|${f.check}|${f.span ? `${f.span.start}-${f.span.end}` : ''}`
}

/** `phoenix-qa.json` text merged over settings-level checks: the workspace file wins, it is what the CLI reads. */
export function mergeQaSources(settingsChecks: Record<string, unknown> | undefined, fileText: string | undefined, fileName: string): { config: QaConfig; errors: string[] } {
  const errors = settingsChecks ? parseQaConfig({ checks: settingsChecks }, 'setting phoenix.qa.checks').errors : []
  let fileChecks: Record<string, unknown> = {}
  if (fileText !== undefined) {
    errors.push(...parseQaConfig(fileText, fileName).errors)
    try {
      fileChecks = (JSON.parse(fileText) as { checks?: Record<string, unknown> }).checks ?? {}
    } catch {
      // Reported above; the settings still apply.
    }
  }
  // Both sources were reported on; the merge only reapplies them, so its own messages would repeat.
  return { config: parseQaConfig({ checks: { ...settingsChecks, ...fileChecks } }, fileName).config, errors }
}
