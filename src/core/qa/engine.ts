/**
 * The QA engine: runs the enabled rule checks over one source/translation pair, cheapest first, and then
 * drops flags that a more specific diagnosis already explains:
 * - `identical` explains `untranslated` and `length-ratio` (the expensive language check is skipped);
 * - `prompt-leakage` explains `untranslated` (the echoed prompt is English);
 * - `truncation` explains `length-ratio`, `markdown`, `brackets` and every omission (span in the source);
 * - `repetition` explains `length-ratio` and `brackets`.
 * Rule checks are synchronous; `runQaAsync` / `qaRecordAsync` add the optional semantic-similarity check.
 */
import { checkBrackets } from './checks/brackets'
import { checkCode } from './checks/code'
import { checkEntities } from './checks/entities'
import { checkIdentical, checkUntranslated } from './checks/language'
import { checkPromptLeakage } from './checks/leakage'
import { checkLengthRatio } from './checks/length'
import { checkEmails, checkUrls } from './checks/links'
import { checkMarkdown } from './checks/markdown'
import { checkNumbers } from './checks/numbers'
import { checkPlaceholders } from './checks/placeholders'
import { checkRepetition } from './checks/repetition'
import { checkSimilarity } from './checks/similarity'
import { checkTruncation } from './checks/truncation'
import { DEFAULT_QA_CONFIG, type QaConfig } from './config'
import { PairContext, type RuleCheck } from './context'
import { clip } from './text'
import { CHECK_NAMES, type CheckName, type Flag, type QaPair, type QaRuntime, type QaUnit, type Severity } from './types'

/** Rule checks in the order they run (cheap and decisive first, language id last). */
const ORDER: [CheckName, RuleCheck][] = [
  ['identical', checkIdentical],
  ['prompt-leakage', checkPromptLeakage],
  ['repetition', checkRepetition],
  ['truncation', checkTruncation],
  ['length-ratio', checkLengthRatio],
  ['urls', checkUrls],
  ['emails', checkEmails],
  ['placeholders', checkPlaceholders],
  ['code', checkCode],
  ['markdown', checkMarkdown],
  ['brackets', checkBrackets],
  ['numbers', checkNumbers],
  ['entities', checkEntities],
  ['untranslated', checkUntranslated],
]

const AFTER_TRUNCATION = new Set<CheckName>(['length-ratio', 'markdown', 'brackets'])
const AFTER_REPETITION = new Set<CheckName>(['length-ratio', 'brackets'])
/** Checks whose flags skip or drop other checks' flags (see runQa): they run whenever any check runs. */
const EXPLAINING: readonly CheckName[] = ['identical', 'prompt-leakage', 'truncation', 'repetition']
const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 }

/**
 * The config with every check below `min` severity switched off, except the checks that explain others
 * away: its flags of severity `min` and above are exactly the full config's. For callers that act only on
 * serious flags (the export's severity filter), which then skip the costlier minor checks (numbers and
 * entities are warnings by default).
 */
export function configAtLeast(config: QaConfig, min: Severity): QaConfig {
  const out = structuredClone(config)
  for (const name of Object.keys(out) as CheckName[]) {
    const c = out[name]
    if (c.enabled && SEVERITY_RANK[c.severity] < SEVERITY_RANK[min] && !EXPLAINING.includes(name)) c.enabled = false
  }
  return out
}

/** The rule checks (record-level consistency included) a config runs, in CHECK_NAMES order. */
export function enabledCheckNames(config: QaConfig): CheckName[] {
  return CHECK_NAMES.filter((n) => n !== 'similarity' && config[n].enabled)
}

/**
 * The enabled checks of a config, computed once per config object: configs are built once and reused for
 * every pair, and looking each check's settings up by name per pair showed in profiles.
 */
const enabledChecks = new WeakMap<QaConfig, [CheckName, RuleCheck][]>()

