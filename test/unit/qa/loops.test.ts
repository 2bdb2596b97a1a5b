import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compressionRatio } from '../../../src/core/qa/checks/repetition'
import { flagsOf } from './helpers'

test('repetition: word and phrase loops flag and name the phrase', () => {
  const f = flagsOf('repetition', 'The dog barked at the mailman.', 'Der Hund bellte den Postboten an an an an an an an an an an an an')
  assert.equal(f.length, 1)
  assert.match(f[0].message, /"an an an an" repeats \d+ times/)
  const phrase = 'Die Antwort ist ja, die Antwort ist ja, die Antwort ist ja, die Antwort ist ja, die Antwort ist ja.'
  assert.equal(flagsOf('repetition', 'The answer is yes.', phrase).length, 1)
})

test('repetition: a loop also explains the cut sentence and the length (engine suppression)', () => {
  const src = 'Please describe the view from the window.'
  const tgt = 'Bitte beschreiben Sie die Aussicht aus dem Fenster, dem Fenster, dem Fenster, dem Fenster, dem Fenster, dem Fenster, dem Fenster, dem Fenster, dem'
  assert.equal(flagsOf('repetition', src, tgt).length, 1)
  assert.deepEqual(flagsOf('truncation', src, tgt), [])
  assert.deepEqual(flagsOf('length-ratio', src, tgt), [])
})

test('repetition: repetition that mirrors the source does not flag', () => {
  assert.deepEqual(flagsOf('repetition', 'Row, row, row your boat, row, row, row your boat.', 'Rudere, rudere, rudere dein Boot, rudere, rudere, rudere dein Boot.'), [])
  assert.ok(compressionRatio('abc '.repeat(200)) > 10)
  assert.ok(compressionRatio('Ein ganz normaler Satz ohne jede Wiederholung.') < 2)
})

test('prompt-leakage: echoed labels and the instruction flag; labels the source has do not', () => {
  const f = flagsOf('prompt-leakage', 'Good night!', 'German: Gute Nacht!')
  assert.equal(f.length, 1)
  assert.match(f[0].message, /"German:"/)
  assert.deepEqual(f[0].span, { start: 0, end: 7 })
  assert.equal(flagsOf('prompt-leakage', 'Good night!', 'Translate this from English to German:\nGute Nacht!').length, 1)
  assert.deepEqual(flagsOf('prompt-leakage', 'English: cat\nGerman: Katze', 'Englisch: cat\nDeutsch: Katze'), [])
  assert.deepEqual(flagsOf('prompt-leakage', 'I learn German.', 'Ich lerne Deutsch.'), [])
})

test('entities: vanished CamelCase, acronyms, alphanumerics and names flag', () => {
  const f = flagsOf('entities', 'I export from PowerPoint to PDF with LibreOffice.', 'Ich exportiere aus der Präsentation als Dokument mit einem Office-Programm.')
  assert.deepEqual(f.map((x) => x.message.match(/"([^"]+)"/)![1]), ['PowerPoint', 'PDF', 'LibreOffice'])
  assert.equal(f[0].spanIn, 'source')
  assert.equal(flagsOf('entities', 'It runs on the M2 chip.', 'Es läuft auf dem neuen Chip.').length, 1)
  assert.equal(flagsOf('entities', 'The theory was proposed by Lise Meitner in Berlin.', 'Die Theorie wurde von einer Physikerin in Berlin vorgeschlagen.').length, 1)
})

test('entities: kept tokens in compounds, inflected names, exonyms and shouting do not flag', () => {
  assert.deepEqual(flagsOf('entities', 'The PyTorch docs cover CUDA.', 'Die PyTorch-Dokumentation behandelt CUDA.'), [])
  assert.deepEqual(flagsOf('entities', 'We read poems by Rainer Rilke.', 'Wir lasen Rilkes Gedichte.'), [])
  assert.deepEqual(flagsOf('entities', 'He flew from the United States to Vienna.', 'Er flog von den Vereinigten Staaten nach Wien.'), [])
  assert.deepEqual(flagsOf('entities', 'STOP RIGHT THERE NOW!', 'HALT, SOFORT STEHEN BLEIBEN!'), [])
})
