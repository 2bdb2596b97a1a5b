import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { JsonlShard } from '../../../src/core/records/jsonl'
import { hasOriginalFields, pairShards, pairTextUnits, pairUnits, pairUnitsFromOriginal } from '../../../src/core/records/pairing'
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

  it('pairs by address whatever the order, and reports texts on either side only', () => {
    const u = (address: string, text: string, role?: string) => (role ? { address, text, role } : { address, text })
    const src = [u('prompt', 'Hi'), u('messages/0/content', 'Hi', 'user'), u('messages/1/content', 'Hello', 'assistant')]
    // the same addresses in the same order: paired position by position, roles from the source
    const same = pairTextUnits(src, [u('prompt', 'Hallo'), u('messages/0/content', 'Hallo', 'user'), u('messages/1/content', 'Guten Tag', 'assistant')])
    assert.deepEqual(same, {
      units: [
        { address: 'prompt', source: 'Hi', target: 'Hallo' },
        { address: 'messages/0/content', source: 'Hi', target: 'Hallo', role: 'user' },
        { address: 'messages/1/content', source: 'Hello', target: 'Guten Tag', role: 'assistant' },
      ],
      missing: [],
    })
    // another order, one text missing on each side: paired by address, in the source's order
    const shuffled = pairTextUnits(src, [u('messages/1/content', 'Guten Tag'), u('messages/2/content', 'Extra'), u('prompt', 'Hallo')])
    assert.deepEqual(shuffled.units.map((x) => [x.address, x.target]), [['prompt', 'Hallo'], ['messages/1/content', 'Guten Tag']])
    assert.deepEqual(shuffled.missing, [{ address: 'messages/0/content', side: 'target' }, { address: 'messages/2/content', side: 'source' }])
    // the same addresses, one more at the end of the translation
    const longer = pairTextUnits(src, [...same.units.map((x) => u(x.address, x.target)), u('messages/2/content', 'Tschüss')])
    assert.equal(longer.units.length, 3)
    assert.deepEqual(longer.missing, [{ address: 'messages/2/content', side: 'source' }])
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
