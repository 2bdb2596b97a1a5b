/**
 * Truncation: the source ends with a finished sentence but the translation stops mid-sentence, or the
 * translation has fewer paragraphs / clearly fewer lines than the source and is clearly shorter (ALMA keeps
 * only the first line of its output, so a multi-line segment comes back as its first line; lines that were
 * merged keep their text and are left to the markdown check).
 */
import type { PairContext } from '../context'
import { clip } from '../text'

// last meaningful character: sentence end, possibly followed by closing quotes/brackets/markup
const SENTENCE_END = '.!?…:;'
const CLOSING = /[\s"'”“«»)\]*_`]/
const MID_SENTENCE = /[\p{L}\d,(\-–]$/u

/**
 * /[.!?…:;][\s"'”“«»)\]*_`]*$/ read from the end: no sentence-end character is a closing one, so the end
 * mark can only sit right before the trailing run of closing characters (a regex tries every '.' of the line).
 */
export function finished(line: string): boolean {
  let i = line.length
  while (i > 0 && isClosing(line.charCodeAt(i - 1))) i--
  return i > 0 && SENTENCE_END.includes(line[i - 1])
}

/** finished(lastLine(text)) without cutting the line out: read back from the end, not past its line's start. */
export function lastLineFinished(text: string): boolean {
  let end = text.length
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--
  let i = end
  while (i > 0 && text.charCodeAt(i - 1) !== 10 && isClosing(text.charCodeAt(i - 1))) i--
  return i > 0 && text.charCodeAt(i - 1) !== 10 && SENTENCE_END.includes(text[i - 1])
}

/** CLOSING on one code unit, without a regex call for the ASCII ones. */
function isClosing(c: number): boolean {
  if (c < 128) return c === 34 || c === 39 || c === 41 || c === 93 || c === 42 || c === 95 || c === 96 || isSpace(c)
  return CLOSING.test(String.fromCharCode(c))
}

/** \s on one code unit. */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13)
  return SPACE.test(String.fromCharCode(c))
}
const SPACE = /\s/

/** MID_SENTENCE on the last code point only (the regex alone would try every letter of the line). */
export function midSentence(line: string): boolean {
  const c = line.charCodeAt(line.length - 1)
  // ASCII: a letter, digit, comma, parenthesis or hyphen, without the Unicode regex
  if (c < 128) return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 44 || c === 40 || c === 45
  return MID_SENTENCE.test(line.slice(-2))
}

/**
 * /(?:```|~~~|\|)\s*$/ on the text's last 16 characters: a fence or a table pipe, then only white space. The
 * white space is skipped from the end first, so no slice and no regex.
 */
export function endsWithStructure(text: string): boolean {
  const from = Math.max(0, text.length - 16)
  let i = text.length
  while (i > from && isSpace(text.charCodeAt(i - 1))) i--
  if (i <= from) return false
  const c = text.charCodeAt(i - 1)
  if (c === 124) return true
  return (c === 96 || c === 126) && i - 3 >= from && text.charCodeAt(i - 2) === c && text.charCodeAt(i - 3) === c
}

/** Below this target/source character ratio, missing lines count as lost text (German is usually ≥ 1.0×). */
const LOST_TEXT_RATIO = 0.85

function lastLine(t: string): string {
  const trimmed = t.trimEnd()
  return trimmed.slice(trimmed.lastIndexOf('\n') + 1)
}

export function checkTruncation(ctx: PairContext): void {
  const cfg = ctx.config.truncation
  const s = ctx.src
  const t = ctx.tgt
  const tt = t.text.trimEnd()
  if (tt.length === 0) {
    if (s.text.trim().length > 0) ctx.flag('truncation', 'The translation is empty.')
    return
  }
  // lines or paragraphs lost, and with them text: merged lines keep their characters, a cut does not
  // (line counts read every line, so they are only taken when text was lost)
  const lostText = t.proseChars < s.proseChars * LOST_TEXT_RATIO
  const sl = lostText ? s.lineCount : 0
  const tl = lostText ? t.lineCount : 0
  if (lostText && (s.paragraphCount > t.paragraphCount || (sl >= 2 && tl < sl * cfg.minLineRatio))) {
    const missing = nthNonEmptyLine(s.prose, tl)
    const what = s.paragraphCount > t.paragraphCount ? `${s.paragraphCount} paragraphs but the translation only ${t.paragraphCount}` : `${sl} lines but the translation only ${tl}`
    ctx.flag(
      'truncation',
      missing
        ? `The source has ${what}; the text from "${clip(missing.text, 40)}" on seems to be missing.`
        : `The source has ${what}.`,
      missing ? { start: missing.start, end: s.text.length } : undefined,
      'source',
    )
    return
  }
  // a loop that ran to max_new_tokens also ends mid-sentence; the repetition flag says more
  if (ctx.has('repetition')) return
  if (endsWithStructure(s.text) || endsWithStructure(tt)) return
  // the last lines' ends are read in place; the lines themselves are cut out only for a flag
  if (lastLineFinished(s.text) && midSentence(tt) && !lastLineFinished(tt)) {
    const srcLast = lastLine(s.text)
    const tgtLast = lastLine(tt)
    const words = tgtLast.trim().split(/\s+/)
    const tail = words.slice(-4).join(' ')
    // a finished-looking source line that is a list item or heading may legitimately end without a period
    if (/^\s*(?:[-*+]|\d+[.)]|#+)\s/.test(srcLast) && /^\s*(?:[-*+]|\d+[.)]|#+)\s/.test(tgtLast) && words.length < 6) return
    ctx.flag('truncation', `The translation stops mid-sentence after "${clip(tail, 40)}" while the source ends with a full sentence.`, { start: tt.length - tail.length, end: tt.length }, 'target')
  }
}

function nthNonEmptyLine(text: string, n: number): { text: string; start: number } | undefined {
  let start = 0
  let seen = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const line = text.slice(start, end)
    if (line.trim() !== '') {
      if (seen === n) return { text: line.trim(), start }
      seen++
    }
    start = end + 1
  }
  return undefined
}
