import assert from 'node:assert/strict'
import { test } from 'node:test'
import { flagsOf } from './helpers'

test('markdown: lost headings, list items and table rows flag with the counts', () => {
  const f = flagsOf('markdown', '# Plan\n- wake up\n- run\n- eat', 'Plan\n- aufwachen\n- laufen, essen\n')
  assert.equal(f.length, 2)
  assert.match(f[0].message, /1 heading but the translation has 0/)
  assert.match(f[1].message, /3 list items but the translation has 2/)
  assert.equal(flagsOf('markdown', '| a | b |\n| 1 | 2 |\n| 3 | 4 |', '| a | b |\n| 1 | 2 | 3 | 4 |').length, 1)
})

test('markdown: a single line counts too: an invented heading or a lost • bullet flags as on several lines', () => {
  assert.match(flagsOf('markdown', 'Title', '# Titel')[0].message, /0 headings but the translation has 1/)
  assert.equal(flagsOf('markdown', '• Point one', 'Punkt eins').length, 1)
  assert.equal(flagsOf('markdown', '- Point one', 'Punkt eins').length, 1)
  assert.deepEqual(flagsOf('markdown', 'Point one', 'Punkt eins'), [])
  assert.deepEqual(flagsOf('markdown', '3 apples', '3 Äpfel'), [])
})

test('markdown: bullet style changes and German dates at a line start do not flag', () => {
  assert.deepEqual(flagsOf('markdown', 'Menu:\n+ soup\n+ bread', 'Menü:\n* Suppe\n* Brot'), [])
  assert.deepEqual(flagsOf('markdown', 'Notes:\nMay 3, 2020 was sunny.', 'Notizen:\n3. Mai 2020 war sonnig.'), [])
})

test('brackets: unbalanced brackets and quotes flag; any quote style and source-side imbalance do not', () => {
  const f = flagsOf('brackets', 'Use a fork (not a knife).', 'Verwenden Sie eine Gabel (kein Messer.')
  assert.equal(f.length, 1)
  assert.match(f[0].message, /"\("/)
  assert.equal(f[0].span!.start, 'Verwenden Sie eine Gabel (kein Messer.'.indexOf('('))
  assert.equal(flagsOf('brackets', 'She said "maybe".', 'Sie sagte „vielleicht.').length, 1)
  assert.deepEqual(flagsOf('brackets', 'She said "maybe".', 'Sie sagte „vielleicht“.'), [])
  assert.deepEqual(flagsOf('brackets', 'She said "maybe".', 'Sie sagte »vielleicht«.'), [])
  assert.deepEqual(flagsOf('brackets', 'Choose 1) tea or 2) coffee.', 'Wählen Sie 1) Tee oder 2) Kaffee.'), [])
})

test('length-ratio: clearly too short or too long flags; short texts and normal German length do not', () => {
  const long = 'The committee, after several long meetings with residents and experts, finally approved the plan for a new park near the river.'
  assert.equal(flagsOf('length-ratio', long, 'Der Park wurde genehmigt.').length, 1)
  assert.equal(flagsOf('length-ratio', 'Dogs need daily walks.', 'Hunde brauchen tägliche Spaziergänge, und zwar mindestens zweimal am Tag für jeweils eine Stunde, bei jedem Wetter, auch im Winter und bei Regen.').length, 1)
  assert.deepEqual(flagsOf('length-ratio', long, 'Nach mehreren langen Sitzungen mit Anwohnern und Fachleuten genehmigte der Ausschuss schließlich den Plan für einen neuen Park am Fluss.'), [])
  assert.deepEqual(flagsOf('length-ratio', 'OK.', 'In Ordnung, das machen wir so.'), [])
})

test('truncation: first-line-only output, cut sentences and empty output flag', () => {
  const f = flagsOf('truncation', 'Hello Max,\nthe package arrived today.\nIt looks great.', 'Hallo Max,')
  assert.equal(f.length, 1)
  assert.match(f[0].message, /3 lines but the translation only 1.*"the package arrived today\."/)
  assert.equal(f[0].spanIn, 'source')
  assert.equal(flagsOf('truncation', 'The bakery on the corner sells fresh bread every morning.', 'Die Bäckerei an der Ecke verkauft jeden Morgen frisches').length, 1)
  assert.equal(flagsOf('truncation', 'One.\n\nTwo.', 'Eins.').length, 1)
  assert.equal(flagsOf('truncation', 'Say hi.', '  ').length, 1)
})

test('truncation: other sentence ends, titles and code-only differences do not flag', () => {
  assert.deepEqual(flagsOf('truncation', 'I love this song.', 'Ich liebe dieses Lied!'), [])
  assert.deepEqual(flagsOf('truncation', 'A guide to indoor plants', 'Ein Leitfaden für Zimmerpflanzen'), [])
  assert.deepEqual(flagsOf('truncation', 'He whispered "goodbye".', 'Er flüsterte „Lebwohl“.'), [])
})

test('truncation explains the missing numbers and length of the lost lines (engine suppression)', () => {
  const flags = flagsOf('numbers', 'Line one.\nIn 2019 we had 40 members.\nIn 2020 we had 55.', 'Zeile eins.')
  assert.deepEqual(flags, [])
})
