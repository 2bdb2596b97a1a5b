import { promptIdOf } from '../records/schema'
import type { Message, Row, UltraChatRow, UltraFeedbackBinarizedRow, UltraFeedbackCompletion, UltraFeedbackRawRow } from '../records/types'
import { bank, Composer } from './compose'
import { Rng } from './rng'
import type { Lang } from './slots'

export type SynthKind = 'ultrachat' | 'ultrafeedback-binarized' | 'ultrafeedback-raw'
export const SYNTH_KINDS: readonly SynthKind[] = ['ultrachat', 'ultrafeedback-binarized', 'ultrafeedback-raw']

export interface GenerateOptions {
  kind: SynthKind
  /** May be Infinity for an endless stream (the caller stops reading). */
  rows: number
  seed?: number
  /** 'de' yields the German counterpart of exactly the rows 'en' yields for the same seed. */
  lang?: Lang
}

/** How many fresh draws a row gets when its prompt repeats an earlier one before it is made unique by number. */
const RETRIES = 6

/**
 * Streams synthetic rows in the Hugging Face schemas, deterministically per seed. Each row is built from its
 * own random stream (seed, row index, attempt), so rows never depend on the language: the German stream has
 * the same prompt_ids (hashes of the English prompts), the same turns and the same text addresses as the
 * English one. Prompts are unique within a stream; that needs a set of seen ids (8 bytes per row).
 */
export function* generate(opts: GenerateOptions): Generator<Row> {
  const { kind, rows } = opts
  const seed = opts.seed ?? 1
  const lang = opts.lang ?? 'en'
  if (!SYNTH_KINDS.includes(kind)) throw new Error(`unknown kind "${kind}"; expected one of ${SYNTH_KINDS.join(', ')}`)
  if (!((Number.isInteger(rows) || rows === Infinity) && rows >= 0)) throw new RangeError(`rows must be a whole number >= 0, got ${rows}`)
  if (lang !== 'en' && lang !== 'de') throw new Error(`unknown language "${lang}"; expected en or de`)
  const seen = new Set<string>()
  for (let i = 0; i < rows; i++) yield generateRow(kind, seed, i, lang, seen)
}

/**
 * One row. With `seen`, a prompt already in the set is redrawn (and as a last resort numbered) so that
 * prompt_ids stay unique; without it the row depends on (kind, seed, index, lang) alone.
 */
export function generateRow(kind: SynthKind, seed: number, index: number, lang: Lang, seen?: Set<string>): Row {
  for (let attempt = 0; ; attempt++) {
    const c = new Composer(new Rng(seed, index, attempt, KIND_SALT[kind]), lang)
    let prompt = c.prompt()
    let id = promptIdOf(prompt[0])
    if (seen) {
      const key = id.slice(0, 16)
      if (seen.has(key)) {
        if (attempt < RETRIES) continue
        prompt = Composer.disambiguate(prompt, index)
        id = promptIdOf(prompt[0])
      }
      seen.add(id.slice(0, 16))
    }
    switch (kind) {
      case 'ultrachat':
        return ultrachatRow(c, prompt, id, lang)
      case 'ultrafeedback-binarized':
        return binarizedRow(c, prompt, id, lang)
      case 'ultrafeedback-raw':
        return rawRow(c, prompt, id, lang)
    }
  }
}

const KIND_SALT: Record<SynthKind, number> = { ultrachat: 11, 'ultrafeedback-binarized': 23, 'ultrafeedback-raw': 37 }

const pick = (prompt: [string, string], lang: Lang) => (lang === 'en' ? prompt[0] : prompt[1])

function ultrachatRow(c: Composer, prompt: [string, string], id: string, lang: Lang): UltraChatRow & Row {
  // About 40% single-turn, 30% two turns, 20% three, 10% four.
  const turns = 1 + c.rng.weighted([4, 3, 2, 1])
  const text = pick(prompt, lang)
  const messages: Message[] = [{ role: 'user', content: text }]
  for (let t = 0; t < turns; t++) {
    if (t > 0) messages.push({ role: 'user', content: c.followUp() })
    messages.push({ role: 'assistant', content: c.answer(c.lengthClass()) })
  }
  return { prompt: text, prompt_id: id, messages }
}

function binarizedRow(c: Composer, prompt: [string, string], id: string, lang: Lang): UltraFeedbackBinarizedRow & Row {
  const text = pick(prompt, lang)
  const rng = c.rng
  const good = c.answer(c.lengthClass([1, 6, 2]))
  const bad = rng.chance(0.6) ? c.weakAnswer() : c.answer('short')
  // Scores on the 1–10 scale in half steps, chosen strictly above rejected, as in the binarized set.
  const scoreChosen = rng.int(12, 20) / 2
  const scoreRejected = Math.max(1, scoreChosen - rng.int(1, 10) / 2)
  const chosen: Message[] = [
    { role: 'user', content: text },
    { role: 'assistant', content: good },
  ]
  return {
    prompt: text,
    prompt_id: id,
    chosen,
    rejected: [
      { role: 'user', content: text },
      { role: 'assistant', content: bad },
    ],
    messages: chosen.map((m) => ({ ...m })),
    score_chosen: scoreChosen,
    score_rejected: scoreRejected,
  }
}

function rawRow(c: Composer, prompt: [string, string], id: string, lang: Lang): UltraFeedbackRawRow & Row {
  const rng = c.rng
  const source = rng.pick(bank.SOURCES)
  const models = rng.sample(bank.MODELS, 4)
  const completions: UltraFeedbackCompletion[] = models.map((model) => {
    const quality = rng.int(1, 5)
    const response = quality <= 2 && rng.chance(0.5) ? c.weakAnswer() : c.answer(c.lengthClass([3, 5, 1]))
    const ratings = [0, 1, 2, 3].map(() => Math.min(5, Math.max(1, quality + rng.int(-1, 1))))
    const note = (r: number) => [{ Rating: String(r), Rationale: rng.pick(bank.RATIONALES[r]) }]
    const fine = ratings.reduce((a, b) => a + b, 0) / 4
    return {
      model,
      response,
      annotations: { helpfulness: note(ratings[0]), honesty: note(ratings[1]), instruction_following: note(ratings[2]), truthfulness: note(ratings[3]) },
      'fine-grained_score': fine,
      overall_score: Math.min(10, Math.max(1, Math.round(fine * 4 + rng.int(-2, 2)) / 2)),
      custom_system_prompt: rng.pick(bank.SYSTEM_PROMPTS),
      principle: rng.pick(bank.PRINCIPLES),
    }
  })
  const row: UltraFeedbackRawRow & Row = {
    source,
    instruction: pick(prompt, lang),
    models,
    completions,
    correct_answers: [],
    incorrect_answers: [],
  }
  // The German instruction cannot be rehashed into the English id, so translated raw rows carry it.
  if (lang === 'de') row.prompt_id = id
  return row
}
