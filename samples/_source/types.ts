export type DriftKind = 'omitted-sentence' | 'changed-number' | 'untranslated' | 'truncated' | 'altered-code' | 'first-line-only'

/** An UltraChat-style conversation: turns alternate user / assistant, starting with the user. */
export interface Conversation {
  en: string[]
  de: string[]
  drift?: { turn: number; kind: DriftKind; note: string }[]
}

export interface Preference {
  en: { prompt: string; chosen: string; rejected: string }
  de: { prompt: string; chosen: string; rejected: string }
  score_chosen: number
  score_rejected: number
  drift?: { part: 'chosen' | 'rejected'; kind: DriftKind; note: string }[]
}

/** One raw UltraFeedback completion: ratings are helpfulness, honesty, instruction following, truthfulness. */
export interface RawCompletion {
  model: string
  en: string
  de: string
  ratings: [number, number, number, number]
  why: string
  overall: number
  principle: 'helpfulness' | 'honesty' | 'truthfulness' | 'verbalized_calibration'
}

export interface RawSample {
  source: string
  en: string
  de: string
  completions: RawCompletion[]
  drift?: { completion: number; kind: DriftKind; note: string }[]
}
