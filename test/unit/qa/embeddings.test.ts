import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { tinyModelDir } from '../../../native-runtime/inference/tools/tiny-model-dir'
import { SupervisedServer } from '../../../native-runtime/inference/supervisor'
import { main } from '../../../src/cli/phoenix'
import { defaultQaConfig } from '../../../src/core/qa/config'
import { embeddingsProvider } from '../../../src/core/qa/embeddings'
import { qaReport } from '../../../src/core/qa/report'
import { openPaired } from '../../../src/core/qa/scan'

const samples = join(import.meta.dirname, '../../../samples')
const withOriginal = join(samples, 'ultrachat/de-with-original.jsonl')

async function run(...argv: string[]): Promise<{ code: number; lines: { check: string; prompt_id: string; address: string }[]; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') })
  return { code, lines: out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)), err }
}

describe('semantic similarity over the embedded server (tiny model)', { timeout: 60_000 }, () => {
  let modelDir: string
  let server: SupervisedServer
  let dir: string
  let strictConfig: string

  before(async () => {
    modelDir = await tinyModelDir()
    server = await SupervisedServer.start({ modelDir })
    dir = mkdtempSync(join(tmpdir(), 'phoenix-'))
    strictConfig = join(dir, 'phoenix-qa.json')
    writeFileSync(strictConfig, JSON.stringify({ checks: { similarity: { enabled: true, threshold: 0.999 } } }))
  })
  after(async () => {
    await server?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('returns one unit vector per text, all of one size, in input order across batches', async () => {
    const texts = ['Hallo Welt', 'Hello world', 'Ein ganz anderer Satz über Katzen.', 'Hallo Welt', 'x']
    const provider = embeddingsProvider({ url: server.url, apiKey: server.apiKey, batchSize: 2 })
    const vectors = await provider.embed(texts)
    assert.equal(vectors.length, texts.length)
    const dim = vectors[0].length
    assert.ok(dim > 1)
    for (const v of vectors) {
      assert.equal(v.length, dim)
      assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-3, 'L2-normalized')
    }
    // Order survives batching: the same text at 0 and 3 (different batches) gets the same vector, others differ.
    assert.deepEqual(vectors[3], vectors[0])
    assert.notDeepEqual(vectors[1], vectors[0])
    const single = await embeddingsProvider({ url: `${server.url}/v1/`, apiKey: server.apiKey }).embed([texts[2]])
    assert.deepEqual(single[0], vectors[2])
  })

  it('names the URL and the HTTP status when the server refuses', async () => {
    const provider = embeddingsProvider({ url: server.url, apiKey: 'wrong-token' })
    await assert.rejects(provider.embed(['Hallo']), (e: Error) => e.message.includes(`${server.url}/v1/embeddings`) && /HTTP 401/.test(e.message))
  })

  it('phoenix qa --embedding-model flags low similarity (mode b); without a model there are no similarity flags', async () => {
    const withModel = await run('qa', withOriginal, '--json', '--no-langid', '--config', strictConfig, '--embedding-model', modelDir)
    assert.equal(withModel.code, 0, withModel.err)
    const sim = withModel.lines.filter((f) => f.check === 'similarity')
    assert.ok(sim.length > 0, `no similarity flags: ${withModel.err}`)
    assert.ok(sim.every((f) => f.prompt_id.length === 64 && f.address.length > 0))
    assert.match(withModel.err, /similarity \d+/)

    const without = await run('qa', withOriginal, '--json', '--no-langid', '--config', strictConfig)
    assert.equal(without.code, 0, without.err)
    assert.equal(without.lines.filter((f) => f.check === 'similarity').length, 0)
    // Same rule-check flags either way: only similarity is added.
    assert.equal(without.lines.length, withModel.lines.length - sim.length)
  })

  it('phoenix qa --embeddings-url reaches a running server; a bad key fails with exit 2 and the status', async () => {
    const ok = await run('qa', withOriginal, '--json', '--no-langid', '--config', strictConfig, '--embeddings-url', server.url, '--embeddings-key', server.apiKey)
    assert.equal(ok.code, 0, ok.err)
    assert.ok(ok.lines.some((f) => f.check === 'similarity'))
    const bad = await run('qa', withOriginal, '--json', '--no-langid', '--config', strictConfig, '--embeddings-url', server.url, '--embeddings-key', 'nope')
    assert.equal(bad.code, 2)
    assert.match(bad.err, /HTTP 401/)
  })

  it('qaReport with a provider fills a similarity histogram counting every record', async () => {
    const paired = await openPaired(withOriginal)
    try {
      const config = defaultQaConfig()
      config.similarity.threshold = 0.999
      const r = await qaReport(paired, config, {}, 5, embeddingsProvider({ url: server.url, apiKey: server.apiKey }))
      assert.ok(r.similarity, 'histogram present')
      assert.equal(r.similarity.edges.length, r.similarity.counts.length)
      assert.equal(r.similarity.counts.reduce((a, b) => a + b, 0), r.records)
      assert.ok(r.records > 0)
      assert.ok((r.byCheck.similarity?.warning ?? 0) > 0, 'the similarity check ran with the report')
    } finally {
      await paired.close()
    }
  })
})
