import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { defaultQaConfig } from '../../../src/core/qa/config'
import { qaReport } from '../../../src/core/qa/report'
import { openPaired } from '../../../src/core/qa/scan'

const samples = join(import.meta.dirname, '../../../samples')

describe('QA report', () => {
  it('counts flags per check and severity, bins length ratios and ranks the worst records', async () => {
    const paired = await openPaired(join(samples, 'ultrachat/de.jsonl'), join(samples, 'ultrachat/en.jsonl'))
    const r = await qaReport(paired, defaultQaConfig(), {}, 5)
    await paired.close()
    assert.equal(r.records, 32)
    assert.equal(r.lengthRatio.counts.reduce((a, b) => a + b, 0), 32)
    assert.equal(r.lengthRatio.edges.length, r.lengthRatio.counts.length)
    const totalFlags = Object.values(r.byCheck).reduce((n, c) => n + c.error + c.warning + c.info, 0)
    assert.ok(r.flaggedRecords > 0 && totalFlags >= r.flaggedRecords)
    assert.ok(r.byCheck.code.error >= 1, 'the altered code block is an error')
    assert.equal(r.worst.length, 5)
    for (let i = 1; i < r.worst.length; i++) assert.ok(r.worst[i - 1].score >= r.worst[i].score)
    assert.ok(r.worst.every((w) => typeof w.line === 'number' && w.top.length > 0))
    assert.equal(r.similarity, null)
  })
})
