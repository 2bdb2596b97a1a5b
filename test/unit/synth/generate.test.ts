import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { textUnits } from '../../../src/core/records/address'
import { detectKind, promptIdOf, rowPromptId, validateRow } from '../../../src/core/records/schema'
import type { Row } from '../../../src/core/records/types'
import * as common from '../../../src/core/synth/bank-common'
import { TOPICS, type Pair } from '../../../src/core/synth/bank-topics'
import { slotNames } from '../../../src/core/synth/slots'
import { generate, SYNTH_KINDS, type SynthKind } from '../../../src/core/synth'
import { FENCE } from './helpers'

const rowsOf = (kind: SynthKind, rows: number, seed: number, lang: 'en' | 'de' = 'en') => [...generate({ kind, rows, seed, lang })]

describe('synthetic generator', () => {
  it('is deterministic per seed and differs between seeds', () => {
    for (const kind of SYNTH_KINDS) {
      const a = JSON.stringify(rowsOf(kind, 40, 42))
      assert.equal(JSON.stringify(rowsOf(kind, 40, 42)), a, `${kind}: same seed, same rows`)
      assert.notEqual(JSON.stringify(rowsOf(kind, 40, 43)), a, `${kind}: another seed, other rows`)
    }
    // A longer run starts with the rows of a shorter one: rows do not depend on the total.
    assert.deepEqual(rowsOf('ultrachat', 60, 5).slice(0, 20), rowsOf('ultrachat', 20, 5))
  })

  it('writes rows that detect and validate as their kind, in both languages', () => {
    for (const kind of SYNTH_KINDS)
      for (const lang of ['en', 'de'] as const)
        for (const [i, row] of rowsOf(kind, 80, 9, lang).entries()) {
          assert.equal(detectKind(row), kind, `${kind}/${lang} row ${i}`)
          assert.deepEqual(validateRow(row, kind), [], `${kind}/${lang} row ${i}`)
        }
  })

  it('keeps the HF shapes: alternating turns, chosen above rejected, four rated completions', () => {
    for (const row of rowsOf('ultrachat', 200, 3)) {
      const msgs = row.messages as { role: string; content: string }[]
      assert.ok(msgs.length >= 2 && msgs.length <= 8 && msgs.length % 2 === 0)
      msgs.forEach((m, i) => assert.equal(m.role, i % 2 ? 'assistant' : 'user'))
      assert.equal(msgs[0].content, row.prompt)
      assert.equal(row.prompt_id, promptIdOf(row.prompt as string))
    }
    for (const row of rowsOf('ultrafeedback-binarized', 200, 3)) {
      assert.ok((row.score_chosen as number) > (row.score_rejected as number))
      assert.equal((row.score_chosen as number) * 2, Math.round((row.score_chosen as number) * 2), 'half steps')
      assert.deepEqual(row.messages, row.chosen)
      assert.deepEqual((row.rejected as Row[])[0], (row.chosen as Row[])[0])
    }
    for (const row of rowsOf('ultrafeedback-raw', 100, 3)) {
      const models = row.models as string[]
      const completions = row.completions as Row[]
      assert.equal(models.length, 4)
      assert.equal(new Set(models).size, 4)
      assert.deepEqual(completions.map((c) => c.model), models)
      for (const c of completions) {
        const ann = c.annotations as Record<string, { Rating: string; Rationale: string }[]>
        assert.deepEqual(Object.keys(ann).sort(), ['helpfulness', 'honesty', 'instruction_following', 'truthfulness'])
        const ratings = Object.values(ann).map((a) => Number(a[0].Rating))
        assert.equal(c['fine-grained_score'], ratings.reduce((x, y) => x + y) / 4)
        assert.equal(typeof c.overall_score, 'number')
      }
      assert.deepEqual(row.correct_answers, [])
      assert.equal(row.prompt_id, undefined, 'English raw rows have no id column, as on the Hub')
    }
  })

  it('pairs German rows with English ones: same prompt_ids, addresses, roles and code', () => {
    for (const kind of SYNTH_KINDS) {
      const en = rowsOf(kind, 120, 77, 'en')
      const de = rowsOf(kind, 120, 77, 'de')
      let differing = 0
      let units = 0
      en.forEach((e, i) => {
        const d = de[i]
        assert.equal(rowPromptId(d, kind), rowPromptId(e, kind), `${kind} row ${i}: prompt_id`)
        const ue = textUnits(e, kind)
        const ud = textUnits(d, kind)
        assert.deepEqual(ud.map((u) => [u.address, u.role]), ue.map((u) => [u.address, u.role]), `${kind} row ${i}: addresses`)
        ue.forEach((u, j) => {
          units++
          if (u.text !== ud[j].text) differing++
          assert.deepEqual(ud[j].text.match(FENCE) ?? [], u.text.match(FENCE) ?? [], `${kind} row ${i} ${u.address}: code blocks`)
        })
      })
      // Nearly every text is translated; a few (a bare code question, "The answer is 42.") may coincide.
      assert.ok(differing / units > 0.95, `${kind}: ${differing}/${units} texts differ`)
    }
  })

  it('keeps prompts unique within a stream', () => {
    const ids = rowsOf('ultrachat', 3000, 1).map((r) => r.prompt_id)
    assert.equal(new Set(ids).size, ids.length)
  })

  it('mixes in code, lists, numbers, URLs, multi-turn and long answers', () => {
    const texts = rowsOf('ultrachat', 400, 11).flatMap((r) => (r.messages as { content: string }[]).map((m) => m.content))
    const has = (re: RegExp) => texts.filter((t) => re.test(t)).length
    assert.ok(has(/```python\n/) > 0, 'python code blocks')
    assert.ok(has(/^- /m) > 0, 'bulleted lists')
    assert.ok(has(/^1\. /m) > 0, 'numbered lists')
    assert.ok(has(/`[^`\n]+`/) > 0, 'inline code')
    assert.ok(has(/https:\/\//) > 0, 'URLs')
    assert.ok(has(/\d+%/) > 0, 'percentages')
    assert.ok(texts.some((t) => t.split('\n\n').length >= 8), 'long answers')
    assert.ok(rowsOf('ultrachat', 400, 11).some((r) => (r.messages as unknown[]).length >= 6), 'three or more turns')
    const de = rowsOf('ultrachat', 200, 11, 'de').flatMap((r) => (r.messages as { content: string }[]).map((m) => m.content))
    assert.ok(de.some((t) => /\d+ %/.test(t)), 'German percentages with a space')
  })

  it('has the same slots on both sides of every template in the bank', () => {
    const pairs: Pair[] = [
      ...TOPICS.flatMap((t) => [t.name, ...t.q, ...t.s, ...t.items]),
      ...Object.values(common).filter((v): v is Pair[] => Array.isArray(v) && Array.isArray(v[0])).flat(),
    ]
    assert.ok(pairs.length > 300)
    for (const [en, de] of pairs) assert.deepEqual(slotNames(de), slotNames(en), `${en} / ${de}`)
    assert.ok(TOPICS.length >= 20)
  })

  it('rejects bad options', () => {
    assert.throws(() => generate({ kind: 'nope' as SynthKind, rows: 1 }).next(), /unknown kind/)
    assert.throws(() => generate({ kind: 'ultrachat', rows: -1 }).next(), RangeError)
    assert.throws(() => generate({ kind: 'ultrachat', rows: 1, lang: 'fr' as 'en' }).next(), /unknown language/)
  })
})
