import assert from 'node:assert/strict'
import { test } from 'node:test'
import { flagsOf } from './helpers'

test('urls: changed and dropped URLs flag with the URL named; punctuation around them does not', () => {
  const changed = flagsOf('urls', 'Read https://example.com/guide/setup first.', 'Lies zuerst https://example.com/anleitung/setup.')
  assert.equal(changed.length, 2)
  assert.match(changed[0].message, /https:\/\/example\.com\/guide\/setup/)
  assert.equal(changed[0].spanIn, 'source')
  assert.equal(flagsOf('urls', 'Our site www.example.net has the forms.', 'Die Formulare finden Sie auf unserer Website.').length, 1)
  assert.deepEqual(flagsOf('urls', 'See https://example.com/faq.', 'Siehe https://example.com/faq.'), [])
  // the pattern ignores case: a URL written in capitals, or capitalised at a sentence start, is one too
  assert.equal(flagsOf('urls', 'Order at WWW.EXAMPLE.NET before May.', 'Bestellen Sie vor Mai auf unserer Website.').length, 1)
  assert.match(flagsOf('urls', 'Www.example.net has the forms.', 'Die Formulare gibt es online.')[0].message, /Www\.example\.net/)
  assert.deepEqual(flagsOf('urls', 'Order at WWW.EXAMPLE.NET today.', 'Bestellen Sie heute auf WWW.EXAMPLE.NET.'), [])
  assert.deepEqual(flagsOf('urls', 'The map (https://example.com/map) helps.', 'Die Karte (https://example.com/map) hilft.'), [])
})

test('emails: a changed address flags, a moved one does not', () => {
  const f = flagsOf('emails', 'Write to press@example.com today.', 'Schreiben Sie heute an presse@example.com.')
  assert.equal(f.length, 2)
  assert.match(f[0].message, /press@example\.com/)
  assert.deepEqual(flagsOf('emails', 'Write to press@example.com today.', 'Schreiben Sie noch heute an press@example.com.'), [])
})
