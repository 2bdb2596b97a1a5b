// AssemblyScript, part of text-scan.as.ts: where the next function word of a list is (stopwords.ts' Hints:
// a word of the list at the text start or after a boundary character, followed by no word character).
// German translations hold no English function word in nearly every text, so the whole text is read; the
// regex tries its word trie after every boundary character, this finds them sixteen units at a time and
// looks each following word up in a hash set (on German answers already copied in: 2.0 against the regex's
// 2.6 ns a character).

import { bytes16, inSet, unit, within } from './common.as'

// Bytes of the boundary characters as nibble tables (see inSet), a superset checked exactly afterwards:
// 0x00 and 0x09–0x0D bit 0; space " ( / bit 1; [ bit 2; 0xA0 « bit 3; » bit 4; 0xFF (U+0100–U+7FFF:
// the other spaces, „ “ ‚) bit 5. Units from U+8000 narrow to 0 (U+FEFF among them), so 0 is in the set.
const HI = i8x16(1, 0, 2, 0, 0, 4, 0, 0, 0, 0, 8, 16, 0, 0, 0, 32)
const LO = i8x16(11, 0, 2, 0, 0, 0, 0, 0, 2, 1, 1, 29, 1, 1, 0, 34)

/** The regex's boundary class: \s (ECMAScript white space and line terminators), ( [ „ “ " ‚ » « /. */
@inline function isBoundary(c: i32): bool {
  if (c < 0x80) return c == 32 || <u32>(c - 9) < 5 || c == 34 || c == 40 || c == 47 || c == 91
  if (c < 0x100) return c == 0xa0 || c == 0xab || c == 0xbb
  return (
    <u32>(c - 0x2000) < 11 || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff || c == 0x1680 ||
    c == 0x201e || c == 0x201c || c == 0x201a
  )
}

/** The lookahead's word class: A–Z a–z À–ɏ 0–9 ' ’ _ - (À–ɏ with × and ÷, as the regex range has them). */
@inline function isWordUnit(c: i32): bool {
  return <u32>((c | 32) - 97) < 26 || <u32>(c - 48) < 10 || c == 39 || c == 95 || c == 45 || <u32>(c - 0xc0) < 0x190 || c == 0x2019
}

// The list: words of one to seven ASCII characters (’ written as '), packed a character a byte from the
// lowest, in an open-addressing hash set; 0 marks a free slot.
const SLOTS: i32 = 512
const table = memory.data(SLOTS * 8)
const MAX_LEN: i32 = 7

@inline function slotOf(key: u64): i32 {
  return <i32>((key * 0x9e3779b97f4a7c15) >> 55)
}

function has(key: u64): bool {
  let s = slotOf(key)
  for (let tries = 0; tries < SLOTS; tries++) {
    const k = load<u64>(table + (<usize>s << 3))
    if (k == key) return true
    if (k == 0) return false
    s = (s + 1) & (SLOTS - 1)
  }
  return false
}

/** Adds a word, packed as above (lo: its first four characters, hi: the rest); false when the set is full. */
export function addHintWord(lo: u32, hi: u32): bool {
  const key = (<u64>hi << 32) | <u64>lo
  let s = slotOf(key)
  for (let tries = 0; tries < SLOTS; tries++) {
    const k = load<u64>(table + (<usize>s << 3))
    if (k == key) return true
    if (k == 0) {
      store<u64>(table + (<usize>s << 3), key)
      return true
    }
    s = (s + 1) & (SLOTS - 1)
  }
  return false
}

export function clearHintWords(): void {
  memory.fill(table, 0, SLOTS * 8)
}

/** wordEndAt one unit at a time: near the text's end, and where a unit above U+00FF may end the word. */
function wordEndSlow(p: usize, n: i32, i: i32): i32 {
  let key: u64 = 0
  let k = 0
  for (; i + k < n; k++) {
    let c = unit(p, i + k)
    if (!isWordUnit(c)) break
    if (k == MAX_LEN) return -1
    if (c == 0x2019) c = 39
    else if (c >= 0x80) return -1
    key |= <u64>c << (<u64>k << 3)
  }
  return k > 0 && has(key) ? i + k : -1
}

/**
 * The end of the word starting at i when it is in the list and no word character follows it, else -1. Its
 * first eight units are read as bytes at once: the word is the run of word bytes (0xFF, a unit from U+0100,
 * may or may not be a word unit: such words go to wordEndSlow), its bytes are the key.
 */
@inline function wordEndAt(p: usize, n: i32, i: i32): i32 {
  if (i + 8 > n) return wordEndSlow(p, n, i)
  const u = v128.load(p + (<usize>i << 1))
  const v = i8x16.narrow_i16x8_u(u, u)
  const word = v128.or(
    v128.or(within(v128.or(v, i8x16.splat(32)), 97, 122), within(v, 48, 57)),
    v128.or(v128.or(i8x16.eq(v, i8x16.splat(39)), i8x16.eq(v, i8x16.splat(95))), v128.or(i8x16.eq(v, i8x16.splat(45)), within(v, 0xc0, 0xff))),
  )
  const len = <i32>ctz((~i8x16.bitmask(word) & 0xff) | 0x100)
  if (len == 0) return -1
  const inWord = (1 << len) - 1
  if ((i8x16.bitmask(i8x16.eq(v, i8x16.splat(-1))) & inWord) != 0) return wordEndSlow(p, n, i)
  // eight word units are more than the longest word; a letter above U+007F is in no word of the list
  if (len == 8 || (i8x16.bitmask(v) & inWord) != 0) return -1
  const key = i64x2.extract_lane(v, 0) & ((<u64>1 << (<u64>len << 3)) - 1)
  return has(key) ? i + len : -1
}

/**
 * The end of the first listed word in the `n` units at `p` that starts at `from` when `from` is 0 or after a
 * boundary character at or after `from`; -1 when there is none.
 */
export function nextHintWord(p: usize, n: i32, from: i32): i32 {
  if (from == 0 && n > 0) {
    const end = wordEndAt(p, n, 0)
    if (end >= 0) return end
  }
  let i = from
  for (; i + 16 <= n; i += 16) {
    let m = inSet(bytes16(p, i), HI, LO)
    while (m != 0) {
      const b = i + <i32>ctz(m)
      m &= m - 1
      if (isBoundary(unit(p, b))) {
        const end = wordEndAt(p, n, b + 1)
        if (end >= 0) return end
      }
    }
  }
  for (; i < n; i++) {
    if (isBoundary(unit(p, i))) {
      const end = wordEndAt(p, n, i + 1)
      if (end >= 0) return end
    }
  }
  return -1
}
