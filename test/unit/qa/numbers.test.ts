import assert from 'node:assert/strict'
import { test } from 'node:test'
import { flagsOf } from './helpers'

test('numbers: flags a changed, a missing and an invented number', () => {
  const changed = flagsOf('numbers', 'The lake is 74 meters deep.', 'Der See ist 47 Meter tief.')
  assert.equal(changed.length, 1)
  assert.match(changed[0].message, /"74".*"47"/)
  assert.equal(changed[0].spanIn, 'target')
  const missing = flagsOf('numbers', 'Boil the eggs for 9 minutes, then cool them in 2 liters of water.', 'Kochen Sie die Eier und kühlen Sie sie dann in 2 Litern Wasser ab.')
  assert.equal(missing.length, 1)
  assert.match(missing[0].message, /"9"/)
  assert.equal(missing[0].spanIn, 'source')
  assert.deepEqual(missing[0].span, { start: 18, end: 19 })
  assert.equal(flagsOf('numbers', 'Water the plant weekly.', 'Gießen Sie die Pflanze alle 7 Tage.').length, 1)
})

test('numbers: decimal and thousands conventions that must not flag', () => {
  assert.deepEqual(flagsOf('numbers', 'The fee rose by 2.75 euros.', 'Die Gebühr stieg um 2,75 Euro.'), [])
  assert.deepEqual(flagsOf('numbers', 'About 12,500 runners took part.', 'Etwa 12.500 Läufer nahmen teil.'), [])
  assert.deepEqual(flagsOf('numbers', 'The archive holds 4000 letters.', 'Das Archiv enthält 4.000 Briefe.'), [])
  assert.deepEqual(flagsOf('numbers', 'The total is 9,876.5 kilograms.', 'Insgesamt sind es 9.876,5 Kilogramm.'), [])
  assert.deepEqual(flagsOf('numbers', 'The region has 80,000 sheep.', 'In der Region gibt es 80 000 Schafe.'), [])
})

test('numbers: a thousands group must not pass for a decimal of another value', () => {
  assert.equal(flagsOf('numbers', 'They planted 2,000 trees.', 'Sie pflanzten 20.000 Bäume.').length, 1)
})

test('numbers: percentages, dates, times, words and list markers', () => {
  assert.deepEqual(flagsOf('numbers', 'Prices fell 15% in May.', 'Die Preise fielen im Mai um 15 %.'), [])
  assert.deepEqual(flagsOf('numbers', 'Prices fell 15% in May.', 'Die Preise fielen im Mai um 15 Prozent.'), [])
  assert.deepEqual(flagsOf('numbers', 'The shop reopened on June 9, 2022.', 'Der Laden öffnete am 9. Juni 2022 wieder.'), [])
  assert.deepEqual(flagsOf('numbers', 'The shop reopened on June 9, 2022.', 'Der Laden öffnete am 09.06.2022 wieder.'), [])
  assert.deepEqual(flagsOf('numbers', 'Lunch starts at 1 pm.', 'Das Mittagessen beginnt um 13 Uhr.'), [])
  assert.deepEqual(flagsOf('numbers', 'Bring 4 pencils.', 'Bring vier Bleistifte mit.'), [])
  assert.deepEqual(flagsOf('numbers', 'I have seven cousins.', 'Ich habe 7 Cousins.'), [])
  assert.deepEqual(flagsOf('numbers', 'Do this:\n1. Stretch.\n2. Breathe.', 'Tun Sie Folgendes:\nDehnen Sie sich.\nAtmen Sie.'), [])
  assert.equal(flagsOf('numbers', 'Bring 4 pencils.', 'Bring fünf Bleistifte mit.').length, 1)
})

test('numbers: digits inside names and code are left to other checks', () => {
  assert.deepEqual(flagsOf('numbers', 'Ask GPT-4 about COVID-19.', 'Frag das Sprachmodell nach der Pandemie.'), [])
  assert.deepEqual(flagsOf('numbers', 'Run `sleep 30` first.', 'Führe zuerst `sleep 31` aus.'), [])
})
