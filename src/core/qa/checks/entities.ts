/**
 * Names that translation must keep: CamelCase (iPhone, PyTorch), UPPERCASE acronyms (NASA, HTML5),
 * letter-digit tokens (GPT-4, H2O, 3D) and multi-word person/product names in mid-sentence (Jane Austen).
 * A token counts as kept when the target contains it (inside compounds and with case endings too:
 * "iPhone-Nutzer", "Austens"). Known English words with German exonyms are not demanded, and shouted
 * all-caps phrases are not acronyms.
 */
import type { PairContext } from '../context'
import { clip, type Token } from '../text'
import { entityCandidates } from '../wasm/text-scan'

// Cheap scan for the letter pairs every tracked token contains (AB, aB, a1, 1A); only hits are expanded to
// the whole token and classified, so ordinary words cost one pass of a simple character-class regex. The
// scan keys on the pair's second character (an upper-case letter or a digit, rare in prose) and looks back
// at the first: a match at i is the pair starting at i - 1.
const SEED_RE = /[A-Z](?<=[A-Za-z\d].)|\d(?<=[A-Za-z].)/g
const TOKEN =
  /^(?:[a-z]+[A-Z][A-Za-z\d]*|[A-Z][a-z]+[A-Z][A-Za-z\d]*|[A-Z][A-Z\d]+|[A-Za-z]+\d[A-Za-z\d]*|\d+[A-Z][A-Za-z\d]*)(?:[-.][A-Za-z\d]+)*$/
