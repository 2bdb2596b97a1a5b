// AssemblyScript, part of text-scan.as.ts: a three-letter string in any ASCII case, sixteen code units at a
// time (a case-insensitive regex over the same text costs ~10× more).

import { bytes16, unit } from './common.as'

@inline function folds(v: v128, c: i32): v128 {
  return i8x16.eq(v128.or(v, i8x16.splat(32)), i8x16.splat(<i8>c))
}

/**
 * Whether the `n` units at `p` contain the lower-case ASCII letters a, b, c in a row, each in either case.
 * Units above U+00FF narrow to 0 or 0xFF, which fold to no letter; nor does any other Latin-1 unit.
 */
export function includesFolded(p: usize, n: i32, a: i32, b: i32, c: i32): bool {
  let i = 0
  for (; i + 18 <= n; i += 16) {
    const hit = v128.and(folds(bytes16(p, i), a), v128.and(folds(bytes16(p, i + 1), b), folds(bytes16(p, i + 2), c)))
    if (v128.any_true(hit)) return true
  }
  for (; i + 2 < n; i++) if ((unit(p, i) | 32) == a && (unit(p, i + 1) | 32) == b && (unit(p, i + 2) | 32) == c) return true
  return false
}
