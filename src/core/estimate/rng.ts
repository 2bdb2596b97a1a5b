/**
 * xoshiro128** (Blackman & Vigna): a small seeded PRNG with 128 bits of state, so a sample plan drawn
 * from a seed is the same on every machine and Node version (Math.random cannot be seeded).
 */

/** Seeds are numbers or strings; `42` and `"42"` name the same stream, so the CLI and the API agree. */
export type Seed = number | string

// splitmix32: spreads a 32-bit value over the state words so nearby seeds diverge at once.
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0
  let z = x
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

export class Xoshiro128 {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  constructor(seed: Seed) {
    // FNV-1a over the seed's UTF-16 code units, then four splitmix32 steps fill the state.
    const text = String(seed)
    let h = 0x811c9dc5
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
    const a = splitmix32(h >>> 0)
    const b = splitmix32(a ^ text.length)
    const c = splitmix32(b)
    const d = splitmix32(c)
    this.s0 = a | 0
    this.s1 = b | 0
    this.s2 = c | 0
    this.s3 = d | 0
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1 // the all-zero state is a fixed point
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform integer in [0, m), without modulo bias (rejection of the incomplete top block). m ≤ 2^32. */
  below(m: number): number {
    if (!Number.isInteger(m) || m < 1 || m > 0x100000000) throw new RangeError(`below(${m}): m must be an integer in [1, 2^32]`)
    const limit = 0x100000000 - (0x100000000 % m)
    for (;;) {
      const x = this.next()
      if (x < limit) return x % m
    }
  }
}
