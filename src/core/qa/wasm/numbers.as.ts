// AssemblyScript, part of text-scan.as.ts (compiled by scripts/build-wasm.mjs): the numbers check's common
// case in one pass per text. It answers whether checks/numbers.ts would find every number of the source in
// the translation and every number of the translation in the source, i.e. raise no flag. It mirrors
// scanNumbers (NUMBER_RE, list markers, simpleValues, the colon and "3:30 pm" rules) and the greedy matching
// for the token shapes nearly every text has (digits, and digits with one '.' or ','); anything else (a
// character above U+00FF, am/pm, digit groups split by spaces, two or more separators, more than 15 digits)
// answers BAIL and the JavaScript check runs. So does a pair with an unmatched number: it needs the number
// words and the messages, which stay in JavaScript alone.
// Texts are UTF-16 code units in linear memory, so offsets are JavaScript string offsets.

import { bytes16, unit, within } from './common.as'

const AGREE: i32 = 1
const DISAGREE: i32 = 0
const BAIL: i32 = -1

// a token: start, end, value count, matched (i32 each), then up to four values (f64)
const TOKEN_BYTES: usize = 48
const MAX_VALUES: i32 = 4

@inline function isDigit(c: i32): bool {
  return <u32>(c - 48) < 10
}

// [A-Za-zÀ-ɏ] under the i flag, for code units up to U+00FF (no Latin-1 character outside the class folds into it)
@inline function isLetter(c: i32): bool {
  return <u32>((c | 0x20) - 97) < 26 || (c >= 0xc0 && c <= 0xff)
}

// \s up to U+00FF
@inline function isSpace(c: i32): bool {
  return (c >= 9 && c <= 13) || c == 32 || c == 0xa0
}

@inline function lower(c: i32): i32 {
  return <u32>(c - 65) < 26 ? c | 0x20 : c
}

/** Whether any code unit of the text is above U+00FF (sixteen at a time). */
function hasWide(p: usize, n: i32): bool {
  const high = i16x8.splat(<i16>0xff00)
  let i = 0
  for (; i + 16 <= n; i += 16) {
    const at = p + (<usize>i << 1)
    if (v128.any_true(v128.and(v128.or(v128.load(at), v128.load(at, 16)), high))) return true
  }
  for (; i < n; i++) if (unit(p, i) > 0xff) return true
  return false
}

/** The first digit at or after i (n when none): sixteen code units at a time, since digits are rare in prose. */
function nextDigit(p: usize, n: i32, i: i32): i32 {
  for (; i + 16 <= n; i += 16) {
    const m = i8x16.bitmask(within(bytes16(p, i), 48, 57))
    if (m != 0) return i + <i32>ctz(m)
  }
  for (; i < n; i++) if (isDigit(unit(p, i))) return i
  return n
}

/** (am|pm|a\.m\.|p\.m\.)(?![A-Za-zÀ-ɏ]) at q, case-insensitive. */
function ampmAt(p: usize, n: i32, q: i32): bool {
  if (q >= n) return false
  const c = lower(unit(p, q))
  if (c != 97 && c != 112) return false
  let end = -1
  if (q + 1 < n && lower(unit(p, q + 1)) == 109) end = q + 2
  else if (q + 3 < n && unit(p, q + 1) == 46 && lower(unit(p, q + 2)) == 109 && unit(p, q + 3) == 46) end = q + 4
  if (end < 0) return false
  return end >= n || !isLetter(unit(p, end))
}

/** \s?(am|pm|a\.m\.|p\.m\.)(?![…]) right after a number ending at j. */
function ampmAfter(p: usize, n: i32, j: i32): bool {
  if (j < n && isSpace(unit(p, j)) && ampmAt(p, n, j + 1)) return true
  return ampmAt(p, n, j)
}

