/**
 * The export's QA worker thread (qa-worker.ts through tsx here; the bundled one in cli.test.ts): it gives
 * the gate's hits for each record, in order, and says it is unusable when it cannot judge as the export
 * would (the export then runs the engine itself).
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { qaHits } from '../../../src/core/export/qa-flags'
import { QaWorkerClient, QaWorkerUnusable } from '../../../src/core/export/qa-worker-client'
import { packUnits, unpackUnits } from '../../../src/core/export/qa-worker-protocol'
import { configAtLeast, defaultQaConfig } from '../../../src/core/qa/index'
import { stopwordLanguageId } from '../../../src/core/qa/langid'
import { textUnits } from '../../../src/core/records/address'
import { pairUnits } from '../../../src/core/records/pairing'
import { binarized, msg, workspace } from './fixtures'

const kind = 'ultrafeedback-binarized'
const engineConfig = configAtLeast(defaultQaConfig(), 'warning')

test('the worker judges each record as the gate does, in the order sent', { timeout: 60_000 }, async () => {
  const ws = workspace()
  const ids = Array.from({ length: 150 }, (_, i) => `q${i}`)
  const enRows = ids.map((id) => ({ ...binarized(id, 'en'), chosen: [msg('user', `Question ${id}?`), msg('assistant', 'Pay 41 euros at https://example.org today.')] }))
  const deRows = ids.map((id, i) => ({ ...binarized(id, 'de'), chosen: [msg('user', `Frage ${id}?`), msg('assistant', i % 3 ? 'Zahlen Sie heute 41 Euro unter https://example.org.' : 'Zahlen Sie heute 14 Euro.')] }))
  const en = ws.jsonl('en.jsonl', enRows)
  const client = QaWorkerClient.start({ englishPath: en, kind, engineConfig, limit: 'major', languageId: false }, undefined)
  assert.ok(client, 'a worker starts here')
  try {
    // out of file order once (row 5 after row 9): the worker reads it by index
    const order = [...Array(150).keys()].filter((i) => i !== 5)
    order.splice(9, 0, 5)
    const got = await Promise.all(order.map((i) => client.hits(i, textUnits(deRows[i], kind))))
    order.forEach((i, k) => assert.deepEqual(got[k], qaHits(pairUnits(enRows[i], deRows[i], kind).units, engineConfig, { languageId: stopwordLanguageId }, 'major'), `record ${i}`))
    assert.equal(got.filter((h) => h!.length > 0).length, 50, 'every third record loses its number and URL')
  } finally {
    await client.close()
    ws.cleanup()
  }
})

test('a worker that cannot open the English shard or loads another language identifier is unusable', { timeout: 60_000 }, async () => {
  const ws = workspace()
  try {
    const en = ws.jsonl('en.jsonl', [binarized('a', 'en')])
    const cases = [
      QaWorkerClient.start({ englishPath: join(ws.dir, 'missing.jsonl'), kind, engineConfig, limit: 'major', languageId: false }, undefined),
      QaWorkerClient.start({ englishPath: en, kind, engineConfig, limit: 'major', languageId: false }, 'fasttext-lid.176'),
    ]
    for (const client of cases) {
      assert.ok(client)
      try {
        await assert.rejects(client.hits(0, textUnits(binarized('a', 'de'), kind)), QaWorkerUnusable)
      } finally {
        await client.close()
      }
    }
  } finally {
    ws.cleanup()
  }
})

test('a record\'s texts cross to the worker once each: repeats go as the position of their first unit', () => {
  const units = [
    { address: 'prompt', text: 'Wie weit ist der nächste Stern entfernt?' },
    { address: 'chosen/0/content', text: 'Wie weit ist der nächste Stern entfernt?', role: 'user' },
    { address: 'chosen/1/content', text: 'Etwa 4,2 Lichtjahre.', role: 'assistant' },
    { address: 'rejected/0/content', text: 'Wie weit ist der nächste Stern entfernt?', role: 'user' },
    { address: 'rejected/1/content', text: '', role: 'assistant' },
    { address: 'messages/1/content', text: 'Etwa 4,2 Lichtjahre.', role: 'assistant' },
    { address: 'messages/2/content', text: '', role: 'assistant' },
  ]
  const packed = packUnits(units)
  assert.deepEqual(packed, ['prompt', units[0].text, 'chosen/0/content', 0, 'chosen/1/content', units[2].text, 'rejected/0/content', 0, 'rejected/1/content', '', 'messages/1/content', 2, 'messages/2/content', 4])
  assert.deepEqual(unpackUnits(packed), units.map(({ address, text }) => ({ address, text })))
  assert.deepEqual(unpackUnits(packUnits([])), [])
})
