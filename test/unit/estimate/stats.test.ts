import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fpcFactor, marginOfError, normalQuantile, sampleSize, wilson, zFor } from '../../../src/core/estimate/stats'

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} is not within ${tol} of ${b}`)

describe('normal quantile', () => {
  it('matches tabulated values', () => {
    close(zFor(0.95), 1.959963984540054, 1e-8, 'z 95%')
    close(zFor(0.99), 2.5758293035489, 1e-8, 'z 99%')
    close(zFor(0.9), 1.6448536269514722, 1e-8, 'z 90%')
    close(normalQuantile(0.5), 0, 1e-12, 'median')
    close(normalQuantile(1e-8), -5.612001244174789, 1e-7, 'far tail')
    assert.throws(() => zFor(1), RangeError)
    assert.throws(() => normalQuantile(0), RangeError)
  })
})

describe('sample size for a proportion', () => {
  it('gives 1068 for ±3% and 385 for ±5% at 95% (infinite population, p = 0.5)', () => {
    assert.equal(sampleSize({ margin: 0.03 }).size, 1068)
    assert.equal(sampleSize({ margin: 0.05 }).size, 385)
    assert.equal(sampleSize({ margin: 0.01 }).size, 9604)
    assert.equal(sampleSize({ margin: 0.05, confidence: 0.99 }).size, 664)
  })

  it('needs fewer rows with a prior share away from one half', () => {
    // 1.96² · 0.1 · 0.9 / 0.03² = 384.1
    assert.equal(sampleSize({ margin: 0.03, p: 0.1 }).size, 385)
  })

  it('applies the finite population correction n0 / (1 + (n0 - 1) / N) and never exceeds N', () => {
    assert.equal(sampleSize({ margin: 0.03, population: 10_000 }).size, 965)
    assert.equal(sampleSize({ margin: 0.05, population: 100 }).size, 80)
    assert.equal(sampleSize({ margin: 0.03, population: 200_000 }).size, 1062)
    assert.equal(sampleSize({ margin: 0.01, population: 50 }).size, 50)
    assert.equal(sampleSize({ margin: 0.05, population: 0 }).size, 0)
    assert.throws(() => sampleSize({ margin: 0 }), RangeError)
  })

  it('reports the margin a size achieves, consistent with the size formula', () => {
    close(marginOfError(1068), 0.02999, 1e-4, '1068 rows')
    assert.ok(marginOfError(1068) <= 0.03 && marginOfError(1067) > 0.03)
    assert.ok(marginOfError(965, { population: 10_000 }) <= 0.03 && marginOfError(964, { population: 10_000 }) > 0.03)
    assert.equal(marginOfError(100, { population: 100 }), 0)
  })
})

describe('Wilson score interval', () => {
  // Hand-computed with the closed form (x + z²/2 ± z·√(x(n−x)/n + z²/4)) / (n + z²), z = 1.959964.
  const cases: [number, number, number, number][] = [
    [0, 10, 0, 0.277533],
    [5, 10, 0.236593, 0.763407],
    [10, 10, 0.722467, 1],
    [50, 1000, 0.03813, 0.065314],
    [1, 100, 0.001767, 0.054486],
  ]
  for (const [x, n, lo, hi] of cases) {
    it(`${x}/${n} → [${lo}, ${hi}]`, () => {
      const w = wilson(x, n)
      close(w.lower, lo, 1e-4, 'lower')
      close(w.upper, hi, 1e-4, 'upper')
      assert.equal(w.share, x / n)
    })
  }

  it('is [0, 1] with no observation and rejects impossible counts', () => {
    assert.deepEqual(wilson(0, 0), { count: 0, n: 0, share: null, lower: 0, upper: 1 })
    assert.throws(() => wilson(3, 2), RangeError)
    assert.throws(() => wilson(1.5, 2), RangeError)
  })

  it('narrows with the finite population correction and collapses when every row was seen', () => {
    const inf = wilson(5, 50)
    const fin = wilson(5, 50, { population: 100 })
    assert.ok(fin.upper < inf.upper && fin.lower > inf.lower)
    // z² is scaled by (N − n)/(N − 1): the same as an infinite-population interval at z·√f.
    const f = fpcFactor(50, 100)
    close(f, 50 / 99, 1e-12, 'fpc')
    const all = wilson(7, 40, { population: 40 })
    assert.equal(all.lower, 7 / 40)
    assert.equal(all.upper, 7 / 40)
    const wider = wilson(5, 50, { confidence: 0.99 })
    assert.ok(wider.upper > inf.upper)
  })
})
