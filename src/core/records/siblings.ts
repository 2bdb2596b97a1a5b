import { existsSync } from 'node:fs'

/** The translation file that pairs with a source file, by the naming conventions people use. */
export function siblingCandidates(file: string, from = 'en', to = 'de'): string[] {
  const swaps: [RegExp, string][] = [
    [new RegExp(`(^|[/\\\\])${from}(\\.[a-z]+)$`), `$1${to}$2`],
    [new RegExp(`([._-])${from}(\\.[a-z]+)$`), `$1${to}$2`],
    [new RegExp(`([/\\\\])${from}([/\\\\])`), `$1${to}$2`],
    [new RegExp(`([._-])${from}([._-])`), `$1${to}$2`],
  ]
  const out: string[] = []
  for (const [re, rep] of swaps) {
    const c = file.replace(re, rep)
    if (c !== file && !out.includes(c)) out.push(c)
  }
  return out
}

/**
 * The translation and its English source for a file that may be either side: `en.jsonl` picked → its
 * `de.jsonl` sibling is the translation; `de.jsonl` picked → `en.jsonl`, if present, is its source.
 */
export function pairedPaths(file: string, from = 'en', to = 'de'): { target: string; source?: string; pickedSource: boolean } {
  const translation = siblingCandidates(file, from, to).find(existsSync)
  if (translation) return { target: translation, source: file, pickedSource: true }
  return { target: file, source: siblingCandidates(file, to, from).find(existsSync), pickedSource: false }
}
