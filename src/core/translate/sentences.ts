import type { Span } from './inline';

/**
 * Splitting of one line's text into sentences, clauses and words. All functions work on the masked text
 * (protected spans replaced by U+FFFF, which is neither space, letter nor punctuation) so that no split
 * ever falls inside inline code or a URL. They return trimmed ranges; what lies between two ranges is
 * whitespace only.
 */

/** Words (lower case, without the final period) after which a period does not end a sentence. English and German. */
const ABBREVIATIONS = new Set(
  [
    // English titles, references, companies, months
    'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'vs', 'cf', 'approx', 'appx', 'fig', 'figs',
    'no', 'nos', 'vol', 'vols', 'pp', 'ed', 'eds', 'inc', 'ltd', 'co', 'corp', 'dept', 'univ', 'est', 'gen',
    'gov', 'sen', 'rep', 'rev', 'capt', 'col', 'lt', 'sgt', 'al', 'resp', 'esp', 'incl', 'min', 'max', 'ca',
    'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
    // German
    'bzw', 'vgl', 'ggf', 'evtl', 'nr', 'str', 'hr', 'fr', 'tel', 'abs', 'abb', 'bd', 'bspw', 'inkl', 'zzgl',
    'sog', 'jh', 'mio', 'mrd', 'dt', 'engl', 'allg', 'ehem', 'geb', 'gegr', 'bzgl', 'ebd', 'hrsg', 'urspr',
  ],
);

export const MASK = '\uffff';

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/** Ranges of non-space text in [a, b) separated by whitespace runs. */
export function splitWords(m: string, a: number, b: number): Span[] {
  const out: Span[] = [];
  let i = a;
  while (i < b) {
    while (i < b && isSpace(m[i])) i++;
    if (i >= b) break;
    const s = i;
    while (i < b && !isSpace(m[i])) i++;
    out.push([s, i]);
  }
  return out;
}

/** Splits after `,` `;` `:` followed by whitespace. */
export function splitClauses(m: string, a: number, b: number): Span[] {
  return splitAfter(m, a, b, /[,;:]+(?=\s)/gu, () => true);
}

/** Splits after sentence-final punctuation followed by whitespace and a start that is not lower case. */
export function splitSentences(m: string, a: number, b: number): Span[] {
  return splitAfter(m, a, b, /[.!?\u2026]+[)\]"'\u201d\u2019\u00bb*_]*(?=\s)/gu, (punctStart, punct, pieceStart, nextChar) => {
    // A lower-case continuation ("e.g. this", "3 vs. 4") is never a new sentence.
    if (/\p{Ll}/u.test(nextChar)) return false;
    if (punct.startsWith('.') && !punct.startsWith('..')) return !isAbbreviation(wordBefore(m, pieceStart, punctStart));
    return true;
  });
}

function splitAfter(
  m: string,
  a: number,
  b: number,
  re: RegExp,
  accept: (matchStart: number, match: string, pieceStart: number, nextChar: string) => boolean,
): Span[] {
  const out: Span[] = [];
  let start = a;
  re.lastIndex = a;
  for (;;) {
    const hit = re.exec(m);
    if (!hit || hit.index >= b) break;
    const end = hit.index + hit[0].length;
    if (end >= b) break;
    let next = end;
    while (next < b && isSpace(m[next])) next++;
    if (next >= b) break;
    re.lastIndex = next;
    if (!accept(hit.index, hit[0], start, String.fromCodePoint(m.codePointAt(next)!))) continue;
    out.push([start, end]);
    start = next;
  }
  if (start < b) out.push([start, b]);
  return out;
}

function wordBefore(m: string, from: number, at: number): string {
  let i = at;
  while (i > from && !isSpace(m[i - 1])) i--;
  return m.slice(i, at).replace(/^[(\[{"'\u201c\u2018\u00ab*_]+/u, '');
}

function isAbbreviation(word: string): boolean {
  if (word === '') return false;
  if (ABBREVIATIONS.has(word.toLowerCase())) return true;
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return true; // e.g, i.e, z.B, d.h, U.S
  if (/^\p{L}$/u.test(word)) return true; // initials: "J. R. R. Tolkien"
  if (/^\d{1,2}$/.test(word)) return true; // German ordinals: "am 3. Oktober"
  return false;
}
