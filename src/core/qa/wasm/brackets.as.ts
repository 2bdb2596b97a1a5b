// AssemblyScript, part of text-scan.as.ts: bracketBalance of checks/brackets.ts in one pass, sixteen code
// units tested at a time for the marks (brackets and the double quotes " “ ” „ ‟ « »), which are rare.

import { bytes16, inSet, unit } from './common.as'

// the marks' bytes as nibble tables (see inSet): " ( ) bit 0, [ ] { } bit 1, « » bit 2, 0xFF (any character
// from U+0100 to U+7FFF, the curly quotes among them) bit 3
const HI = i8x16(0, 0, 1, 0, 0, 2, 0, 2, 0, 0, 4, 4, 0, 0, 0, 8)
const LO = i8x16(0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 6, 0, 2, 0, 8)

let quotes: i32 = 0
let lastQuote: i32 = -1

/** Double quotes counted by the last bracketBalance call. */
export function bracketQuotes(): i32 {
  return quotes
}

/** Offset of the last double quote of the last bracketBalance call, or -1. */
export function bracketLastQuote(): i32 {
  return lastQuote
}

let depth: i32 = 0
let at: i32 = -1

@inline function mark(p: usize, q: i32, stack: usize): void {
  const c = unit(p, q)
  if (c == 40 || c == 91 || c == 123) {
    store<i32>(stack + (<usize>depth << 2), q)
    depth++
  } else if (c == 41 || c == 93 || c == 125) {
    if (depth == 0) {
      if (at < 0) at = q
    } else {
      depth--
      const o = unit(p, load<i32>(stack + (<usize>depth << 2)))
      if (!((o == 40 && c == 41) || (o == 91 && c == 93) || (o == 123 && c == 125)) && at < 0) at = q
    }
  } else {
    quotes++
    lastQuote = q
  }
}

@inline function isMark(c: i32): bool {
  return c == 40 || c == 41 || c == 91 || c == 93 || c == 123 || c == 125 || c == 34 || c == 0xab || c == 0xbb || <u32>(c - 0x201c) < 4
}

/**
 * The offset of the first unmatched or mismatched bracket in the `n` units at `p` (an opener left open
 * counts at the end, the outermost first), or -1 when they balance; quotes: bracketQuotes(). `stack`: room
 * for n offsets.
 */
export function bracketBalance(p: usize, n: i32, stack: usize): i32 {
  quotes = 0
  lastQuote = -1
  depth = 0
  at = -1
  let i = 0
  for (; i + 16 <= n; i += 16) {
    let m = inSet(bytes16(p, i), HI, LO)
    while (m != 0) {
      const q = i + <i32>ctz(m)
      if (isMark(unit(p, q))) mark(p, q, stack)
      m &= m - 1
    }
  }
  for (; i < n; i++) {
    if (isMark(unit(p, i))) mark(p, i, stack)
  }
  if (at < 0 && depth > 0) at = load<i32>(stack)
  return at
}
