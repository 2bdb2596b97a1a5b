import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { loadFastTextLanguageId, stopwordLanguageId, type LanguageIdentifier } from '../../../src/core/qa/index'
import { flagsOf } from './helpers'

let fasttext: LanguageIdentifier
before(async () => {
  fasttext = await loadFastTextLanguageId()
})

test('fastText lid.176 loads from the npm package without network and tells English from German', () => {
  assert.equal(fasttext.name, 'fasttext-lid.176')
  const en = fasttext.identify('Where can I find a good place to eat around here?')
  const de = fasttext.identify('Wo finde ich hier in der Nähe ein gutes Restaurant?')
  assert.equal(en.lang, 'en')
  assert.ok(en.probability > 0.8)
  assert.equal(de.lang, 'de')
  assert.equal(fasttext.identify('first line\nsecond line of the same English text').lang, 'en')
})

for (const [name, get] of [['fastText', () => fasttext], ['stopword fallback', () => stopwordLanguageId]] as const) {
  test(`untranslated (${name}): whole-English and partly English targets flag`, () => {
    const rt = { languageId: get() }
    const whole = flagsOf('untranslated', 'Why do leaves change color in the fall?', 'Why do the leaves change their color in autumn?', {}, rt)
    assert.equal(whole.length, 1)
    assert.match(whole[0].message, /still in English/)
    const part = flagsOf(
      'untranslated',
      'Owls hunt at night. They can turn their heads very far. Their hearing is excellent.',
      'Eulen jagen nachts. Sie können ihren Kopf sehr weit drehen. Their hearing is excellent and they can hear a mouse.',
      {},
      rt,
    )
    assert.equal(part.length, 1)
    assert.match(part[0].message, /The sentence "Their hearing is excellent.*" was left in English/)
    assert.equal(part[0].span!.start, 'Eulen jagen nachts. Sie können ihren Kopf sehr weit drehen. Their'.indexOf('Their'))
  })

  test(`untranslated (${name}): German with English names, quotes and code does not flag`, () => {
    const rt = { languageId: get() }
    assert.deepEqual(flagsOf('untranslated', 'The band played "Hey Jude" at the end.', 'Die Band spielte am Ende „Hey Jude“.', {}, rt), [])
    const err = 'Python says "TypeError: can only concatenate str to str" here.'
    assert.deepEqual(flagsOf('untranslated', err, 'Python meldet hier „TypeError: can only concatenate str to str“.', {}, rt), [])
    assert.deepEqual(flagsOf('untranslated', 'We use the IT helpdesk for that.', 'Dafür nutzen wir den IT-Helpdesk.', {}, rt), [])
    assert.deepEqual(flagsOf('untranslated', 'Run:\n```\necho "this is the end of it"\n```', 'Ausführen:\n```\necho "this is the end of it"\n```', {}, rt), [])
  })
}

test('identical: an unchanged English sentence flags; names, numbers, code and German sources do not', () => {
  const f = flagsOf('identical', 'How do I bake sourdough bread?', 'How do I bake sourdough bread?')
  assert.equal(f.length, 1)
  assert.match(f[0].message, /identical to the source/)
  assert.deepEqual(flagsOf('untranslated', 'How do I bake sourdough bread at home?', 'How do I bake sourdough bread at home?'), [])
  assert.deepEqual(flagsOf('identical', 'Angela Merkel', 'Angela Merkel'), [])
  assert.deepEqual(flagsOf('identical', '3.14159', '3.14159'), [])
  assert.deepEqual(flagsOf('identical', '`npm test`', '`npm test`'), [])
  assert.deepEqual(flagsOf('identical', 'Kannst du mir bei der Steuererklärung helfen?', 'Kannst du mir bei der Steuererklärung helfen?'), [])
})