// German month names in UTF-16 code units ("März" has U+00E4)
const MONTHS: StaticArray<string> = ['Januar', 'Februar', 'M\u00e4rz', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember']

/** MONTH_AFTER (/^[.)][ \t]+(?:Januar|…)/) on the 16 code units from `at`. */
function monthAfter(p: usize, n: i32, at: i32): bool {
  const limit = min(n, at + 16)
  let q = at + 1
  if (q >= limit || (unit(p, q) != 32 && unit(p, q) != 9)) return false
  while (q < limit && (unit(p, q) == 32 || unit(p, q) == 9)) q++
  for (let m = 0; m < MONTHS.length; m++) {
    const name = MONTHS[m]
    if (q + name.length > limit) continue
    let same = true
    for (let k = 0; k < name.length && same; k++) same = unit(p, q + k) == <i32>name.charCodeAt(k)
    if (same) return true
  }
  return false
}

/** isListMarker: "1. " or "2) " with only blanks before it on its line, and no German month after it. */
function isListMarker(p: usize, n: i32, at: i32, end: i32): bool {
  if (end + 1 >= n) return false
  const next = unit(p, end)
  if (next != 46 && next != 41) return false
  const after = unit(p, end + 1)
  if (after != 32 && after != 9) return false
  for (let i = at - 1; i >= 0; i--) {
    const c = unit(p, i)
    if (c == 10) break
    if (c != 32 && c != 9) return false
  }
  return !monthAfter(p, n, end)
}

// exact powers of ten: a decimal read as integer / 10^r is then the correctly rounded value Number() gives
const POW10: StaticArray<f64> = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

@inline function digitsValue(p: usize, from: i32, to: i32, acc: f64): f64 {
  for (let i = from; i < to; i++) acc = acc * 10 + <f64>(unit(p, i) - 48)
  return acc
}

function pushValue(t: usize, v: f64): void {
  const k = load<i32>(t, 8)
  store<f64>(t + 16 + (<usize>k << 3), v)
  store<i32>(t, k + 1, 8)
}

@inline function firstValue(t: usize): f64 {
  return load<f64>(t, 16)
}

/** /\s?[ap]\.?m/i anywhere in the (at most) four code units from `at`: the "3:30 pm" rule's test. */
function ampmWithin(p: usize, n: i32, at: i32): bool {
  const end = min(n, at + 4)
  for (let x = at; x < end; x++) {
    const c = lower(unit(p, x))
    if (c != 97 && c != 112) continue
    if (x + 1 < end && lower(unit(p, x + 1)) == 109) return true
    if (x + 2 < end && unit(p, x + 1) == 46 && lower(unit(p, x + 2)) == 109) return true
  }
  return false
}

/** The number tokens of a text as scanNumbers reads them, written from `out`; their count, or BAIL. */
function scan(p: usize, n: i32, out: usize): i32 {
  if (hasWide(p, n)) return BAIL
  let k = 0
  let i = 0
  for (;;) {
    i = nextDigit(p, n, i)
    if (i >= n) break
    // the lookbehind: no letter, digit, '.' or ',' right before, and no letter-hyphen (GPT-4)
    if (i > 0) {
      const b = unit(p, i - 1)
      if (isLetter(b) || isDigit(b) || b == 46 || b == 44 || (b == 45 && i > 1 && isLetter(unit(p, i - 2)))) {
        i++
        continue
      }
    }
    const start = i
    let j = i + 1
    while (j < n && isDigit(unit(p, j))) j++
    let sep = -1
    for (;;) {
      if (j + 1 >= n) break
      const s = unit(p, j)
      if ((s == 46 || s == 44) && isDigit(unit(p, j + 1))) {
        if (sep >= 0) return BAIL
        sep = j
        j += 2
        while (j < n && isDigit(unit(p, j))) j++
        continue
      }
      // [ \u00a0](?=\d{3}(?!\d)): a group split by a space
      if ((s == 32 || s == 0xa0) && j + 3 < n && isDigit(unit(p, j + 1)) && isDigit(unit(p, j + 2)) && isDigit(unit(p, j + 3)) && (j + 4 >= n || !isDigit(unit(p, j + 4)))) return BAIL
      break
    }
    if (ampmAfter(p, n, j)) return BAIL
    if (j - start - (sep >= 0 ? 1 : 0) > 15) return BAIL
    if (isListMarker(p, n, start, j)) {
      i = j
      continue
    }
    const t = out + <usize>k * TOKEN_BYTES
    store<i32>(t, start)
    store<i32>(t, j, 4)
    store<i32>(t, 0, 8)
    store<i32>(t, 0, 12)
    if (sep < 0) {
      pushValue(t, digitsValue(p, start, j, 0))
    } else {
      // simpleValues: a 1-3 digit group and three digits after the separator read as thousands in one convention
      const r = j - sep - 1
      const joined = digitsValue(p, sep + 1, j, digitsValue(p, start, sep, 0))
      const decimal = joined / POW10[r]
      const grouped = sep - start <= 3 && r == 3
      if (unit(p, sep) == 46) {
        pushValue(t, decimal)
        if (grouped) pushValue(t, joined)
      } else {
        if (grouped) pushValue(t, joined)
        pushValue(t, decimal)
      }
      if (j < n && unit(p, j) == 58 && firstValue(t) < 12) pushValue(t, firstValue(t) + 12)
    }
    k++
    i = j
  }
  // "3:30 pm": the am/pm belongs to the hour before the colon
  for (let x = 1; x < k; x++) {
    const prev = out + <usize>(x - 1) * TOKEN_BYTES
    const cur = prev + TOKEN_BYTES
    const prevEnd = load<i32>(prev, 4)
    if (prevEnd < n && unit(p, prevEnd) == 58 && prevEnd + 1 == load<i32>(cur) && ampmWithin(p, n, load<i32>(cur, 4))) {
      if (firstValue(prev) < 12) {
        if (load<i32>(prev, 8) >= MAX_VALUES) return BAIL
        pushValue(prev, firstValue(prev) + 12)
      }
    }
  }
  return k
}

function sharesValue(a: usize, b: usize): bool {
  const na = load<i32>(a, 8)
  const nb = load<i32>(b, 8)
  for (let x = 0; x < na; x++) {
    const v = load<f64>(a + 16 + (<usize>x << 3))
    for (let y = 0; y < nb; y++) if (v == load<f64>(b + 16 + (<usize>y << 3))) return true
  }
  return false
}

/**
 * AGREE when every number of the source (`sn` units at `sp`) has a partner in the translation (`tn` at `tp`)
 * and none is left over, DISAGREE when some are, BAIL when the JavaScript check must decide. `scratch`: room
 * for a token (TOKEN_BYTES) per two code units of both texts, plus two (tokens are at least a digit and a
 * separator apart).
 */
export function numbersAgree(sp: usize, sn: i32, tp: usize, tn: i32, scratch: usize): i32 {
  const a = scratch
  const na = scan(sp, sn, a)
  if (na == BAIL) return BAIL
  const b = a + <usize>na * TOKEN_BYTES
  const nb = scan(tp, tn, b)
  if (nb == BAIL) return BAIL
  // numbers mostly keep their order: the greedy matching of checkNumbers, the matched prefix skipped
  let first = 0
  for (let x = 0; x < na; x++) {
    const ta = a + <usize>x * TOKEN_BYTES
    while (first < nb && load<i32>(b + <usize>first * TOKEN_BYTES, 12) != 0) first++
    let found = false
    for (let y = first; y < nb; y++) {
      const tb = b + <usize>y * TOKEN_BYTES
      if (load<i32>(tb, 12) != 0) continue
      if (sharesValue(ta, tb)) {
        store<i32>(tb, 1, 12)
        found = true
        break
      }
    }
    if (!found) return DISAGREE
  }
  for (let y = 0; y < nb; y++) if (load<i32>(b + <usize>y * TOKEN_BYTES, 12) == 0) return DISAGREE
  return AGREE
}

/** The tokens `scan` reads from one text (for the tests that hold it to scanNumbers): their count, or BAIL. */
export function numberTokens(p: usize, n: i32, out: usize): i32 {
  return scan(p, n, out)
}
