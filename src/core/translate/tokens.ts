/** Counts the source tokens of a text; the segmenter keeps every segment at or under its budget by this count. */
export type CountTokens = (text: string) => number;

/**
 * Default token estimate, used when no real tokenizer is at hand:
 * ceil(asciiChars / 3.5) + one token per non-ASCII code point.
 *
 * Why: LLaMA-2's tokenizer (ALMA's) averages about 4 characters per token on English prose and fewer on
 * code, numbers and punctuation, so 3.5 overestimates slightly and segments stay under ALMA's 256-token
 * source limit. Non-ASCII characters (accents, CJK, emoji) are often one or more byte-fallback tokens
 * each, so they count one apiece. Pass a real tokenizer's count to `segmentText` for exact budgets.
 */
export function approxTokenCount(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 3.5) + other;
}
