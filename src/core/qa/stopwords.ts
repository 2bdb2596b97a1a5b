/**
 * Function words that tell English from German cheaply. Case-sensitive on purpose: capitalised German nouns
 * ("Not", "IT") must not count as English, and words both languages use ("in", "was", "will", "man", "also",
 * "so", "an", "die") are left out.
 */
const EN = [
  'the', 'and', 'is', 'are', 'of', 'to', 'with', 'that', 'this', 'you', 'your', 'it', 'its', 'for', 'be', 'have',
  'has', 'were', 'would', 'should', 'could', 'can', 'not', 'on', 'at', 'from', 'by', 'they', 'their', 'there',
  'which', 'what', 'how', 'or', 'if', 'we', 'our', 'these', 'those', 'been', 'into', 'about', 'when', 'while', 'than',
  'more', 'some', 'such', 'only', 'other', 'just', 'very', 'because', 'does', 'do', 'I', "don't", "it's", 'my',
]
const EN_CAP = ['The', 'This', 'It', 'You', 'Your', 'If', 'What', 'How', 'These', 'There', 'They', 'We', 'Our', 'When', 'For', 'And', 'Here', 'However', 'Thank', 'Thanks', 'Please', 'Yes']
const DE = [
  'der', 'die', 'das', 'und', 'ist', 'nicht', 'ein', 'eine', 'einen', 'einem', 'einer', 'mit', 'für', 'auf', 'sich',
  'es', 'zu', 'den', 'dem', 'des', 'von', 'wie', 'auch', 'werden', 'wird', 'sind', 'kann', 'können', 'sie', 'ich',
  'wir', 'ihr', 'Ihre', 'Ihr', 'Sie', 'dass', 'oder', 'aber', 'noch', 'nach', 'bei', 'aus', 'um', 'über', 'sehr',
  'nur', 'wenn', 'diese', 'dieser', 'dieses', 'durch', 'haben', 'hat', 'sein', 'zum', 'zur', 'vom', 'im', 'ob',
  'sowie', 'sollten', 'sollte', 'muss', 'gibt', 'mehr', 'keine', 'kein', 'ihre', 'ihren', 'uns', 'unsere', 'dir',
  'Ich', 'Sie', 'Es', 'Die', 'Der', 'Das', 'Wenn', 'Diese', 'Dieser', 'Hier', 'Wir', 'Für', 'Mit', 'Auf', 'Um', 'Im',
  'Ja', 'Nein', 'Danke', 'Bitte', 'Natürlich', 'Gerne', 'Jedoch',
]

const alt = (words: string[]) => words.map((w) => w.replace(/'/g, "['’]")).join('|')
// A consumed boundary character (or the text start) instead of a lookbehind: the regex engine then only
// tries the word list after white space or an opening mark, which keeps the scan fast on long texts.
const before = `(?:^|[\\s(\\[„“"‚»«/])`
const after = `(?![A-Za-zÀ-ɏ\\d'’_-])`
/** English function words; global, so reset lastIndex before use. A match may start one boundary char early. */
export const EN_HINT_RE = new RegExp(`${before}(?:${alt([...EN, ...EN_CAP])})${after}`, 'g')
export const DE_HINT_RE = new RegExp(`${before}(?:${alt(DE)})${after}`, 'g')

export function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0
  let n = 0
  while (re.exec(text)) n++
  return n
}

/** Words of two or more letters. */
export function countWords(text: string): number {
  let n = 0
  let run = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
    if (letter) run++
    else {
      if (run >= 2) n++
      run = 0
    }
  }
  if (run >= 2) n++
  return n
}

/**
 * A word list as a Set, scanned without a regex: the alternation of ~80 words was tried at every boundary
 * character of every target text, which made it the single hottest spot of the rule checks. `nextHint` finds
 * exactly the matches of the corresponding `*_HINT_RE` (a boundary character or the text start, then a whole
 * run of [A-Za-zÀ-ɏ\d'’_-] that is one of the words, ’ read as ').
 */
export interface HintWords {
  readonly set: ReadonlySet<string>
  readonly max: number
}

const hintWords = (words: string[]): HintWords => ({ set: new Set(words), max: Math.max(...words.map((w) => w.length)) })
export const EN_HINTS = hintWords([...EN, ...EN_CAP])
export const DE_HINTS = hintWords(DE)

function isHintChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (c >= 0xc0 && c <= 0x24f) || c === 39 || c === 0x2019 || c === 95 || c === 45
}

/** `\s` plus ( [ „ “ " ‚ » « / — the `before` class of the hint regexes. */
function isHintBoundary(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13)
  if (c < 0x80) return c === 40 || c === 91 || c === 34 || c === 47
  switch (c) {
    case 0xa0: case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000: case 0xfeff:
    case 0x201e: case 0x201c: case 0x201a: case 0xbb: case 0xab:
      return true
  }
  return c >= 0x2000 && c <= 0x200a
}

/**
 * End offset (exclusive) of the first hint word whose match, boundary character included, starts at or after
 * `from` (what `re.exec` returns with `re.lastIndex = from`), or -1.
 */
export function nextHint(h: HintWords, text: string, from: number): number {
  const n = text.length
  let p = from === 0 ? 0 : from + 1
  while (p < n) {
    if (p === 0 || isHintBoundary(text.charCodeAt(p - 1))) {
      const c = text.charCodeAt(p)
      if (isHintChar(c)) {
        let e = p + 1
        let curly = c === 0x2019
        while (e < n) {
          const d = text.charCodeAt(e)
          if (!isHintChar(d)) break
          if (d === 0x2019) curly = true
          e++
        }
        if (e - p <= h.max) {
          let w = text.slice(p, e)
          if (curly) w = w.replace(/’/g, "'")
          if (h.set.has(w)) return e
        }
        // the character at e ends the run; the next word can start right after it at the earliest
        p = e + 1
        continue
      }
    }
    p++
  }
  return -1
}

/** Number of hint words in `text` (same as `countMatches` with the corresponding regex). */
export function countHints(h: HintWords, text: string): number {
  let n = 0
  for (let e = nextHint(h, text, 0); e >= 0; e = nextHint(h, text, e)) n++
  return n
}
