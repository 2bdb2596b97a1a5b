import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { evaluateLabeled, formatEvaluation } from '../../../src/core/qa/evaluate'

const FIXTURE = fileURLToPath(new URL('../../fixtures/qa-labeled.jsonl', import.meta.url))

test('labeled set: overall precision and recall are at least 0.9 (fastText and stopword fallback)', async () => {
  for (const languageId of ['fasttext', 'stopwords'] as const) {
    const e = await evaluateLabeled(FIXTURE, { languageId })
    console.log(formatEvaluation(e))
    for (const m of e.mistakes) console.log(`  ${m.kind} ${m.check} ${m.id}`)
    assert.ok(e.pairs >= 150, `only ${e.pairs} labeled pairs`)
    assert.ok(e.overall.precision >= 0.9, `precision ${e.overall.precision}`)
    assert.ok(e.overall.recall >= 0.9, `recall ${e.overall.recall}`)
    // every rule check is exercised by at least one pair that must flag it
    for (const c of ['numbers', 'urls', 'emails', 'placeholders', 'code', 'markdown', 'brackets', 'untranslated', 'identical', 'length-ratio', 'truncation', 'repetition', 'prompt-leakage', 'entities'] as const) {
      assert.ok((e.perCheck[c]?.tp ?? 0) + (e.perCheck[c]?.fn ?? 0) > 0, `no must-flag pair for ${c}`)
    }
  }
})
