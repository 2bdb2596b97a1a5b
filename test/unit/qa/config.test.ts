import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_QA_CONFIG, parseQaConfig } from '../../../src/core/qa/index'

test('parseQaConfig: overrides merge into the defaults', () => {
  const { config, errors } = parseQaConfig({ checks: { numbers: { severity: 'error' }, 'length-ratio': { min: 0.8 }, brackets: false, entities: 'info' } }, 'phoenix-qa.json')
  assert.deepEqual(errors, [])
  assert.equal(config.numbers.severity, 'error')
  assert.equal(config['length-ratio'].min, 0.8)
  assert.equal(config['length-ratio'].max, DEFAULT_QA_CONFIG['length-ratio'].max)
  assert.equal(config.brackets.enabled, false)
  assert.equal(config.entities.severity, 'info')
  assert.equal(config.code.allowTranslatedComments, false)
})

test('parseQaConfig: bad keys are named with the file and ignored, the rest loads', () => {
  const { config, errors } = parseQaConfig(
    { checks: { numbrs: {}, code: { allowTranslatedComments: 'yes', sevrity: 'error' }, repetition: { ngram: 0 }, urls: { severity: 'fatal' } }, extra: 1 },
    'ws/phoenix-qa.json',
  )
  assert.equal(errors.length, 6)
  assert.ok(errors.every((e) => e.startsWith('ws/phoenix-qa.json: ')))
  assert.match(errors.join('\n'), /unknown check "checks\.numbrs"/)
  assert.match(errors.join('\n'), /"checks\.code\.allowTranslatedComments" must be true or false/)
  assert.match(errors.join('\n'), /unknown option "checks\.code\.sevrity"/)
  assert.match(errors.join('\n'), /"checks\.repetition\.ngram" must be an integer from 1 to 10, got 0/)
  assert.match(errors.join('\n'), /"checks\.urls\.severity" must be one of error\/warning\/info/)
  assert.match(errors.join('\n'), /unknown top-level key "extra"/)
  assert.equal(config.code.allowTranslatedComments, false)
  assert.equal(config.repetition.ngram, DEFAULT_QA_CONFIG.repetition.ngram)
})

test('parseQaConfig: raw JSON text, syntax errors and inverted bands', () => {
  assert.equal(parseQaConfig('{"checks":{"identical":{"minWords":3}}}', 'a.json').config.identical.minWords, 3)
  const broken = parseQaConfig('{"checks": ', 'b.json')
  assert.match(broken.errors[0], /^b\.json: not valid JSON/)
  assert.deepEqual(broken.config, parseQaConfig({}, 'x').config)
  const inverted = parseQaConfig({ checks: { 'length-ratio': { min: 2, max: 1.5 } } }, 'c.json')
  assert.match(inverted.errors[0], /c\.json: "checks\.length-ratio\.min" \(2\) must be below "max" \(1\.5\)/)
  assert.equal(inverted.config['length-ratio'].min, DEFAULT_QA_CONFIG['length-ratio'].min)
  assert.match(parseQaConfig([], 'd.json').errors[0], /d\.json: expected a JSON object/)
})
