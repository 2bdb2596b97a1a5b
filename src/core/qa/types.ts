/** Shapes shared by the QA engine, its checks and its callers (CLI, extension diagnostics, review). */

export type Severity = 'error' | 'warning' | 'info'

/** Stable check ids: they appear in flags, in `phoenix-qa.json` and in the labeled test set. */
export const CHECK_NAMES = [
  'numbers',
  'urls',
  'emails',
  'placeholders',
  'code',
  'markdown',
  'brackets',
  'untranslated',
  'identical',
  'length-ratio',
  'truncation',
  'repetition',
  'prompt-leakage',
  'entities',
  'similarity',
  'consistency',
] as const

export type CheckName = (typeof CHECK_NAMES)[number]

export interface Span {
  start: number
  end: number
}

export interface Flag {
  /** Address of the text unit, e.g. `messages/3/content`. */
  address: string
  check: CheckName
  severity: Severity
  /** One plain sentence naming the offending token. */
  message: string
  /** Character offsets [start, end) into the text named by `spanIn`. */
  span?: Span
  /** `source` for omissions (the token is only in the source), otherwise `target`. Set whenever span is. */
  spanIn?: 'source' | 'target'
}

/** One source text and its translation. `role` is carried for callers; no check depends on it yet. */
export interface QaPair {
  address: string
  source: string
  target: string
  role?: string
}

/** A record's text units, as produced by pairing (address + English source + German target). */
export interface QaUnit {
  address: string
  source: string
  target: string
  role?: string
}

/** Language identification of one piece of text. */
export interface LanguageGuess {
  /** ISO 639-1 style code as the model labels it (`en`, `de`, …). */
  lang: string
  probability: number
}

/** Sentence-level language identifier. Synchronous so that rule checks stay synchronous once it is loaded. */
export interface LanguageIdentifier {
  readonly name: string
  identify(text: string): LanguageGuess
}

/** Embeddings for the optional semantic-similarity check (the inference server's /v1/embeddings). */
export interface SimilarityProvider {
  embed(texts: string[]): Promise<number[][]>
}

/** Runtime helpers that do not belong in a JSON config. */
export interface QaRuntime {
  /** fastText lid.176 (see `langid.ts`); without it the untranslated check uses the stopword detector. */
  languageId?: LanguageIdentifier
  similarity?: SimilarityProvider
}
