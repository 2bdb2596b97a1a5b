import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { Xoshiro128 } from '../../../src/core/estimate/rng'
import { drawPlan, planPath, PlanError, readPlan, reviewOrder, sampleIndices, writePlan } from '../../../src/core/estimate/sample'

// χ² critical values at p = 0.001 (df 34 and df 9): a correct sampler fails these with probability 1/1000,
// and the seeds are fixed, so the test is deterministic.
const CHI2_999 = { 34: 65.25, 9: 27.88 }

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((s, c) => s + ((c - expected) ** 2) / expected, 0)
}

describe('seeded PRNG', () => {
  it('is reproducible for a seed, differs between seeds, and treats 42 and "42" alike', () => {
    const a = new Xoshiro128(42)
    const b = new Xoshiro128('42')
    const c = new Xoshiro128(43)
    const xs = Array.from({ length: 5 }, () => a.next())
    assert.deepEqual(Array.from({ length: 5 }, () => b.next()), xs)
    assert.notDeepEqual(Array.from({ length: 5 }, () => c.next()), xs)
    assert.ok(xs.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32))
  })

  it('draws bounded integers uniformly (no modulo bias)', () => {
    const rng = new Xoshiro128('bounded')
    const counts = new Array(10).fill(0)
    for (let i = 0; i < 10_000; i++) counts[rng.below(10)]++
    assert.ok(chiSquare(counts, 1000) < CHI2_999[9], `χ² ${chiSquare(counts, 1000)}`)
    assert.throws(() => rng.below(0), RangeError)
  })
})

describe('sampleIndices (Floyd)', () => {
  it('returns k distinct ascending indices inside the population, the same for the same seed', () => {
    const s = sampleIndices(1000, 50, 'seed-a')
    assert.equal(s.length, 50)
    assert.equal(new Set(s).size, 50)
    assert.ok(s.every((x, i) => x >= 0 && x < 1000 && (i === 0 || x > s[i - 1])))
    assert.deepEqual(sampleIndices(1000, 50, 'seed-a'), s)
    assert.notDeepEqual(sampleIndices(1000, 50, 'seed-b'), s)
    assert.deepEqual(sampleIndices(5, 5, 1), [0, 1, 2, 3, 4])
    assert.deepEqual(sampleIndices(5, 0, 1), [])
    assert.throws(() => sampleIndices(5, 6, 1), RangeError)
  })

  it('makes every k-subset equally likely (χ² over all 35 subsets of 3 of 7, 7000 fixed seeds)', () => {
    const counts = new Map<string, number>()
    for (let seed = 0; seed < 7000; seed++) {
      const key = sampleIndices(7, 3, seed).join(',')
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    assert.equal(counts.size, 35)
    const chi = chiSquare([...counts.values()], 200)
    assert.ok(chi < CHI2_999[34], `χ² ${chi.toFixed(1)} over 34 df`)
  })

  it('includes every row with probability k/N (10 rows, 3 drawn, 5000 string seeds)', () => {
    const counts = new Array(10).fill(0)
    for (let i = 0; i < 5000; i++) for (const x of sampleIndices(10, 3, `run-${i}`)) counts[x]++
    const chi = chiSquare(counts, 1500)
    assert.ok(chi < CHI2_999[9], `χ² ${chi.toFixed(1)} over 9 df`)
  })

  it('samples a 200k population quickly without building a population-sized array', () => {
    const s = sampleIndices(200_000, 1068, 7)
    assert.equal(new Set(s).size, 1068)
    assert.ok(s[s.length - 1] < 200_000)
    // Spread over the whole shard: each fifth holds roughly a fifth of the sample.
    const fifths = new Array(5).fill(0)
    for (const x of s) fifths[Math.floor(x / 40_000)]++
    assert.ok(fifths.every((c) => c > 150 && c < 280), `fifths ${fifths}`)
  })

  it('review order is a seeded permutation of the plan', () => {
    const plan = { indices: sampleIndices(500, 40, 3), seed: 3 }
    const order = reviewOrder(plan)
    assert.deepEqual([...order].sort((a, b) => a - b), plan.indices)
    assert.notDeepEqual(order, plan.indices)
    assert.deepEqual(reviewOrder(plan), order)
  })
})

describe('sample plan files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('draws a plan sized by margin, writes it atomically and reads it back', async () => {
    const plan = await drawPlan('data/de.jsonl', 10_000, { seed: 11, margin: 0.03, now: new Date('2025-01-02T03:04:05.000Z') }, async (i) => (i % 100 === 0 ? null : `id-${i}`))
    assert.equal(plan.size, 965)
    assert.equal(plan.indices.length, 965)
    assert.ok(plan.margin <= 0.03 && plan.margin > 0.0299)
    assert.equal(plan.confidence, 0.95)
    assert.deepEqual(plan.promptIds.slice(0, 3), plan.indices.slice(0, 3).map((i) => (i % 100 === 0 ? null : `id-${i}`)))
    const file = planPath(dir, join(dir, 'data/de.jsonl'))
    assert.match(file, /\.phoenix[/\\]samples[/\\]de-[0-9a-f]{12}\.json$/)
    writePlan(file, plan)
    assert.deepEqual(readPlan(file), plan)
    writePlan(file, { ...plan, seed: 'other' })
    assert.equal(readPlan(file)!.seed, 'other')
    // No temporary files left behind next to the plan.
    assert.deepEqual(readdirSync(join(dir, '.phoenix', 'samples')), [file.split(/[/\\]/).pop()])
  })

  it('a fixed size is kept (at most the population)', async () => {
    const plan = await drawPlan('x', 30, { seed: 1, size: 50 }, async () => 'id')
    assert.equal(plan.size, 30)
    await assert.rejects(drawPlan('x', 30, { seed: 1 }, async () => 'id'), /either a sample size or a margin/)
  })

  it('is null when missing and a PlanError naming the file when broken', () => {
    assert.equal(readPlan(join(dir, 'none.json')), null)
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"version":1,')
    assert.throws(() => readPlan(bad), (e: unknown) => e instanceof PlanError && /bad\.json: not valid JSON/.test((e as Error).message))
    const plan = JSON.parse(readFileSync(planPath(dir, join(dir, 'data/de.jsonl')), 'utf8'))
    writeFileSync(bad, JSON.stringify({ ...plan, indices: [...plan.indices].reverse() }))
    assert.throws(() => readPlan(bad), /ascending/)
    writeFileSync(bad, JSON.stringify({ ...plan, indices: plan.indices.map((i: number) => i + 10_000) }))
    assert.throws(() => readPlan(bad), /below the population/)
  })
})

describe('sample spec typed by a reviewer', () => {
  it('reads margins and sizes and rejects the rest', async () => {
    const { parseSampleSpec } = await import('../../../src/core/estimate/sample')
    assert.deepEqual(parseSampleSpec('5%'), { margin: 0.05 })
    assert.deepEqual(parseSampleSpec('±3 %'), { margin: 0.03 })
    assert.deepEqual(parseSampleSpec('0.02'), { margin: 0.02 })
    assert.deepEqual(parseSampleSpec('400'), { size: 400 })
    for (const bad of ['', '0', '100%', 'abc', '-5%', '3.5']) assert.equal(parseSampleSpec(bad), undefined, bad)
  })
})
