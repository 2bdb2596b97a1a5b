import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cosine, qaRecord, qaRecordAsync, runQa, runQaAsync, withOverrides, type SimilarityProvider } from '../../../src/core/qa/index'

test('runQa: flags carry address, check, severity and a span into the named text', () => {
  const flags = runQa({ address: 'messages/3/content', source: 'It weighs 12 kg.', target: 'Es wiegt 21 kg.' })
  assert.equal(flags.length, 1)
  const f = flags[0]
  assert.equal(f.address, 'messages/3/content')
  assert.equal(f.check, 'numbers')
  assert.equal(f.severity, 'warning')
  assert.equal('Es wiegt 21 kg.'.slice(f.span!.start, f.span!.end), '21')
  assert.equal(f.spanIn, 'target')
})

test('runQa: disabled checks and severities come from the config; an empty source yields nothing', () => {
  const config = withOverrides({ numbers: { enabled: false }, brackets: { severity: 'error' } })
  const flags = runQa({ address: 'prompt', source: 'Pick 3 (or 4).', target: 'Wähle 5 (oder 4.' }, config)
  assert.deepEqual(flags.map((f) => [f.check, f.severity]), [['brackets', 'error']])
  assert.deepEqual(runQa({ address: 'prompt', source: '  ', target: 'Hallo' }), [])
})

test('qaRecord: a repeated source must get the same translation (UltraChat prompt = messages/0)', () => {
  const units = [
    { address: 'prompt', source: 'Name three rivers in Europe.', target: 'Nenne drei Flüsse in Europa.' },
    { address: 'messages/0/content', source: 'Name three rivers in Europe.', target: 'Nenne mir drei europäische Flüsse.' },
    { address: 'messages/1/content', source: 'The Danube, the Rhine and the Elbe.', target: 'Die Donau, der Rhein und die Elbe.' },
  ]
  const flags = qaRecord(units)
  assert.equal(flags.length, 1)
  assert.equal(flags[0].check, 'consistency')
  assert.equal(flags[0].address, 'messages/0/content')
  assert.match(flags[0].message, /same source as "prompt"/)
})

test('qaRecord: an identical repeated pair is checked once and reported for both addresses', () => {
  const pair = { source: 'It is 8 km away.', target: 'Es ist 9 km entfernt.' }
  const flags = qaRecord([{ address: 'prompt', ...pair }, { address: 'messages/0/content', ...pair }])
  assert.deepEqual(flags.map((f) => [f.address, f.check]), [['prompt', 'numbers'], ['messages/0/content', 'numbers']])
})

/** A deterministic stand-in for the inference server's /v1/embeddings (not reachable in unit tests). */
function fakeEmbeddings(table: Record<string, number[]>): SimilarityProvider & { calls: number } {
  return {
    calls: 0,
    async embed(texts) {
      this.calls++
      return texts.map((t) => {
        const v = table[t]
        if (!v) throw new Error(`no fake vector for "${t}"`)
        return v
      })
    },
  }
}

test('similarity with a deterministic fake embedding provider: low cosine flags, high cosine passes, one batch', async () => {
  const provider = fakeEmbeddings({
    'The sun is shining.': [1, 0, 0],
    'Die Sonne scheint.': [0.95, 0.1, 0],
    'I lost my keys.': [0, 1, 0],
    'Ich habe Hunger.': [0.1, 0.2, 0.97],
  })
  const flags = await qaRecordAsync(
    [
      { address: 'messages/0/content', source: 'The sun is shining.', target: 'Die Sonne scheint.' },
      { address: 'messages/1/content', source: 'I lost my keys.', target: 'Ich habe Hunger.' },
    ],
    undefined,
    { similarity: provider },
  )
  assert.equal(provider.calls, 1)
  assert.deepEqual(flags.map((f) => [f.address, f.check]), [['messages/1/content', 'similarity']])
  assert.match(flags[0].message, /similarity 0\.20/)
})

test('similarity is off without a provider or when disabled', async () => {
  const pair = { address: 'prompt', source: 'The sun is shining.', target: 'Die Sonne scheint.' }
  assert.deepEqual(await runQaAsync(pair), [])
  const provider = fakeEmbeddings({})
  assert.deepEqual(await runQaAsync(pair, withOverrides({ similarity: { enabled: false } }), { similarity: provider }), [])
  assert.equal(provider.calls, 0)
  assert.equal(cosine([1, 0], [0, 1]), 0)
  assert.throws(() => cosine([1], [1, 2]), /sizes differ/)
})
