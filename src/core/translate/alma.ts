/**
 * The ALMA prompt and output cleaning, as ALMA's own code (utils/utils.py: get_prompt, clean_outputstring)
 * does them, plus the mapping from ALMA's generation settings to an OpenAI-compatible completions request.
 */

/** Language names as ALMA's LANG_TABLE spells them; the prompt uses these names. */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  cs: 'Czech',
  is: 'Icelandic',
  zh: 'Chinese',
  ru: 'Russian',
  ja: 'Japanese',
  uk: 'Ukrainian',
  ha: 'Hausa',
  es: 'Spanish',
};

/** A translation direction, as language codes (`en`, `de`, …) or names (`English`, …). */
export interface LanguagePair {
  source: string;
  target: string;
}

export const DEFAULT_PAIR: LanguagePair = { source: 'en', target: 'de' };

/** The prompt name for a code (`de`, `DE`, `de-DE`, `de_AT`) or a known name (`german`). */
export function languageName(codeOrName: string): string {
  const key = codeOrName.trim().toLowerCase();
  const byCode = LANGUAGE_NAMES[key] ?? LANGUAGE_NAMES[key.split(/[-_]/)[0]!];
  if (byCode) return byCode;
  const byName = Object.values(LANGUAGE_NAMES).find((name) => name.toLowerCase() === key);
  if (byName) return byName;
  throw new Error(
    `unknown language "${codeOrName}": use one of ${Object.entries(LANGUAGE_NAMES)
      .map(([code, name]) => `${code} (${name})`)
      .join(', ')}`,
  );
}

/** `Translate this from English to German:\nEnglish: {src}\nGerman:` for the given pair. */
export function almaPrompt(source: string, pair: LanguagePair = DEFAULT_PAIR): string {
  const src = languageName(pair.source);
  const tgt = languageName(pair.target);
  return `Translate this from ${src} to ${tgt}:\n${src}: ${source}\n${tgt}:`;
}

/**
 * The translation inside a model output, the way ALMA's clean_outputstring finds it.
 *
 * An output that echoes the prompt (HF generate, or `echo: true`) is cut after the prompt: after `prompt`
 * when given, else after the first `\n{Target}:` (ALMA's split index 1 for zero-shot prompts). An output
 * that is only the completion (vLLM's default) is taken whole. Of that, the first line, trimmed; like
 * ALMA, an empty first line (an end of line right after the suffix) moves on to the second, then the third.
 *
 * Searching for the *last* `\n{Target}:` instead would be wrong when the model runs on into a new
 * example ("Hallo Welt\nEnglish: …\nGerman: …"): the translation is the line before it.
 */
export function cleanAlmaOutput(output: string, target: string = DEFAULT_PAIR.target, prompt?: string): string {
  let generated = output;
  if (prompt !== undefined && output.startsWith(prompt)) {
    generated = output.slice(prompt.length);
  } else if (output.startsWith('Translate this from ')) {
    const keyword = `\n${languageName(target)}:`;
    const at = output.indexOf(keyword);
    if (at >= 0) generated = output.slice(at + keyword.length);
  }
  for (const line of generated.split('\n').slice(0, 3)) {
    const trimmed = line.trim();
    if (trimmed !== '') return trimmed;
  }
  return '';
}

/** ALMA's generation settings (its evaluation used beam 5 and max_new_tokens 256). */
export interface GenerationSettings {
  beams: number;
  maxNewTokens: number;
  temperature: number;
  topP: number;
  doSample: boolean;
  /** Stop strings. None by default, as in ALMA; `['\n']` saves tokens, though vLLM's beam search ignores stops. */
  stop?: string[];
}

export const DEFAULT_GENERATION: Readonly<GenerationSettings> = {
  beams: 5,
  maxNewTokens: 256,
  temperature: 0,
  topP: 1,
  doSample: false,
};

/** The sampling part of a `/v1/completions` request body. */
export type CompletionSamplingParams = {
  max_tokens: number;
  temperature: number;
  top_p: number;
  n: number;
  use_beam_search?: boolean;
  best_of?: number;
  stop?: string[];
};

/**
 * Completions request fields for the settings. Beam search is asked for in a way both vLLM generations
 * understand: old vLLM (≤0.6.2) takes the beam width from `best_of`, newer vLLM from `n`; both return `n`
 * choices per prompt, best first. Callers keep the first choice of each prompt.
 */
export function completionParams(settings: Partial<GenerationSettings> = {}): CompletionSamplingParams {
  const s = { ...DEFAULT_GENERATION, ...settings };
  if (!(Number.isInteger(s.beams) && s.beams >= 1)) throw new RangeError(`beams must be a positive integer, got ${s.beams}`);
  if (!(Number.isInteger(s.maxNewTokens) && s.maxNewTokens >= 1)) {
    throw new RangeError(`maxNewTokens must be a positive integer, got ${s.maxNewTokens}`);
  }
  const params: CompletionSamplingParams =
    s.beams > 1 && !s.doSample
      ? { max_tokens: s.maxNewTokens, temperature: 0, top_p: 1, n: s.beams, use_beam_search: true, best_of: s.beams }
      : { max_tokens: s.maxNewTokens, temperature: s.doSample ? s.temperature : 0, top_p: s.doSample ? s.topP : 1, n: 1 };
  if (s.stop && s.stop.length > 0) params.stop = [...s.stop];
  return params;
}
