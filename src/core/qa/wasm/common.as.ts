// AssemblyScript shared by the text-scan modules: texts are UTF-16 code units in linear memory, so that
// offsets are JavaScript string offsets.

/** The code unit at index i of the text at p. */
@inline export function unit(p: usize, i: i32): i32 {
  return <i32>load<u16>(p + (<usize>i << 1))
}

/** Byte lanes of v from lo to hi (inclusive, unsigned). */
@inline export function within(v: v128, lo: u8, hi: u8): v128 {
  return i8x16.le_u(i8x16.sub(v, i8x16.splat(lo)), i8x16.splat(hi - lo))
}

/**
 * Sixteen code units from index i as bytes: Latin-1 stays itself, U+0100–U+7FFF become 0xFF and the rest 0
 * (narrowing saturates), so a byte class without 0xFF sees no character above U+00FF.
 */
@inline export function bytes16(p: usize, i: i32): v128 {
  const at = p + (<usize>i << 1)
  return i8x16.narrow_i16x8_u(v128.load(at), v128.load(at, 16))
}

/**
 * Lanes of sixteen bytes that are in a byte set given as two nibble tables (the set holds byte b when
 * hi[b >> 4] & lo[b & 15] is not 0), as a 16-bit mask: two table lookups instead of a compare per range.
 */
@inline export function inSet(v: v128, hi: v128, lo: v128): i32 {
  const h = i8x16.swizzle(hi, i8x16.shr_u(v, 4))
  const l = i8x16.swizzle(lo, v128.and(v, i8x16.splat(0x0f)))
  return i8x16.bitmask(i8x16.gt_u(v128.and(h, l), i8x16.splat(0)))
}

/** The first newline at or after i, or n. */
@inline export function nextNewline(p: usize, n: i32, i: i32): i32 {
  for (; i + 16 <= n; i += 16) {
    const m = i8x16.bitmask(i8x16.eq(bytes16(p, i), i8x16.splat(10)))
    if (m != 0) return i + <i32>ctz(m)
  }
  for (; i < n; i++) if (unit(p, i) == 10) return i
  return n
}
