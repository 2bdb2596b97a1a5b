import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { JsonlShard } from '../../../src/core/records/jsonl'
import { hasOriginalFields, pairShards, pairUnits, pairUnitsFromOriginal } from '../../../src/core/records/pairing'
import { tempDir, uc } from './tmp'

const t = tempDir()
after(t.cleanup)

describe('pairing (a): two shards by prompt_id', () => {
  it('matches rows, reports rows missing on either side, errors and duplicates', async () => {
    const en = [uc('one', 'a', 'One?', 'Yes.'), uc('two', 'b', 'Two?', 'No.'), uc('three', 'c', 'Three?'), '{oops', uc('dup', 'a', 'again')].join('\n')
    const de = [uc('zwei', 'b', 'Zwei?', 'Nein.'), uc('eins', 'a', 'Eins?', 'Ja.'), uc('vier', 'd', 'Vier?')].join('\n')
    const s = await JsonlShard.open(t.file('en.jsonl', en))
    const g = await JsonlShard.open(t.file('de.jsonl', de))
    const p = await pairShards(s, g)
    assert.equal(p.kind, 'ultrachat')
    assert.deepEqual(p.pairs, [
      { promptId: 'a', sourceIndex: 0, targetIndex: 1 },
      { promptId: 'b', sourceIndex: 1, targetIndex: 0 },
    ])
    assert.deepEqual(p.missingInTarget, [{ promptId: 'c', sourceIndex: 2 }])
    assert.deepEqual(p.missingInSource, [{ promptId: 'd', targetIndex: 2 }])
    assert.equal(p.sourceErrors[0].line, 4)
    assert.deepEqual(p.duplicates, [{ side: 'source', promptId: 'a', index: 4 }])
    await s.close()
    await g.close()
  })

  it('refuses to pair shards of different schemas', async () => {
    const s = await JsonlShard.open(t.file('uc.jsonl', uc('x', 'a', 'y')))
    const g = await JsonlShard.open(t.file('m.jsonl', JSON.stringify({ messages: [{ role: 'user', content: 'y' }] })))
    await assert.rejects(pairShards(s, g), /schemas differ/)
  })

  it('pairs texts address by address and reports a dropped turn', () => {
    const src = JSON.parse(uc('Hi', 'a', 'Hi', 'Hello', 'Bye'))
    const tgt = JSON.parse(uc('Hallo', 'a', 'Hallo', 'Guten Tag'))
    const r = pairUnits(src, tgt, 'ultrachat')
    assert.deepEqual(r.units.map((u) => [u.address, u.source, u.target]), [
      ['prompt', 'Hi', 'Hallo'],
      ['messages/0/content', 'Hi', 'Hallo'],
      ['messages/1/content', 'Hello', 'Guten Tag'],
    ])
    assert.deepEqual(r.missing, [{ address: 'messages/2/content', side: 'target' }])
  })
})

describe('pairing (b): original fields next to content', () => {
  it('pairs each message with its original and reports those without one', () => {
    const row = { prompt: 'Hallo', prompt_id: 'a', messages: [{ role: 'user', content: 'Hallo', original: 'Hello' }, { role: 'assistant', content: 'Ja' }] }
    assert.equal(hasOriginalFields(row, 'ultrachat'), true)
    const r = pairUnitsFromOriginal(row, 'ultrachat')
    assert.deepEqual(r.units, [{ address: 'messages/0/content', source: 'Hello', target: 'Hallo', role: 'user' }])
    assert.deepEqual(r.missing, [
      { address: 'prompt', side: 'source' },
      { address: 'messages/1/content', side: 'source' },
    ])
  })
})