function checksOf(config: QaConfig): [CheckName, RuleCheck][] {
  let list = enabledChecks.get(config)
  if (!list) enabledChecks.set(config, (list = ORDER.filter(([name]) => config[name].enabled)))
  return list
}

/** Rule checks over one pair. Never throws on odd text; an empty source yields no flags. */
export function runQa(pair: QaPair, config: QaConfig = DEFAULT_QA_CONFIG, runtime: QaRuntime = {}): Flag[] {
  const source = typeof pair.source === 'string' ? pair.source : ''
  const target = typeof pair.target === 'string' ? pair.target : ''
  if (source.trim() === '') return []
  const ctx = new PairContext(pair.address, source, target, config, runtime.languageId)
  for (const [name, check] of checksOf(config)) {
    if (name === 'untranslated' && (ctx.has('identical') || ctx.has('prompt-leakage'))) continue
    if (name === 'length-ratio' && (ctx.has('identical') || ctx.has('truncation') || ctx.has('repetition'))) continue
    check(ctx)
  }
  const truncated = ctx.has('truncation')
  const looping = ctx.has('repetition')
  if (!truncated && !looping) return ctx.flags
  return ctx.flags.filter((f) => {
    if (truncated && f.check !== 'truncation' && (AFTER_TRUNCATION.has(f.check) || f.spanIn === 'source')) return false
    if (looping && AFTER_REPETITION.has(f.check)) return false
    return true
  })
}

/** Rule checks plus, when a provider is given, semantic similarity. */
export async function runQaAsync(pair: QaPair, config: QaConfig = DEFAULT_QA_CONFIG, runtime: QaRuntime = {}): Promise<Flag[]> {
  const flags = runQa(pair, config, runtime)
  if (pair.source.trim() === '') return flags
  return [...flags, ...(await checkSimilarity([pair], config, runtime.similarity))]
}

/**
 * Every unit of one record, plus record-level checks: texts with the same source inside a record (UltraChat's
 * `prompt` repeats `messages/0/content`) must get the same translation.
 */
export function qaRecord(units: readonly QaUnit[], config: QaConfig = DEFAULT_QA_CONFIG, runtime: QaRuntime = {}): Flag[] {
  const flags: Flag[] = []
  for (let i = 0; i < units.length; i++) {
    const u = units[i]
    // UltraChat repeats the prompt as messages/0: same pair, same flags, no second run
    let j = 0
    while (j < i && (units[j].source !== u.source || units[j].target !== u.target)) j++
    if (j < i) {
      for (const f of flags) if (f.address === units[j].address) flags.push({ ...f, address: u.address })
      continue
    }
    for (const f of runQa(u, config, runtime)) flags.push(f)
  }
  if (config.consistency.enabled && units.length > 1) {
    // units with the same source are found by comparing trimmed texts of equal length: a Map keyed by the
    // texts would hash every character of every (often long) text of every record
    const keys = units.map((u) => u.source.trim())
    for (let i = 0; i < units.length; i++) {
      const u = units[i]
      const key = keys[i]
      if (key === '') continue
      let j = 0
      while (j < i && (keys[j].length !== key.length || keys[j] !== key)) j++
      if (j === i) continue
      // the first unit with this source is the one compared against
      const first = units[j]
      if (first.target.trim() !== u.target.trim()) {
        flags.push({
          address: u.address,
          check: 'consistency',
          severity: config.consistency.severity,
          message: `This text has the same source as "${first.address}" but is translated differently ("${clip(u.target, 30)}" vs "${clip(first.target, 30)}").`,
        })
      }
    }
  }
  return flags
}

export async function qaRecordAsync(units: readonly QaUnit[], config: QaConfig = DEFAULT_QA_CONFIG, runtime: QaRuntime = {}): Promise<Flag[]> {
  const flags = qaRecord(units, config, runtime)
  return [...flags, ...(await checkSimilarity(units, config, runtime.similarity))]
}
