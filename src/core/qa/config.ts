import { CHECK_NAMES, type CheckName, type Severity } from './types'

/** Settings every check has. */
export interface CheckSettings {
  enabled: boolean
  severity: Severity
}

export interface QaConfig {
  numbers: CheckSettings & {
    /** Source digits up to this value may appear as German number words in the target (and vice versa). */
    spelledOutMax: number
  }
  urls: CheckSettings
  emails: CheckSettings
  placeholders: CheckSettings
  code: CheckSettings & {
    /** Compare code blocks with comments removed, so translated comments are accepted. */
    allowTranslatedComments: boolean
  }
  markdown: CheckSettings
  brackets: CheckSettings
  untranslated: CheckSettings & {
    /** Sentences with fewer words are not judged (names, short titles). */
    minWords: number
    /** fastText probability of English needed to call a sentence English. */
    minProbability: number
    /** At most this many sentences per text go through language id (the cost bound). */
    maxSentences: number
    /** Share of the target's prose that must be English to report the whole text as untranslated. */
    wholeTextShare: number
  }
  identical: CheckSettings & {
    /** Identical texts with fewer words (after removing code, URLs, numbers) are accepted. */
    minWords: number
  }
  'length-ratio': CheckSettings & {
    min: number
    max: number
    /** Texts whose source prose is shorter than this are skipped: ratios of short texts say little. */
    minSourceChars: number
  }
  truncation: CheckSettings & {
    /** Flag when target non-empty lines < source non-empty lines × this ratio. */
    minLineRatio: number
  }
  repetition: CheckSettings & {
    /** n of the word n-grams counted. */
    ngram: number
    /** An n-gram (or a tail) seen this many times is a loop. */
    minRepeats: number
    /** deflate compression ratio (raw/compressed) above which a long target counts as a loop. */
    maxCompressionRatio: number
    /** Targets shorter than this are checked for word loops only. */
    minChars: number
  }
  'prompt-leakage': CheckSettings
  entities: CheckSettings
  similarity: CheckSettings & {
    /** Minimum cosine similarity between source and target embeddings. */
    threshold: number
  }
  consistency: CheckSettings
}

export const DEFAULT_QA_CONFIG: Readonly<QaConfig> = Object.freeze({
  numbers: { enabled: true, severity: 'warning', spelledOutMax: 20 },
  urls: { enabled: true, severity: 'error' },
  emails: { enabled: true, severity: 'error' },
  placeholders: { enabled: true, severity: 'error' },
  code: { enabled: true, severity: 'error', allowTranslatedComments: false },
  markdown: { enabled: true, severity: 'warning' },
  brackets: { enabled: true, severity: 'info' },
  untranslated: { enabled: true, severity: 'error', minWords: 4, minProbability: 0.5, maxSentences: 6, wholeTextShare: 0.8 },
  identical: { enabled: true, severity: 'error', minWords: 2 },
  'length-ratio': { enabled: true, severity: 'warning', min: 0.7, max: 2.0, minSourceChars: 20 },
  truncation: { enabled: true, severity: 'error', minLineRatio: 0.8 },
  repetition: { enabled: true, severity: 'error', ngram: 4, minRepeats: 4, maxCompressionRatio: 4, minChars: 200 },
  'prompt-leakage': { enabled: true, severity: 'error' },
  entities: { enabled: true, severity: 'warning' },
  similarity: { enabled: true, severity: 'warning', threshold: 0.75 },
  consistency: { enabled: true, severity: 'warning' },
} satisfies QaConfig)

/** A fresh, mutable copy of the defaults. */
export function defaultQaConfig(): QaConfig {
  return structuredClone(DEFAULT_QA_CONFIG) as QaConfig
}

export interface ParsedQaConfig {
  config: QaConfig
  /** One message per problem, each naming the file and the key; the bad keys are ignored, the rest loads. */
  errors: string[]
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'info']

/** Range rules for numeric options; anything not listed must be a finite number ≥ 0. */
const NUMBER_RULES: Record<string, { min: number; max: number; integer?: boolean }> = {
  spelledOutMax: { min: 0, max: 1000, integer: true },
  minWords: { min: 0, max: 1000, integer: true },
  minProbability: { min: 0, max: 1 },
  maxSentences: { min: 0, max: 1000, integer: true },
  wholeTextShare: { min: 0, max: 1 },
  min: { min: 0, max: 100 },
  max: { min: 0, max: 100 },
  minSourceChars: { min: 0, max: 1e6, integer: true },
  minLineRatio: { min: 0, max: 1 },
  ngram: { min: 1, max: 10, integer: true },
  minRepeats: { min: 2, max: 1000, integer: true },
  maxCompressionRatio: { min: 1, max: 1000 },
  minChars: { min: 0, max: 1e6, integer: true },
  threshold: { min: -1, max: 1 },
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  return typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `${typeof v} ${JSON.stringify(v)}`
}

