/**
 * A number in [0, 1) fixed by (seed, purpose, prompt_id) alone: the same record lands in the same split
 * (and H4's rule draws the same rejected completion) whatever the order or number of the other rows.
 * cyrb53 (two multiplicative 32-bit lanes, 53 bits out): stable across platforms and versions, and far
 * cheaper than a cryptographic hash per record. Nothing here needs to resist an adversary.
 */
export function unitHash(seed: number, purpose: string, promptId: string): number {
  const s = `${purpose}\u0000${promptId}`
  let h1 = 0xdeadbeef ^ (seed | 0)
  let h2 = 0x41c6ce57 ^ Math.floor(seed / 2 ** 32)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (2 ** 32 * (h2 & 0x1fffff) + (h1 >>> 0)) / 2 ** 53
}

export type Split = 'train' | 'test'

/** Test when the record's hash falls below `testSize`: the test share is `testSize` in expectation. */
export function splitOf(seed: number, testSize: number, promptId: string): Split {
  return testSize > 0 && unitHash(seed, 'split', promptId) < testSize ? 'test' : 'train'
}