const NEIGHBOUR = /[\p{L}\d'’_$]/u
// a lower-case letter, comma or semicolon and a space before the name: it is not at a sentence start
const NAME_RE = /[a-zß-ÿ,;] ([A-ZÀ-Þ][a-zß-ÿ]{2,}(?: [A-ZÀ-Þ][a-zß-ÿ]{2,}){1,2})(?![\p{L}])/gu
// NAME_RE anchored: tried only where the WebAssembly pass found a possible start
const NAME_AT = new RegExp(NAME_RE.source, 'uy')
const ALL_CAPS = /^[A-Z]+$/
const ROMAN = /^[IVXLCDM]+$/
const SHOUT_RE = /(?:\b[A-Z]{2,}\b[\s,!.]+){2,}\b[A-Z]{2,}\b/g

/** Acronyms and capitalised words that German legitimately replaces (UK → Großbritannien). */
const NOT_KEPT = new Set([
  'I', 'OK', 'AM', 'PM', 'UK', 'US', 'UN', 'EU', 'FAQ', 'FAQs', 'DIY', 'ASAP', 'FYI', 'CEO', 'CEOs', 'AI', 'ML', 'PS',
  'United', 'States', 'Kingdom', 'Union', 'Nations', 'Republic', 'Empire', 'Ocean', 'Sea', 'River', 'Mountains',
  'War', 'World', 'Prize', 'Day', 'Church', 'Revolution', 'Age', 'Ages', 'Middle', 'North', 'South', 'East', 'West',
  'Northern', 'Southern', 'Eastern', 'Western', 'Great', 'Black', 'White', 'Red', 'Old', 'New', 'Year', 'Eve',
  'Christmas', 'Easter', 'Bible', 'God', 'Lord', 'Holy', 'Saint', 'Pope', 'King', 'Queen', 'Prince', 'Princess',
  'Minister', 'President', 'Street', 'Square', 'Bridge', 'Tower', 'Wall', 'Lake', 'Island', 'Islands', 'Valley',
  'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'January', 'February', 'March',
  'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December', 'English', 'German',
  'French', 'Spanish', 'Italian', 'Chinese', 'Japanese', 'Russian', 'American', 'British', 'European', 'African',
  'Asian', 'Europe', 'Africa', 'Asia', 'America', 'Germany', 'France', 'Spain', 'Italy', 'China', 'Japan', 'Russia',
  'India', 'Egypt', 'Greece', 'Rome', 'Vienna', 'Munich', 'Cologne', 'Venice', 'Moscow', 'Prague', 'Warsaw',
  'Lisbon', 'Athens', 'Brussels', 'Geneva', 'Copenhagen', 'Austria', 'Switzerland', 'Netherlands', 'Poland',
  'Turkey', 'Sweden', 'Norway', 'Denmark', 'Greek', 'Roman', 'Latin', 'Arabic', 'Indian', 'Canadian', 'Australian',
  'Mexican', 'Brazilian', 'Irish', 'Scottish', 'Dutch', 'Swiss', 'Muslim', 'Christian', 'Jewish', 'Catholic',
  'Protestant', 'Death', 'Sun', 'Moon', 'Earth', 'Internet', 'Web', 'Museum', 'University', 'College', 'School',
  'Institute', 'Center', 'Centre', 'Department', 'Ministry', 'Court', 'Council', 'Parliament', 'Congress',
  'Senate', 'Army', 'Navy', 'Air', 'Force', 'Games', 'Olympic', 'Olympics', 'Cup', 'League', 'Championship',
  'Library', 'Hall', 'Park', 'Station', 'Airport', 'Hospital', 'Garden', 'Gardens', 'Central', 'National',
  'International', 'Royal', 'Federal', 'City', 'Town', 'Village', 'Castle', 'Palace', 'Cathedral', 'Market',
])

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

function isJoin(c: number): boolean {
  return c === 45 || c === 46
}

function found(t: string, token: string): boolean {
  if (t.includes(token)) return true
  if (token.includes('-')) return t.includes(token.replace(/-/g, '')) || t.includes(token.replace(/-/g, ' '))
  return false
}

/** Per-text state of findEntities: the all-caps phrases, found on the first all-caps token. */
interface Scan {
  text: string
  out: Token[]
  shout?: [number, number][]
}

/** The token around a SEED_RE match at q (the pair's second character), if it is one; returns where it ends. */
function seedToken(scan: Scan, q: number): number {
  const text = scan.text
  let a = q - 1
  let b = q + 1
  while (a > 0 && (isAlnum(text.charCodeAt(a - 1)) || (isJoin(text.charCodeAt(a - 1)) && a > 1 && isAlnum(text.charCodeAt(a - 2))))) a--
  while (b < text.length && (isAlnum(text.charCodeAt(b)) || (isJoin(text.charCodeAt(b)) && isAlnum(text.charCodeAt(b + 1))))) b++
  if ((a > 0 && NEIGHBOUR.test(text[a - 1])) || (b < text.length && NEIGHBOUR.test(text[b]) && text[b] !== "'" && text[b] !== '’')) return b
  const w = text.slice(a, b)
  if (!TOKEN.test(w)) return b
  if (NOT_KEPT.has(w) || (w.endsWith('s') && NOT_KEPT.has(w.slice(0, -1)))) return b
  if (ALL_CAPS.test(w)) {
    if (scan.shout === undefined) {
      scan.shout = []
      SHOUT_RE.lastIndex = 0
      for (let s = SHOUT_RE.exec(text); s; s = SHOUT_RE.exec(text)) scan.shout.push([s.index, s.index + s[0].length])
    }
    if (scan.shout.some(([x, y]) => a >= x && a < y)) return b
    // Roman numerals stay the same and need no tracking
    if (ROMAN.test(w)) return b
  }
  scan.out.push({ text: w, start: a, end: b })
  return b
}

/** A NAME_RE match; returns where the next match may start. */
function nameToken(scan: Scan, m: RegExpExecArray): number {
  const name = m[1]
  if (!name.split(' ').some((w) => NOT_KEPT.has(w))) scan.out.push({ text: name, start: m.index + 2, end: m.index + 2 + name.length })
  return m.index + 1 + name.length
}

/**
 * Tracked tokens and names of `text`. The WebAssembly pass (wasm/text-scan.ts) lists where the regexes can
 * match, so only those places are tried; without it, the regexes scan the text. Either way each match is
 * expanded by the same code, so the tokens are the same.
 */
export function findEntities(text: string, useWasm = true): Token[] {
  const scan: Scan = { text, out: [] }
  const c = useWasm ? entityCandidates(text) : undefined
  if (c) {
    // the next pair starts at b or later, so its second character is at b + 1 or later
    for (let k = 0, next = 0; k < c.seeds; k++) {
      const q = c.ints[c.seedAt + k]
      if (q >= next) next = seedToken(scan, q) + 1
    }
    for (let k = 0, next = 0; k < c.names; k++) {
      const at = c.ints[c.nameAt + k]
      if (at < next) continue
      NAME_AT.lastIndex = at
      const m = NAME_AT.exec(text)
      if (m) next = nameToken(scan, m)
    }
    return scan.out
  }
  SEED_RE.lastIndex = 0
  for (let m = SEED_RE.exec(text); m; m = SEED_RE.exec(text)) SEED_RE.lastIndex = seedToken(scan, m.index) + 1
  NAME_RE.lastIndex = 0
  for (let m = NAME_RE.exec(text); m; m = NAME_RE.exec(text)) NAME_RE.lastIndex = nameToken(scan, m)
  return scan.out
}

export function checkEntities(ctx: PairContext): void {
  const entities = findEntities(ctx.src.plain)
  // most texts have none: no set for them
  if (entities.length === 0) return
  const t = ctx.tgt.plain
  const seen = new Set<string>()
  for (const e of entities) {
    if (seen.has(e.text)) continue
    seen.add(e.text)
    if (e.text.includes(' ')) {
      // a multi-word name is kept when any of its words is (German may inflect or shorten the rest)
      if (e.text.split(' ').some((w) => t.includes(w))) continue
    } else if (found(t, e.text)) continue
    ctx.flag('entities', `"${clip(e.text)}" from the source does not appear in the translation.`, e, 'source')
  }
}
