/**
 * Similarity flags on the review editor's records: the session asks the embedded inference server (the
 * tiny embedding model this repo builds) for the record on screen, keeps the flags while the record's texts
 * stay the same, and asks again after a correction.
 */
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SupervisedServer } from '../../../native-runtime/inference/supervisor'
import { tinyModelDir } from '../../../native-runtime/inference/tools/tiny-model-dir'
import { withOverrides } from '../../../src/core/qa/config'
import { embeddingsProvider } from '../../../src/core/qa/embeddings'
import { reviewRuleChecks, reviewSimilarity } from '../../../src/core/qa/review-hooks'
import type { SimilarityProvider } from '../../../src/core/qa/types'
import { ReviewSession } from '../../../src/core/review/session'

const samples = join(import.meta.dirname, '../../../samples')

describe('review session: similarity flags from the embedded server (tiny model)', { timeout: 120_000 }, () => {
  const tmp = { dir: '' }
  let server: SupervisedServer
  let provider: SimilarityProvider
  let requests = 0

  before(async () => {
    tmp.dir = mkdtempSync(join(tmpdir(), 'phoenix-similarity-'))
    cpSync(join(samples, 'ultrachat'), join(tmp.dir, 'ultrachat'), { recursive: true })
    server = await SupervisedServer.start({ modelDir: await tinyModelDir() })
    const real = embeddingsProvider({ url: server.url, apiKey: server.apiKey })
    provider = { embed: (texts) => (requests++, real.embed(texts)) }
  })
  after(async () => {
    await server?.stop()
    rmSync(tmp.dir, { recursive: true, force: true })
  })

  // a threshold no random tiny model reaches: every pair flags
  const strict = withOverrides({ similarity: { threshold: 0.9999 } })
  const open = (config = strict, p: () => Promise<SimilarityProvider | undefined> = async () => provider) =>
    ReviewSession.open({ workspace: tmp.dir, file: join(tmp.dir, 'ultrachat/de.jsonl'), reviewer: 'ada', qa: reviewRuleChecks(config, {}), similarity: reviewSimilarity(config, p) })

  it('adds flags to the record once asked, keeps them for the same texts, asks again after an edit', async () => {
    const s = await open()
    const similar = async () => (await s.record(0)).qaFlags.filter((f) => f.check === 'similarity')
    assert.deepEqual(await similar(), [], 'nothing before the request')
    requests = 0
    assert.equal(await s.checkSimilarity(0), true)
    assert.equal(requests, 1)
    const flags = await similar()
    const units = (await s.record(0)).units
    assert.equal(flags.length, units.length)
    for (const f of flags) {
      assert.ok(units.some((u) => u.address === f.address))
      assert.equal(f.severity, 'warning')
      assert.equal(f.status, 'open')
      assert.match(f.message, /similarity 0\.\d\d, expected at least 0\.9999/)
    }
    assert.equal(await s.checkSimilarity(0), false, 'same texts: no second request')
    assert.equal(requests, 1)

    // a dismissed similarity flag shows as dismissed, like a rule flag
    s.decide(0, { type: 'qa-dismiss', address: flags[0].address, check: 'similarity', flagKey: flags[0].key })
    assert.equal((await similar()).find((f) => f.key === flags[0].key)?.status, 'dismissed')

    // a correction changes the texts: the old flags go, the next request judges the corrected text
    s.decide(0, { type: 'edit', address: units[0].address, text: 'Eine korrigierte Übersetzung.', previous: units[0].target })
    assert.deepEqual(await similar(), [])
    assert.equal(await s.checkSimilarity(0), true)
    assert.equal(requests, 2)
    assert.equal((await similar()).length, units.length)
    await s.close()
  })

  it('takes the texts from the view just shown, and keys them as a fresh read does', async () => {
    const s = await open()
    requests = 0
    const shown = await s.record(2)
    assert.equal(await s.checkSimilarity(2, shown), true)
    assert.equal(requests, 1)
    assert.equal(await s.checkSimilarity(2), false, 'the rows read again give the same texts: no request')
    assert.equal(requests, 1)
    assert.ok((await s.record(2)).qaFlags.some((f) => f.check === 'similarity'))
    await s.close()
  })

  it('asks nothing when the check is off or no model is configured; a failing server leaves the rule flags', async () => {
    requests = 0
    const off = await open(withOverrides({ similarity: { enabled: false } }))
    assert.equal(await off.checkSimilarity(1), false)
    await off.close()
    const none = await open(strict, async () => undefined)
    assert.equal(await none.checkSimilarity(1), false)
    await none.close()
    assert.equal(requests, 0)

    const broken = await open(strict, async () => embeddingsProvider({ url: 'http://127.0.0.1:9' }))
    await assert.rejects(broken.checkSimilarity(1), /embeddings request to http:\/\/127\.0\.0\.1:9\/v1\/embeddings failed/)
    const r = await broken.record(1)
    assert.ok(r.qaFlags.every((f) => f.check !== 'similarity'))
    await broken.close()
  })
})
