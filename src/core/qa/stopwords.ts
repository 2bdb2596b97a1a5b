/**
 * Function words that tell English from German cheaply. Case-sensitive on purpose: capitalised German nouns
 * ("Not", "IT") must not count as English, and words both languages use ("in", "was", "will", "man", "also",
 * "so", "an", "die") are left out.
 */
import { trieAlternation } from './alternation'
import { nextHintWord } from './wasm/text-scan'

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

// ' and ’ are both accepted wherever a word has an apostrophe
const alt = (words: string[]) => trieAlternation(words, { "'": "['’]" })
// A consumed boundary character instead of a lookbehind: the regex engine then only tries the word list
// after white space or an opening mark. The text start is a second, sticky regex: `(?:^|[…])` in one pattern
// made the engine test `^` at every character (measured ~25% slower on German texts).
const boundary = `[\\s(\\[„“"‚»«/]`
const after = `(?![A-Za-zÀ-ɏ\\d'’_-])`

/**
 * A function-word list as a pair of regexes: `atStart` (sticky) for a word at the text start, `re` (global)
 * for a word after a boundary character. Use `nextHint`, which behaves like one global regex
 * `(?:^|[…])(?:words)(?!…)`: a match may begin with the boundary character before the word.
 */
export interface Hints {
  readonly re: RegExp
  readonly atStart: RegExp
  readonly words: readonly string[]
}

function hints(words: string[]): Hints {
  const list = `(?:${alt(words)})${after}`
  return { re: new RegExp(boundary + list, 'g'), atStart: new RegExp(list, 'y'), words }
}

/** English function words. */
export const EN_HINTS = hints([...EN, ...EN_CAP])
export const DE_HINTS = hints(DE)

/** The next match at or after `h.re.lastIndex` (set it to 0 to start), advancing lastIndex like `exec`. */
export function nextHint(h: Hints, text: string): RegExpExecArray | null {
  if (h.re.lastIndex === 0) {
    h.atStart.lastIndex = 0
    const m = h.atStart.exec(text)
    if (m) {
      h.re.lastIndex = m[0].length
      return m
    }
  }
  return h.re.exec(text)
}

/**
 * The end of the next hint word in `text` at or after `from`, as `nextHint` from lastIndex `from` finds it,
 * or -1: from the WebAssembly's pass (text-scan) where it can look (`useWasm` false: from the regexes; tests
 * compare the two).
 */
export function nextHintEnd(h: Hints, text: string, from: number, useWasm = true): number {
  const end = useWasm ? nextHintWord(text, from, h.words) : undefined
  if (end !== undefined) return end
  h.re.lastIndex = from
  const m = nextHint(h, text)
  return m ? m.index + m[0].length : -1
}

export function countHints(h: Hints, text: string): number {
  h.re.lastIndex = 0
  let n = 0
  while (nextHint(h, text)) n++
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
