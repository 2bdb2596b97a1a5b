/**
 * QA over whole shards: every paired record through the engine, with the record's prompt_id and the
 * target's line, plus rows and texts present on one side only. Used by `phoenix qa` and the diagnostics.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openPaired, type PairedShards } from '../records/paired'
import { parseQaConfig, defaultQaConfig, type QaConfig } from './config'
import { qaRecord } from './engine'
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

export async function* qaShardFlags(paired: PairedShards, config: QaConfig, runtime: QaRuntime): AsyncIterable<ShardFlag> {
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
    for (const f of qaRecord(rec.units, config, runtime)) {
      yield withLine({ prompt_id: rec.promptId, address: f.address, check: f.check, severity: f.severity, message: f.message }, line)
    }
  }
}

function withLine(f: ShardFlag, line: number | undefined): ShardFlag {
  if (line !== undefined) f.line = line
  return f
}

export { openPaired }
