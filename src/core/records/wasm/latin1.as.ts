// AssemblyScript entry (scripts/build-wasm.mjs compiles it into latin1.wasm.ts): UTF-8 to Latin-1 for the
// JSONL reader (records/utf8.ts). German text is ASCII plus a few letters below U+0100 (ä ö ü ß), and a
// Latin-1 string is made ~3× faster than a UTF-8 decode; a line with anything else is decoded as UTF-8.

/**
 * The `n` UTF-8 bytes at `src` as Latin-1 bytes at `dst` (ASCII sixteen bytes at a time): the count written,
 * or -1 when a byte sequence is not the UTF-8 of a character up to U+00FF (wider characters, and invalid
 * UTF-8, which the caller's decoder must see to replace it as it does).
 */
export function utf8ToLatin1(src: usize, n: i32, dst: usize): i32 {
  let i = 0
  let o = 0
  while (i < n) {
    while (i + 16 <= n) {
      const v = v128.load(src + <usize>i)
      if (i8x16.bitmask(v) != 0) break
      v128.store(dst + <usize>o, v)
      i += 16
      o += 16
    }
    if (i >= n) break
    const b = <i32>load<u8>(src + <usize>i)
    if (b < 0x80) {
      store<u8>(dst + <usize>o, <u8>b)
      i++
      o++
      continue
    }
    // C2 and C3 lead the two-byte forms of U+0080–U+00FF (C0 and C1 would be overlong)
    if ((b == 0xc2 || b == 0xc3) && i + 1 < n) {
      const c = <i32>load<u8>(src + <usize>i + 1)
      if ((c & 0xc0) != 0x80) return -1
      store<u8>(dst + <usize>o, <u8>(((b & 0x1f) << 6) | (c & 0x3f)))
      i += 2
      o++
      continue
    }
    return -1
  }
  return o
}

/** Where free memory starts: the caller's bytes go from here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15
}
