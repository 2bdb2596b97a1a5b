/**
 * configAtLeast: the engine with the checks below a severity switched off must give exactly the full
 * engine's flags of that severity and above, so the export's severity filter excludes the same records.
 * Checked on the labeled set (every check fires there, explanations included), on generated conversations,
 * and under configs that raise explained checks above the ones explaining them.
 */
import assert from 'node:assert/strict'
import test from 'node:test'
import { fileURLToPath } from 'node:url'
import { configAtLeast, defaultQaConfig, qaRecord, runQa, withOverrides, type Flag, type QaConfig, type QaUnit } from '../../../src/core/qa/index'
import { enabledCheckNames } from '../../../src/core/qa/engine'
import { readLabeled } from '../../../src/core/qa/evaluate'
import { textUnits } from '../../../src/core/records/address'
import { generate } from '../../../src/core/synth/index'

const LABELED = readLabeled(fileURLToPath(new URL('../../fixtures/qa-labeled.jsonl', import.meta.url)))
const RANK = { info: 1, warning: 2, error: 3 } as const
const SEVERITIES = ['info', 'warning', 'error'] as const

const atLeast = (flags: Flag[], min: keyof typeof RANK) => flags.filter((f) => RANK[f.severity] >= RANK[min])

function conversations(n: number): QaUnit[][] {
  const en = generate({ kind: 'ultrachat', rows: n, seed: 3, lang: 'en' })
  const de = generate({ kind: 'ultrachat', rows: n, seed: 3, lang: 'de' })
  const out: QaUnit[][] = []
  for (let i = 0; i < n; i++) {
    const a = en.next().value!
    const tu = new Map(textUnits(de.next().value!, 'ultrachat').map((u) => [u.address, u.text]))
    const units = textUnits(a, 'ultrachat').map((u) => ({ address: u.address, source: u.text, target: tu.get(u.address) ?? '', role: u.role }))
    // damage some so that flags of every severity occur: a cut reply, a doubled one, a number changed
    const last = units[units.length - 1]
    if (i % 3 === 0) last.target = last.target.slice(0, Math.floor(last.target.length / 3))
    if (i % 5 === 0) last.target = `${last.target} ${last.target} ${last.target} ${last.target}`
    if (i % 7 === 0) last.target = last.target.replace(/\d/, (d) => String((Number(d) + 1) % 10))
    out.push(units)
  }
  return out
}

function assertSame(full: QaConfig, label: string, pairs: { units: QaUnit[]; id: string }[]): number {
  let compared = 0
  for (const min of SEVERITIES) {
    const reduced = configAtLeast(full, min)
    for (const { units, id } of pairs) {
      const want = atLeast(qaRecord(units, full), min)
      assert.deepEqual(atLeast(qaRecord(units, reduced), min), want, `${label}, ${id}, severity ≥ ${min}`)
      compared += want.length
    }
  }
  return compared
}

test('configAtLeast: the labeled set gives the full engine\'s flags at or above each severity', () => {
  let flags = 0
  for (const p of LABELED) {
    const config = p.config ? withOverrides(p.config as Parameters<typeof withOverrides>[0]) : defaultQaConfig()
    flags += assertSame(config, 'labeled', [{ id: p.id, units: [{ address: 'messages/1/content', source: p.source, target: p.target }] }])
  }
  assert.ok(flags > 100, `the labeled set raised only ${flags} flags to compare`)
})

test('configAtLeast: generated conversations, default config and explained checks raised to error', () => {
  const pairs = conversations(300).map((units, i) => ({ units, id: `conversation ${i}` }))
  assert.ok(assertSame(defaultQaConfig(), 'defaults', pairs) > 100)
  // length-ratio, brackets and markdown are explained away by truncation and repetition: with those two at
  // info and the explained ones at error, the reduced engine must still run the explaining checks
  const raised = withOverrides({ 'length-ratio': { severity: 'error' }, brackets: { severity: 'error' }, markdown: { severity: 'error' }, truncation: { severity: 'info' }, repetition: { severity: 'info' }, identical: { severity: 'info' } })
  assert.ok(assertSame(raised, 'explained checks raised', pairs) > 100)
})

test('configAtLeast: the warning checks are off at error, the explaining ones stay on, the input is untouched', () => {
  const full = defaultQaConfig()
  const reduced = configAtLeast(full, 'error')
  const on = enabledCheckNames(reduced)
  for (const off of ['numbers', 'entities', 'markdown', 'brackets', 'length-ratio', 'consistency'] as const) assert.ok(!on.includes(off), `${off} still runs`)
  for (const kept of ['urls', 'emails', 'placeholders', 'code', 'untranslated', 'identical', 'truncation', 'repetition', 'prompt-leakage'] as const) assert.ok(on.includes(kept), `${kept} does not run`)
  assert.deepEqual(full, defaultQaConfig(), 'the given config is not changed')
  assert.equal(enabledCheckNames(full).length, 15)
  // a truncated text: the explaining check still fires under the reduced config
  const cut = runQa({ address: 'a', source: 'First line of the answer.\nSecond line of it.\nThird and last line here.', target: 'Erste Zeile der Antwort.' }, configAtLeast(withOverrides({ truncation: { severity: 'info' } }), 'error'))
  assert.deepEqual(cut.map((f) => f.check), ['truncation'])
})
