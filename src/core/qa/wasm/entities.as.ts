// AssemblyScript, part of text-scan.as.ts: where the two regexes of checks/entities.ts (findEntities) can
// match. Sixteen code units are tested at a time, each with the one or two before it (a capital or digit
// after a letter or digit; a capital after a lower-case letter, comma or semicolon and a space), and only
// those lanes are looked at closely; JavaScript then expands each candidate exactly as it expands a regex
// match, so the tokens are the same.

import { bytes16, unit, within } from './common.as'

@inline function isUpper(c: i32): bool {
  return <u32>(c - 65) < 26
}

@inline function isLower(c: i32): bool {
  return <u32>(c - 97) < 26
}

@inline function isDigit(c: i32): bool {
  return <u32>(c - 48) < 10
}

// NAME_RE's [A-ZÀ-Þ] and [a-zß-ÿ]
@inline function isNameUpper(c: i32): bool {
  return isUpper(c) || <u32>(c - 0xc0) < 31
}

@inline function isNameLower(c: i32): bool {
  return isLower(c) || <u32>(c - 0xdf) < 33
}

let names: i32 = 0

/** How many name starts the last entityCandidates call wrote. */
export function entityNameCount(): i32 {
  return names
}

/** One code unit at q: a SEED_RE match and/or a NAME_RE start two units before it. */
@inline function candidate(p: usize, n: i32, q: i32, seeds: usize, k: i32, nameOut: usize): i32 {
  const c = unit(p, q)
  if (q >= 1) {
    const b = unit(p, q - 1)
    // SEED_RE: [A-Z] after [A-Za-z\d], or \d after [A-Za-z]
    if ((isUpper(c) && (isUpper(b) || isLower(b) || isDigit(b))) || (isDigit(c) && (isUpper(b) || isLower(b)))) {
      store<i32>(seeds + (<usize>k << 2), q)
      k++
    }
    // NAME_RE: [a-zß-ÿ,;] then a space, then [A-ZÀ-Þ][a-zß-ÿ]{2,}
    if (b == 32 && q >= 2 && q + 2 < n && isNameUpper(c) && isNameLower(unit(p, q + 1)) && isNameLower(unit(p, q + 2))) {
      const a = unit(p, q - 2)
      if (isNameLower(a) || a == 44 || a == 59) {
        store<i32>(nameOut + (<usize>names << 2), q - 2)
        names++
      }
    }
  }
  return k
}

/**
 * Candidates in the `n` units at `p`, in text order: every index where SEED_RE matches (the pair's second
 * character) to `seeds`, returning their count, and every index where NAME_RE could start to `nameOut`
 * (count: entityNameCount()). Each list has room for n entries.
 */
export function entityCandidates(p: usize, n: i32, seeds: usize, nameOut: usize): i32 {
  names = 0
  let k = 0
  let i = 0
  // sixteen at a time, testing each unit with the one or two before it: only real candidates (and characters
  // above U+00FF that narrow into a class) are looked at one by one
  for (; i < 2 && i < n; i++) k = candidate(p, n, i, seeds, k, nameOut)
  for (; i + 16 <= n; i += 16) {
    const v = bytes16(p, i)
    const b = bytes16(p, i - 1)
    const a = bytes16(p, i - 2)
    const upper = within(v, 65, 90)
    const bLetter = within(v128.or(b, i8x16.splat(0x20)), 97, 122)
    const seed = v128.or(v128.and(upper, v128.or(bLetter, within(b, 48, 57))), v128.and(within(v, 48, 57), bLetter))
    const aLower = v128.or(v128.or(within(a, 97, 122), within(a, 0xdf, 0xff)), v128.or(i8x16.eq(a, i8x16.splat(44)), i8x16.eq(a, i8x16.splat(59))))
    const name = v128.and(v128.and(v128.or(upper, within(v, 0xc0, 0xde)), i8x16.eq(b, i8x16.splat(32))), aLower)
    let m = i8x16.bitmask(v128.or(seed, name))
    while (m != 0) {
      k = candidate(p, n, i + <i32>ctz(m), seeds, k, nameOut)
      m &= m - 1
    }
  }
  for (; i < n; i++) k = candidate(p, n, i, seeds, k, nameOut)
  return k
}
