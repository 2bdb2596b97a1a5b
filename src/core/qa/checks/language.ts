/**
 * Untranslated or partly English output, and translations identical to their source.
 *
 * Cost strategy for language id: one scan of the target for English function words (stopwords.ts' list,
 * found by a WebAssembly pass where it can run, else by one precompiled regex; resumed after each candidate
 * sentence; a shorter word list was faster but missed sentences such as "Children need even more sleep than
 * adults do."). Sentences without any are taken as translated and never reach the identifier. Each sentence with
 * a hit is first scored by counting German function words: clearly German sentences (≥ 2 German hits and at
 * least twice as many as English) are skipped; the rest go to the identifier (fastText lid.176 when loaded,
 * else the stopword detector), at most `maxSentences` per text. A clean German text therefore costs one
 * scan and usually zero fastText calls; a fully English one costs `maxSentences` calls. The identifier
 * decides when it is confident (probability ≥ `minProbability`); below that (fastText is unsure on short and
 * mixed sentences) a sentence is English when it has ≥ 2 English function words and more than twice as many
 * as German ones, or when the identifier leans English and there is no German function word at all.
 */
import type { PairContext } from '../context'
import { stopwordLanguageId } from '../langid'
import { countHints, countWords, DE_HINTS, EN_HINTS, nextHintEnd } from '../stopwords'
import { clip, sentenceAround, type Token } from '../text'

const QUOTED = /[„“"]([^„“”"\n]{2,})[“”"]|»([^»«\n]{2,})«|«([^»«\n]{2,})»/g

function nonSpaceLength(t: string): number {
  let n = 0
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) > 32) n++
  return n
}

export function checkUntranslated(ctx: PairContext): void {
  const cfg = ctx.config.untranslated
  const t = ctx.tgt.plain
  let end = nextHintEnd(EN_HINTS, t, 0)
  if (end < 0) return
  const candidates: Token[] = []
  let lastEnd = -1
  while (end >= 0) {
    // anchor on the word's last letter (the match may begin with the boundary character before the word)
    const at = end - 1
    if (at >= lastEnd) {
      const s = sentenceAround(t, at)
      candidates.push(s)
      lastEnd = Math.max(s.end, at + 1)
    }
    end = nextHintEnd(EN_HINTS, t, Math.max(end, lastEnd))
  }
  const lid = ctx.languageId ?? stopwordLanguageId
  const english: Token[] = []
  let judged = 0
  let judgedLen = 0
  let englishLen = 0
  let candidateLen = 0
  const source = ctx.src.text
  for (const s of candidates) {
    candidateLen += nonSpaceLength(s.text)
    if (judged >= cfg.maxSentences) continue
    // quoted text copied from the source (an error message, a title) is meant to stay English
    const text = s.text.indexOf('"') < 0 && s.text.indexOf('„') < 0 && s.text.indexOf('“') < 0 && s.text.indexOf('»') < 0 ? s.text : s.text.replace(QUOTED, (q, a, b, c) => (source.includes(a ?? b ?? c) ? ' ' : q))
    if (countWords(text) < cfg.minWords) continue
    const en = countHints(EN_HINTS, text)
    const de = countHints(DE_HINTS, text)
    if (de >= 2 && de >= 2 * en) continue
    judged++
    judgedLen += s.text.length
    const g = lid.identify(text)
    // a confident identifier decides; an unsure one (short or mixed sentences) defers to the function words
    const isEnglish = g.probability >= cfg.minProbability ? g.lang === 'en' : (en >= 2 && en > 2 * de) || (g.lang === 'en' && de === 0)
    if (isEnglish) {
      english.push(s)
      englishLen += s.text.length
    }
  }
  if (english.length === 0) return
  const total = nonSpaceLength(t)
  const share = total === 0 ? 0 : (candidateLen / total) * (englishLen / Math.max(1, judgedLen))
  if (share >= cfg.wholeTextShare) {
    ctx.flag('untranslated', `The translation is still in English, e.g. "${clip(english[0].text)}".`, { start: english[0].start, end: english[english.length - 1].end }, 'target')
    return
  }
  for (const s of english.slice(0, 3)) {
    ctx.flag('untranslated', `The sentence "${clip(s.text)}" was left in English.`, s, 'target')
  }
  if (english.length > 3) {
    ctx.flag('untranslated', `${english.length - 3} more sentences after "${clip(english[2].text, 30)}" were left in English.`)
  }
}

const DIGITS_AND_MARKS = /[\d\p{P}\p{S}]+/gu

export function checkIdentical(ctx: PairContext): void {
  const s = ctx.src.text
  const t = ctx.tgt.text
  if (s.length !== t.length && s.trim() !== t.trim()) return
  if (s.trim() !== t.trim()) return
  const words = ctx.src.plain.replace(DIGITS_AND_MARKS, ' ')
  const n = countWords(words)
  if (n < ctx.config.identical.minWords) return
  // proper names and titles ("Barack Obama", "New York Times") stay the same in German
  let lower = 0
  for (const w of words.split(/\s+/)) if (w.length >= 2 && w[0] === w[0].toLowerCase() && w[0] !== w[0].toUpperCase()) lower++
  if (lower === 0 && n < 4) return
  // a source that is already German needs no translation
  const en = countHints(EN_HINTS, words)
  const de = countHints(DE_HINTS, words)
  if (de > en) return
  ctx.flag('identical', `The translation is identical to the source ("${clip(s)}").`, { start: 0, end: t.length }, 'target')
}
