/**
 * Placeholders stand in for protected inline pieces (inline code, URLs, e-mail addresses, link targets,
 * HTML tags and entities) inside a segment sent to the translator.
 *
 * Format: `{1}`, `{2}`, … numbered from 1 in order of appearance within each segment.
 * Why this form: it has no letters (nothing to translate, inflect or transliterate), no markdown meaning,
 * is three LLaMA tokens, and is the shape of .NET/ICU/Python format arguments that LLMs copy verbatim
 * throughout their pretraining data. XML-like tags (`<x1/>`) get "closed" or dropped more often, and
 * underscored names (`__CODE_1__`) get split or translated as words. Restoring tolerates spaces inside the
 * braces (`{ 1 }`), which translators sometimes add. Source text that already looks like a placeholder is
 * itself protected, so restoring can never confuse it with one of ours.
 */

/** Matches a placeholder as written by us or lightly respaced by a translator; group 1 is the number. */
export const PLACEHOLDER_SOURCE = String.raw`\{[ \t]*(\d+)[ \t]*\}`;

export function placeholder(n: number): string {
  return `{${n}}`;
}

export interface RestoreResult {
  text: string;
  /** Placeholder numbers absent from the translation; their originals were appended at its end. */
  missing: number[];
  /** Placeholder numbers that occurred more than once (each occurrence was restored). */
  duplicated: number[];
  /** Placeholder-shaped strings with numbers we never issued; left as the translator wrote them. */
  unknown: string[];
}

/** Puts the protected originals back into a translated segment. */
export function restorePlaceholders(translation: string, originals: readonly string[]): RestoreResult {
  if (originals.length === 0) return { text: translation, missing: [], duplicated: [], unknown: [] };
  const seen = new Array<number>(originals.length).fill(0);
  const unknown: string[] = [];
  const re = new RegExp(PLACEHOLDER_SOURCE, 'g');
  let text = translation.replace(re, (whole: string, digits: string) => {
    const n = Number(digits);
    if (!Number.isSafeInteger(n) || n < 1 || n > originals.length || String(n) !== digits) {
      unknown.push(whole);
      return whole;
    }
    seen[n - 1]!++;
    return originals[n - 1]!;
  });
  const missing: number[] = [];
  const duplicated: number[] = [];
  seen.forEach((count, i) => {
    if (count === 0) missing.push(i + 1);
    else if (count > 1) duplicated.push(i + 1);
  });
  // Dropped code or URLs must not vanish from the data: keep them, at the end, for review to place.
  for (const n of missing) text += (text === '' || /\s$/.test(text) ? '' : ' ') + originals[n - 1];
  return { text, missing, duplicated, unknown };
}
