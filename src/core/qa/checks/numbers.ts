/**
 * Numbers must survive translation. English and German write them differently (3.5 / 3,5; 1,000 / 1.000 /
 * 1 000; 50% / 50 % / 50 Prozent; March 5, 2021 / 5. März 2021), so every number token is read into the set
 * of values it can mean under either convention, and a source number is matched by any target number sharing
 * a value. Small numbers may be written out as words on either side (three ↔ 3, 3 ↔ drei). Digits glued to
 * letters (GPT-4, COVID-19, MP3) are names, left to the entities check.
 */
import type { PairContext } from '../context'
import { clip, type Token } from '../text'
import { numbersAgree } from '../wasm/text-scan'

// A number token: digit groups with separators, optionally followed by am/pm (12-hour times). The lookbehind
// (no letter, digit, '.' or ',' before the token) sits after the first digit, so the engine only tries it at
// digits instead of at every character.
const NUMBER_RE =
  /\d(?<!(?:[A-Za-zÀ-ɏ][-‐]?|[A-Za-zÀ-ɏ\d.,])\d)\d*(?:(?:[.,]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d+)*(?:\s?(am|pm|a\.m\.|p\.m\.)(?![A-Za-zÀ-ɏ]))?/gi

const EN_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100, thousand: 1000, million: 1e6,
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  twice: 2, half: 0.5, dozen: 12, once: 1, single: 1, double: 2, triple: 3, pair: 2, couple: 2,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
}
const EN_WORD_RE = new RegExp(`(?<![\\p{L}])(?:${Object.keys(EN_WORDS).join('|')})(?![\\p{L}])`, 'giu')

// German cardinal and ordinal stems; inflected forms (ersten, zweiter, dreimal, zehnte) match by prefix.
const DE_WORDS: [string, number][] = [
  ['null', 0], ['eins', 1], ['ein', 1], ['zwei', 2], ['drei', 3], ['vier', 4], ['fünf', 5], ['sechs', 6],
  ['sieben', 7], ['acht', 8], ['neun', 9], ['zehn', 10], ['elf', 11], ['zwölf', 12], ['dreizehn', 13],
  ['vierzehn', 14], ['fünfzehn', 15], ['sechzehn', 16], ['siebzehn', 17], ['achtzehn', 18], ['neunzehn', 19],
  ['zwanzig', 20], ['dreißig', 30], ['vierzig', 40], ['fünfzig', 50], ['hundert', 100], ['tausend', 1000],
  ['million', 1e6], ['erst', 1], ['zweit', 2], ['dritt', 3], ['viert', 4], ['fünft', 5], ['sechst', 6],
  ['siebt', 7], ['acht', 8], ['neunt', 9], ['zehnt', 10], ['halb', 0.5], ['hälfte', 0.5], ['dutzend', 12],
  ['doppel', 2], ['paar', 2], ['einzig', 1], ['beide', 2], ['beiden', 2], ['januar', 1], ['februar', 2],
  ['märz', 3], ['april', 4], ['mai', 5], ['juni', 6], ['juli', 7], ['august', 8], ['september', 9],
  ['oktober', 10], ['november', 11], ['dezember', 12],
]
const DE_WORD_RE = new RegExp(
  `(?<![\\p{L}])(?:${DE_WORDS.map(([w]) => w)
    .sort((a, b) => b.length - a.length)
    .join('|')})(?:e[nmrs]?|es|mal|fach|ens|er)?(?![\\p{L}])`,
  'giu',
)
const DE_WORD_MAP = new Map(DE_WORDS)

export interface NumTok extends Token {
  values: number[]
  matched: boolean
}

const DOTTED_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{2,4})$/
const GROUP_EN = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/
const GROUP_DE = /^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/
const SIMPLE_EN = /^\d+(?:\.\d+)?$/
const SIMPLE_DE = /^\d+(?:,\d+)?$/
const HAS_SPACE = /[ \u00a0\u202f]/
const GROUP_SPACE = /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$/

/** Every value `raw` can denote under English or German conventions. */
export function numberValues(raw: string): number[] {
  const fast = simpleValues(raw)
  if (fast) return fast
  const vals: number[] = []
  if (GROUP_EN.test(raw) || SIMPLE_EN.test(raw)) vals.push(Number(raw.replace(/,/g, '')))
  if (GROUP_DE.test(raw) || SIMPLE_DE.test(raw)) vals.push(Number(raw.replace(/\./g, '').replace(',', '.')))
  if (GROUP_SPACE.test(raw)) vals.push(Number(raw.replace(/[ \u00a0\u202f]/g, '').replace(',', '.')))
  if (vals.length === 0) {
    // version numbers, IPs, dotted dates: compare the digit groups themselves
    vals.push(hashGroups(raw))
  }
  return vals
}

