/**
 * --min-similarity on records a reviewer corrected: their stored translation's similarity says nothing
 * about the texts exported, so the export embeds the corrected texts again (embedded inference server with
 * the tiny model this repo builds). Without a provider it keeps the stored value and counts the record.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SupervisedServer } from '../../../native-runtime/inference/supervisor'
import { tinyModelDir } from '../../../native-runtime/inference/tools/tiny-model-dir'
import { exportDataset } from '../../../src/core/export/export'
import { embeddingsProvider } from '../../../src/core/qa/embeddings'
import { shardSimilarities } from '../../../src/core/qa/record-similarity'
import type { SimilarityProvider } from '../../../src/core/qa/types'
import { textUnits } from '../../../src/core/records/address'
import { baseOptions, binarized, workspace, type Workspace } from './fixtures'

describe('export: similarity of corrected records (tiny model)', { timeout: 120_000 }, () => {
  let server: SupervisedServer
  let provider: SimilarityProvider
  let texts = 0
  let ws: Workspace
  let en: string
  let de: string

  before(async () => {
    server = await SupervisedServer.start({ modelDir: await tinyModelDir() })
    const real = embeddingsProvider({ url: server.url, apiKey: server.apiKey })
    provider = { embed: (t) => ((texts += t.length), real.embed(t)) }
    ws = workspace()
    const ids = ['p0', 'p1', 'p2']
    en = ws.jsonl('uf.en.jsonl', ids.map((id) => binarized(id, 'en')))
    de = ws.jsonl('uf.de.jsonl', ids.map((id) => binarized(id, 'de')))
    // p1 corrected to its English texts, every one of them: the same string embeds to the same vector
    const english = textUnits(binarized('p1', 'en'), 'ultrafeedback-binarized')
    await ws.review(de, 'ann', english.map((u, i) => ['p1', { type: 'edit', address: u.address, text: u.text, previous: '' }, i] as const))
  })
  after(async () => {
    await server?.stop()
    ws?.cleanup()
  })

  // no random tiny model maps a German text onto its English source this closely; identical texts reach it
  const threshold = 0.999
  const run = async (name: string, withProvider: boolean, source?: string) => {
    const sims = await shardSimilarities(de, source ?? en, provider)
    return exportDataset(
      baseOptions(ws, {
        source: source ?? en,
        target: de,
        kind: 'dpo',
        out: join(ws.dir, name),
        format: 'jsonl',
        testSize: 0,
        // the corrected record is identical to its source, which the QA engine rightly flags
        maxSeverity: null,
        minSimilarity: threshold,
        similarity: (id) => sims.get(id),
        ...(withProvider ? { similarityProvider: provider } : {}),
      }),
    )
  }

  it('embeds the corrected texts again and judges the record on them', async () => {
    const stored = await shardSimilarities(de, en, provider)
    assert.ok(stored.get('p1')! < threshold, `the stored translation of p1 is already at ${stored.get('p1')}`)
    texts = 0
    const rep = await run('with', true)
    assert.equal(rep.excluded['min-similarity'], 2, 'p0 and p2 stay below the threshold')
    assert.equal(rep.rows.written, 1)
    assert.equal(rep.filters.minSimilarity.correctedRemeasured, 1)
    assert.equal(rep.filters.minSimilarity.correctedJudgedOnStoredTranslation, 0)
    // shardSimilarities: every text of the 3 records on both sides; then the corrected record's once more
    const units = textUnits(binarized('p1', 'en'), 'ultrafeedback-binarized').length
    assert.equal(texts, 3 * units * 2 + units * 2)
  })

  it('without a provider keeps the stored value and says so', async () => {
    const rep = await run('without', false)
    assert.equal(rep.excluded['min-similarity'], 3)
    assert.equal(rep.filters.minSimilarity.correctedRemeasured, 0)
    assert.equal(rep.filters.minSimilarity.correctedJudgedOnStoredTranslation, 1)
  })
})
