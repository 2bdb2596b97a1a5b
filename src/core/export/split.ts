import { createHash } from 'node:crypto'

/**
 * A number in [0, 1) fixed by (seed, purpose, prompt_id) alone: the same record lands in the same split
 * (and H4's rule draws the same rejected completion) whatever the order or number of the other rows.
 */
export function unitHash(seed: number, purpose: string, promptId: string): number {
  const h = createHash('sha256').update(`${seed}\u0000${purpose}\u0000${promptId}`, 'utf8').digest()
  // 52 bits fit a double exactly.
  return (h.readUInt32BE(0) * 2 ** 20 + (h.readUInt32BE(4) >>> 12)) / 2 ** 52
}

export type Split = 'train' | 'test'

/** Test when the record's hash falls below `testSize`: the test share is `testSize` in expectation. */
export function splitOf(seed: number, testSize: number, promptId: string): Split {
  return testSize > 0 && unitHash(seed, 'split', promptId) < testSize ? 'test' : 'train'
}