/**
 * Reads a `phoenix-qa.json` (already parsed, or its raw text) into a full config: defaults, overridden by the
 * file. Shape: `{ "checks": { "<check>": { "enabled": bool, "severity": "...", <options> } } }`; a check may also
 * be given as `false` (off), `true` (on) or a severity string. Unknown keys and bad values are reported with the
 * file name and the key path and otherwise ignored.
 */
export function parseQaConfig(json: unknown, fileName: string): ParsedQaConfig {
  const config = defaultQaConfig()
  const errors: string[] = []
  let doc = json
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json)
    } catch (e) {
      errors.push(`${fileName}: not valid JSON (${(e as Error).message})`)
      return { config, errors }
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    errors.push(`${fileName}: expected a JSON object at the top level, got ${describe(doc)}`)
    return { config, errors }
  }
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (key === '$schema' || key === 'comment') continue
    if (key !== 'checks') {
      errors.push(`${fileName}: unknown top-level key "${key}" (expected "checks")`)
      continue
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${fileName}: "checks" must be an object, got ${describe(value)}`)
      continue
    }
    for (const [check, settings] of Object.entries(value as Record<string, unknown>)) {
      if (!(CHECK_NAMES as readonly string[]).includes(check)) {
        errors.push(`${fileName}: unknown check "checks.${check}" (known: ${CHECK_NAMES.join(', ')})`)
        continue
      }
      applyCheck(config, check as CheckName, settings, fileName, errors)
    }
  }
  const lr = config['length-ratio']
  if (lr.min >= lr.max) {
    errors.push(`${fileName}: "checks.length-ratio.min" (${lr.min}) must be below "max" (${lr.max}); using the defaults`)
    lr.min = DEFAULT_QA_CONFIG['length-ratio'].min
    lr.max = DEFAULT_QA_CONFIG['length-ratio'].max
  }
  return { config, errors }
}

function applyCheck(config: QaConfig, check: CheckName, settings: unknown, fileName: string, errors: string[]): void {
  const target = config[check] as unknown as Record<string, unknown>
  const where = `checks.${check}`
  if (typeof settings === 'boolean') {
    target.enabled = settings
    return
  }
  if (typeof settings === 'string') {
    if (SEVERITIES.includes(settings)) target.severity = settings
    else errors.push(`${fileName}: "${where}" must be an object, a boolean or one of ${SEVERITIES.join('/')}, got ${describe(settings)}`)
    return
  }
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    errors.push(`${fileName}: "${where}" must be an object, a boolean or a severity, got ${describe(settings)}`)
    return
  }
  for (const [key, v] of Object.entries(settings as Record<string, unknown>)) {
    const path = `${where}.${key}`
    if (!(key in target)) {
      const known = Object.keys(target).join(', ')
      errors.push(`${fileName}: unknown option "${path}" (options of ${check}: ${known})`)
      continue
    }
    const current = target[key]
    if (key === 'severity') {
      if (typeof v === 'string' && SEVERITIES.includes(v)) target.severity = v
      else errors.push(`${fileName}: "${path}" must be one of ${SEVERITIES.join('/')}, got ${describe(v)}`)
    } else if (typeof current === 'boolean') {
      if (typeof v === 'boolean') target[key] = v
      else errors.push(`${fileName}: "${path}" must be true or false, got ${describe(v)}`)
    } else if (typeof current === 'number') {
      const rule = NUMBER_RULES[key] ?? { min: 0, max: Number.MAX_SAFE_INTEGER }
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        errors.push(`${fileName}: "${path}" must be a number, got ${describe(v)}`)
      } else if (v < rule.min || v > rule.max || (rule.integer && !Number.isInteger(v))) {
        const kind = rule.integer ? 'an integer' : 'a number'
        errors.push(`${fileName}: "${path}" must be ${kind} from ${rule.min} to ${rule.max}, got ${v}`)
      } else target[key] = v
    }
  }
}

/** Defaults with a partial override applied (for code and tests; JSON input goes through parseQaConfig). */
export function withOverrides(overrides: { [K in CheckName]?: Partial<QaConfig[K]> }): QaConfig {
  const config = defaultQaConfig()
  for (const [k, v] of Object.entries(overrides)) Object.assign(config[k as CheckName], v)
  return config
}
