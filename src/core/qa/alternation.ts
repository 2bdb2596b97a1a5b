/**
 * Word lists as trie-shaped regex alternations. Irregexp tries a flat `a|b|c|…` alternative by alternative
 * at every candidate position (about 80 failed comparisons per German word for the English function-word
 * list); factored by common prefix it compares one character per level. Used only where the pattern
 * requires the word to be followed by a non-word character, so the order of alternatives cannot change
 * which text matches.
 */

interface Node {
  end: boolean
  next: Map<string, Node>
}

const SPECIAL = /[\\^$.*+?()[\]{}|/-]/

/** Regex source matching exactly the strings in `words`; `classes` maps a character to a class to emit instead. */
export function trieAlternation(words: readonly string[], classes: Record<string, string> = {}): string {
  const root: Node = { end: false, next: new Map() }
  for (const w of words) {
    let n = root
    for (const ch of w) {
      let c = n.next.get(ch)
      if (!c) n.next.set(ch, (c = { end: false, next: new Map() }))
      n = c
    }
    n.end = true
  }
  return emit(root, classes)
}

function emit(n: Node, classes: Record<string, string>): string {
  const parts: string[] = []
  for (const [ch, c] of n.next) {
    const atom = classes[ch] ?? (SPECIAL.test(ch) ? '\\' + ch : ch)
    parts.push(atom + emit(c, classes))
  }
  if (parts.length === 0) return ''
  const body = parts.length === 1 ? parts[0] : `(?:${parts.join('|')})`
  if (!n.end) return body
  return parts.length === 1 && parts[0].length === 1 ? `${body}?` : `(?:${parts.join('|')})?`
}