/**
 * The values of the shapes nearly every token has (digits, or digits with one '.' or ','), read without the
 * convention regexes; `undefined` for anything else. Same values, in the same order, as the regex path.
 */
function simpleValues(raw: string): number[] | undefined {
  let sep = -1
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c >= 48 && c <= 57) continue
    if ((c !== 46 && c !== 44) || sep >= 0) return undefined
    sep = i
  }
  if (sep < 0) return raw.length > 0 ? [Number(raw)] : undefined
  if (sep === 0 || sep === raw.length - 1) return undefined
  const left = raw.slice(0, sep)
  const right = raw.slice(sep + 1)
  // a 1-3 digit group and exactly three digits after the separator: a thousands group in one convention
  const grouped = sep <= 3 && right.length === 3
  if (raw.charCodeAt(sep) === 46) return grouped ? [Number(raw), Number(left + right)] : [Number(raw)]
  const decimal = Number(left + '.' + right)
  return grouped ? [Number(left + right), decimal] : [decimal]
}

function hashGroups(raw: string): number {
  // a stable, non-integer-looking key for "3.10.2" that equals "3,10,2"
  let h = 0.5
  for (const g of raw.split(/[.,\s]/)) h = (h * 1009 + Number(g) + 1) % 1e12
  return -1 - h
}

/** The number tokens of a text with the values each can mean (exported for the WebAssembly's tests). */
export function scanNumbers(text: string): NumTok[] {
  const out: NumTok[] = []
  NUMBER_RE.lastIndex = 0
  for (let m = NUMBER_RE.exec(text); m; m = NUMBER_RE.exec(text)) {
    if (isListMarker(text, m.index, m[0].length)) continue
    const shape = tokenShape(m[0])
    if (shape === PLAIN) {
      out.push({ text: m[0], start: m.index, end: m.index + m[0].length, values: [Number(m[0])], matched: false })
      continue
    }
    const date = shape === DOTS ? DOTTED_DATE.exec(m[0]) : null
    if (date) {
      // 05.03.2021: day, month and year are three numbers, as in "March 5, 2021"
      let at = m.index
      for (const part of [date[1], date[2], date[3]]) {
        const start = text.indexOf(part, at)
        out.push({ text: part, start, end: start + part.length, values: [Number(part)], matched: false })
        at = start + part.length
      }
      continue
    }
    const ampm = m[1]
    const raw = ampm ? m[0].slice(0, m[0].length - ampm.length).trimEnd() : m[0]
    if (shape === SPACED && HAS_SPACE.test(raw) && !GROUP_SPACE.test(raw)) {
      // "in 2021 500 people": a space between numbers that are not thousands groups
      for (const part of raw.split(/[ \u00a0\u202f]/)) {
        const start = text.indexOf(part, m.index)
        out.push({ text: part, start, end: start + part.length, values: numberValues(part), matched: false })
      }
      continue
    }
    let values: number[]
    const colon = text[m.index + raw.length] === ':'
    if (ampm) {
      values = numberValues(raw)
      const v = values[0]
      if (/^p/i.test(ampm) && v < 12) values.push(v + 12)
      if (/^a/i.test(ampm) && v === 12) values.push(0)
    } else values = numberValues(raw)
    if (colon && values[0] < 12) values.push(values[0] + 12)
    out.push({ text: raw, start: m.index, end: m.index + raw.length, values, matched: false })
  }
  // "3:30 pm": the am/pm belongs to the hour before the colon
  for (let i = 1; i < out.length; i++) {
    const prev = out[i - 1]
    if (text[prev.end] === ':' && prev.end + 1 === out[i].start && /\s?[ap]\.?m/i.test(text.slice(out[i].end, out[i].end + 4))) {
      const v = prev.values[0]
      if (v < 12) prev.values.push(v + 12)
    }
  }
  return out
}

const PLAIN = 0
/** Two or more dots: may be a dotted date. */
const DOTS = 1
/** Holds a character other than a digit, '.' or ',' (a space between groups, or am/pm). */
const SPACED = 2
const OTHER = 3

