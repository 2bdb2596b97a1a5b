// AssemblyScript, part of text-scan.as.ts: tailRepeats of checks/repetition.ts (the repetition check's cheap
// gate) in one pass: newlines found sixteen units at a time, and a line's last sixteen units looked up in
// the line by their first and last unit sixteen offsets at a time, then compared eight units at a time. Where a line ends in a
// character above U+00FF whose letter-or-digit class it does not know, it answers UNKNOWN and JavaScript
// decides.

import { bytes16, nextNewline, unit } from './common.as'

const PROBE: i32 = 16
const UNKNOWN: i32 = -1

/** /[\p{L}\p{N}]/u on one code unit: 1 or 0, or UNKNOWN above U+00FF outside punctuation and surrogates. */
function letterOrDigit(c: i32): i32 {
  if (c < 128) return <u32>(c - 48) < 10 || <u32>((c | 32) - 97) < 26 ? 1 : 0
  if (c < 256) return c == 0xaa || c == 0xb2 || c == 0xb3 || c == 0xb5 || c == 0xb9 || c == 0xba || (c >= 0xbc && c <= 0xbe) || (c >= 0xc0 && c != 0xd7 && c != 0xf7) ? 1 : 0
  // general punctuation (dashes, quotes, ellipsis), currency signs, and lone surrogates are neither
  if ((c >= 0x2000 && c <= 0x206f) || (c >= 0x20a0 && c <= 0x20cf) || (c >= 0xd800 && c <= 0xdfff)) return 0
  return UNKNOWN
}

/** A code unit as bytes16 narrows it. */
@inline function narrowed(c: i32): i32 {
  return c < 0x100 ? c : c < 0x8000 ? 0xff : 0
}

/** Whether the PROBE units from q equal those at `probe` (head and rest: the probe's two halves). */
@inline function same(p: usize, q: i32, head: v128, rest: v128): bool {
  const at = p + (<usize>q << 1)
  return i16x8.all_true(i16x8.eq(v128.load(at), head)) && i16x8.all_true(i16x8.eq(v128.load(at, 16), rest))
}

/**
 * Whether the PROBE units at `probe` start at `need` or more offsets from `from` to `probe` (overlaps
 * count). Sixteen offsets at a time are kept only where their first and last unit match the probe's (as
 * narrowed bytes, so a superset), which few do; those are compared in full.
 */
function occurs(p: usize, from: i32, probe: i32, need: i32): bool {
  const at = p + (<usize>probe << 1)
  const head = v128.load(at)
  const rest = v128.load(at, 16)
  const first = i8x16.splat(<i8>narrowed(unit(p, probe)))
  const last = i8x16.splat(<i8>narrowed(unit(p, probe + PROBE - 1)))
  let count = 0
  let i = from
  // every offset of the block is a start at or before the probe, and its last unit is inside the text
  for (; i + 15 <= probe; i += 16) {
    let m = i8x16.bitmask(v128.and(i8x16.eq(bytes16(p, i), first), i8x16.eq(bytes16(p, i + PROBE - 1), last)))
    while (m != 0) {
      if (same(p, i + <i32>ctz(m), head, rest) && ++count >= need) return true
      m &= m - 1
    }
  }
  const c = unit(p, probe)
  for (; i <= probe; i++) if (unit(p, i) == c && same(p, i, head, rest) && ++count >= need) return true
  return false
}

/**
 * 1 when some line of the `n` units at `p` (trailing characters that are no letter or digit left off) is at
 * least 3 × PROBE long and its last PROBE units occur `minRepeats - 1` times in it, 0 when none is, UNKNOWN
 * when JavaScript must decide.
 */
export function tailRepeats(p: usize, n: i32, minRepeats: i32): i32 {
  let start = 0
  while (start < n) {
    const end = nextNewline(p, n, start)
    let e = end
    while (e > start) {
      const k = letterOrDigit(unit(p, e - 1))
      if (k == UNKNOWN) return UNKNOWN
      if (k == 1) break
      e--
    }
    if (e - start >= PROBE * 3 && occurs(p, start, e - PROBE, minRepeats - 1)) return 1
    start = end + 1
  }
  return 0
}
