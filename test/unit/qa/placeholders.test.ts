import assert from 'node:assert/strict'
import { test } from 'node:test'
import { flagsOf } from './helpers'

test('placeholders: translated, dropped or altered placeholders flag', () => {
  const f = flagsOf('placeholders', 'Your balance is {amount}.', 'Ihr Kontostand beträgt {betrag}.')
  assert.equal(f.length, 2)
  assert.match(f[0].message, /"\{amount\}"/)
  assert.equal(flagsOf('placeholders', 'Deleted %d files from %s.', 'Dateien aus %s gelöscht.').length, 1)
  assert.equal(flagsOf('placeholders', 'Hi {{ user }}!', 'Hallo!').length, 1)
  assert.equal(flagsOf('placeholders', 'Path: $DATA_DIR/cache', 'Pfad: $DATEN_DIR/cache').length, 2)
})

test('placeholders: reordering, percentages and prices are fine', () => {
  assert.deepEqual(flagsOf('placeholders', '{count} new posts by {author}', 'Von {author} gibt es {count} neue Beiträge'), [])
  assert.deepEqual(flagsOf('placeholders', 'Up to 40% off, from $9.', 'Bis zu 40 % Rabatt, ab 9 $.'), [])
  assert.deepEqual(flagsOf('placeholders', 'Error %(code)s occurred.', 'Fehler %(code)s ist aufgetreten.'), [])
})