/** What the token's characters rule out, so the regexes below run only on tokens they can match. */
function tokenShape(tok: string): number {
  let dots = 0
  let other = false
  let plain = true
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i)
    if (c >= 48 && c <= 57) continue
    plain = false
    if (c === 46) dots++
    else if (c !== 44) other = true
  }
  if (plain) return PLAIN
  if (other) return SPACED
  return dots >= 2 ? DOTS : OTHER
}

const MONTH_AFTER = /^[.)][ \t]+(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)/

/** "1. " or "2) " at a line start numbers a list item (a German date like "5. März" does not). */
function isListMarker(text: string, at: number, len: number): boolean {
  const next = text[at + len]
  if (next !== '.' && next !== ')') return false
  const after = text[at + len + 1]
  if (after !== ' ' && after !== '\t') return false
  for (let i = at - 1; i >= 0; i--) {
    const c = text[i]
    if (c === '\n') break
    if (c !== ' ' && c !== '\t') return false
  }
  return !MONTH_AFTER.test(text.slice(at + len, at + len + 16))
}

function countWords(text: string, re: RegExp, lookup: (w: string) => number | undefined): Map<number, number> {
  const counts = new Map<number, number>()
  re.lastIndex = 0
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const v = lookup(m[0].toLowerCase())
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  return counts
}

function deLookup(w: string): number | undefined {
  const direct = DE_WORD_MAP.get(w)
  if (direct !== undefined) return direct
  for (let len = Math.min(w.length, 9); len >= 3; len--) {
    const v = DE_WORD_MAP.get(w.slice(0, len))
    if (v !== undefined) return v
  }
  return undefined
}

function takeWord(counts: Map<number, number> | undefined, values: number[], max: number): boolean {
  if (!counts) return false
  for (const v of values) {
    if (v > max && v !== 100 && v !== 1000 && v !== 1e6) continue
    const c = counts.get(v)
    if (c) {
      counts.set(v, c - 1)
      return true
    }
  }
  return false
}

/** Whether checkNumbers asks the WebAssembly first (off in the tests that compare both ways). */
export const numbersFastPath = { enabled: true }

export function checkNumbers(ctx: PairContext): void {
  const s = ctx.src.plain
  const t = ctx.tgt.plain
  // the WebAssembly first even for texts without digits: it finds none at SIMD speed, and the copy it makes
  // serves the entity and bracket passes after it (a regex test for a digit first measured ~2% slower, interleaved)
  if (numbersFastPath.enabled && numbersAgree(s, t)) return
  if (!hasDigit(s) && !hasDigit(t)) return
  const src = scanNumbers(s)
  const tgt = scanNumbers(t)
  // numbers mostly keep their order, so the matched prefix of the target is skipped instead of re-read
  let first = 0
  for (const a of src) {
    while (first < tgt.length && tgt[first].matched) first++
    for (let j = first; j < tgt.length; j++) {
      const b = tgt[j]
      if (b.matched) continue
      if (sharesValue(a.values, b.values)) {
        a.matched = b.matched = true
        break
      }
    }
  }
  const max = ctx.config.numbers.spelledOutMax
  let deWords: Map<number, number> | undefined
  let enWords: Map<number, number> | undefined
  const missing = src.filter((a) => {
    if (a.matched) return false
    deWords ??= countWords(t, DE_WORD_RE, deLookup)
    return !takeWord(deWords, a.values, max)
  })
  const extra = tgt.filter((b) => {
    if (b.matched) return false
    enWords ??= countWords(s, EN_WORD_RE, (w) => EN_WORDS[w])
    return !takeWord(enWords, b.values, max)
  })
  if (missing.length === 1 && extra.length === 1) {
    const a = missing[0]
    const b = extra[0]
    ctx.flag('numbers', `The number "${a.text}" in the source appears as "${b.text}" in the translation.`, b, 'target')
    return
  }
  for (const a of missing) {
    ctx.flag('numbers', `The number "${clip(a.text)}" from the source is missing in the translation.`, a, 'source')
  }
  for (const b of extra) {
    ctx.flag('numbers', `The translation contains the number "${clip(b.text)}", which is not in the source.`, b, 'target')
  }
}

function sharesValue(a: number[], b: number[]): boolean {
  for (const x of a) for (const y of b) if (x === y) return true
  return false
}

// a regex scan: measured ~2.5× faster than a charCodeAt loop on these texts
const DIGIT = /\d/

function hasDigit(s: string): boolean {
  return DIGIT.test(s)
}
