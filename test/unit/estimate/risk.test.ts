import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { stopwordLanguageId } from '../../../src/core/qa/langid'
import { openPaired } from '../../../src/core/records/paired'
import { explainRisk, languageDoubt, medianLengthRatio, rankByRisk, riskQueue, riskRows, riskWeights, type RiskRow } from '../../../src/core/estimate/risk'

const samples = join(import.meta.dirname, '../../../samples')

describe('risk score and its explanation', () => {
  it('adds points per signal and names each one, largest first', () => {
    const e = explainRisk({
      index: 0,
      qa: [
        { check: 'numbers', severity: 'error' },
        { check: 'numbers', severity: 'error' },
        { check: 'markdown', severity: 'warning' },
      ],
      lengthRatio: 0.41,
      sourceChars: 500,
    })
    // |log2(0.41 / 1.15)| − log2(1.4) = 1.0026 doublings beyond the band, × 3 points.
    assert.deepEqual(
      e.contributions.map((c) => c.text),
      ['2 errors from numbers (+6)', 'length ratio 0.41 (+3)', '1 warning from markdown (+1)'],
    )
    assert.ok(Math.abs(e.score - (6 + 3.0078 + 1)) < 1e-3, String(e.score))
    assert.equal(e.text, '2 errors from numbers (+6), length ratio 0.41 (+3), 1 warning from markdown (+1)')
  })

  it('scores low similarity, language doubt and missing texts, and nothing for a clean row', () => {
    const e = explainRisk({ index: 3, similarity: 0.55, languageDoubt: 0.8, missingTexts: 1, lengthRatio: 1.2, sourceChars: 300 })
    const by = Object.fromEntries(e.contributions.map((c) => [c.signal, c.points]))
    assert.ok(Math.abs(by.similarity - 4.5) < 1e-9) // (0.85 − 0.55) · 10 · 1.5
    assert.ok(Math.abs(by.language - 4 * (0.5 / 0.7)) < 1e-9)
    assert.equal(by['missing-text'], 3)
    assert.equal(by['length-ratio'], undefined) // 1.2 is inside 1.15 ×/÷ 1.4
    const clean = explainRisk({ index: 4, qa: [], similarity: 0.93, languageDoubt: 0.1, lengthRatio: 1.1, sourceChars: 300 })
    assert.equal(clean.score, 0)
    assert.equal(clean.text, 'no risk signal')
  })

  it('caps flags per check, honours check multipliers and ignores ratios of short texts', () => {
    const many = { index: 0, qa: Array.from({ length: 8 }, () => ({ check: 'numbers', severity: 'error' as const })) }
    assert.equal(explainRisk(many).score, 15)
    assert.equal(explainRisk(many, riskWeights({ checks: { numbers: 0 } })).score, 0)
    assert.equal(explainRisk(many, riskWeights({ maxFlagsPerCheck: 2, severity: { error: 5 } })).score, 10)
    assert.equal(explainRisk({ index: 0, lengthRatio: 0.2, sourceChars: 12 }).score, 0)
    assert.equal(riskWeights({ lengthRatio: { expected: 1.3 } }).lengthRatio.tolerance, 1.4)
  })

  it('orders rows by score, keeping row order on ties', () => {
    const rows: RiskRow[] = [
      { index: 0 },
      { index: 1, qa: [{ check: 'code', severity: 'error' }] },
      { index: 2, qa: [{ check: 'urls', severity: 'error' }] },
      { index: 3, qa: [{ check: 'brackets', severity: 'info' }] },
      { index: 4, qa: [{ check: 'numbers', severity: 'error' }, { check: 'numbers', severity: 'warning' }] },
      { index: 5 },
    ]
    assert.deepEqual(riskQueue(rows), [4, 1, 2, 3, 0, 5])
    assert.deepEqual(riskQueue([...rows].reverse()), [4, 1, 2, 3, 0, 5])
    assert.deepEqual(rankByRisk(rows)[0].text, '1 error from numbers (+3), 1 warning from numbers (+1)')
  })

  it('measures language doubt with a language identifier, skipping short texts', () => {
    const en = languageDoubt(stopwordLanguageId, 'This is a sentence that is clearly written in the English language and not in German.', 'de')
    const de = languageDoubt(stopwordLanguageId, 'Das ist ein Satz, der ganz eindeutig in deutscher Sprache geschrieben ist und nicht auf Englisch.', 'de')
    assert.ok(en !== undefined && de !== undefined && en > 0.5 && de < en, `en ${en} de ${de}`)
    assert.equal(languageDoubt(stopwordLanguageId, 'Kurz.', 'de'), undefined)
  })
})

describe('risk queue over a real shard pair', () => {
  it('puts every documented drift of the UltraChat sample among the first rows', async () => {
    const drift = new Set(
      (JSON.parse(readFileSync(join(samples, 'drift.json'), 'utf8')) as { file: string; prompt_id: string }[]).filter((d) => d.file === 'ultrachat/de.jsonl').map((d) => d.prompt_id),
    )
    const paired = await openPaired(join(samples, 'ultrachat/de.jsonl'), join(samples, 'ultrachat/en.jsonl'))
    let rows: RiskRow[]
    try {
      rows = await riskRows(paired)
    } finally {
      await paired.close()
    }
    assert.equal(rows.length, 32)
    const byIndex = new Map(rows.map((r) => [r.index, r]))
    const queue = riskQueue(rows)
    const top = queue.slice(0, drift.size + 1).map((i) => byIndex.get(i)!.promptId)
    for (const id of drift) assert.ok(top.includes(id), `drifted record ${id.slice(0, 8)} is not in the first ${drift.size + 1}`)
    const ratio = medianLengthRatio(rows)!
    assert.ok(ratio > 0.9 && ratio < 1.5, `median ratio ${ratio}`)
  })
})
