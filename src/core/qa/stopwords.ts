/**
 * Function words that tell English from German cheaply. Case-sensitive on purpose: capitalised German nouns
 * ("Not", "IT") must not count as English, and words both languages use ("in", "was", "will", "man", "also",
 * "so", "an", "die") are left out.
 */
import { trieAlternation } from './alternation'

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
