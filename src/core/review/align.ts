/**
 * Side-by-side alignment of a source text and its translation for reading: by paragraph when both have
 * the same number of paragraphs, else by line, else the whole texts side by side. Unequal counts are
 * padded with empty strings, which is itself a hint (a dropped paragraph shows as a gap).
 */
export interface AlignedSegment {
  source: string
  target: string
}

// every blank line between two paragraphs: with one blank line per match, a third newline began the next part
const PARAGRAPHS = /\r?\n(?:[ \t]*\r?\n)+/
const LINES = /\r?\n/

function splitBy(text: string, sep: RegExp): string[] {
  return text.split(sep).filter((p) => p.trim() !== '')
}

export function alignSegments(source: string, target: string): AlignedSegment[] {
  for (const sep of [PARAGRAPHS, LINES]) {
    const s = splitBy(source, sep)
    const t = splitBy(target, sep)
    if (s.length === t.length && s.length > 0) return s.map((source, i) => ({ source, target: t[i] }))
  }
  const s = splitBy(source, PARAGRAPHS)
  const t = splitBy(target, PARAGRAPHS)
  // Different paragraph counts: keep the source's structure, leave the rest of the target in the last cell.
  if (s.length > 1 && t.length > 0 && t.length < s.length) {
    return s.map((source, i) => ({ source, target: i < t.length ? t[i] : '' }))
  }
  return [{ source, target }]
}

/**
 * Which of `parts` (one side of `alignSegments`, in order) holds the character at `offset` of `text`; the
 * separator before a part counts to it. Undefined past the last part (a padded, empty one holds nothing).
 */
export function segmentAt(text: string, parts: readonly string[], offset: number): number | undefined {
  let from = 0
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === '') continue
    const at = text.indexOf(parts[i], from)
    if (at < 0) return undefined
    from = at + parts[i].length
    if (offset < from) return i
  }
  return undefined
}
