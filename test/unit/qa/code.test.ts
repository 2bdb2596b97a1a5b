import assert from 'node:assert/strict'
import { test } from 'node:test'
import { stripComments } from '../../../src/core/qa/checks/code'
import { flagsOf } from './helpers'

const F = '```'
const src = `Try this:\n${F}python\n# read the file\nwith open("a.txt") as f:\n    data = f.read()  # all at once\n${F}\nDone.`

test('code: a changed identifier or string inside a block flags and names the line', () => {
  const tgt = `Probieren Sie das:\n${F}python\n# read the file\nwith open("a.txt") as datei:\n    data = datei.read()  # all at once\n${F}\nFertig.`
  const f = flagsOf('code', src, tgt)
  assert.equal(f.length, 1)
  assert.match(f[0].message, /Code block 1 .*with open\("a\.txt"\) as f:.*as datei:/)
  assert.equal(f[0].spanIn, 'target')
})

test('code: translated comments flag by default and pass with allowTranslatedComments', () => {
  const tgt = `Probieren Sie das:\n${F}python\n# die Datei lesen\nwith open("a.txt") as f:\n    data = f.read()  # alles auf einmal\n${F}\nFertig.`
  assert.equal(flagsOf('code', src, tgt).length, 1)
  assert.deepEqual(flagsOf('code', src, tgt, { code: { allowTranslatedComments: true } }), [])
})

test('code: comments are stripped by language; strings and URLs are kept', () => {
  assert.equal(stripComments('x = 1 // one\nurl = "http://a.b"', 'js'), 'x = 1 url = "http://a.b"')
  assert.equal(stripComments('SELECT 1 -- pick one', 'sql'), 'SELECT 1')
  assert.equal(stripComments('#include <stdio.h>\n/* main */ int main();', 'c'), '#include <stdio.h> int main();')
})

test('code: missing blocks and changed inline code flag; unchanged inline code does not', () => {
  const f = flagsOf('code', `Install:\n${F}\nmake install\n${F}`, 'Installieren: make install')
  assert.equal(f.length, 1)
  assert.match(f[0].message, /Code block 1 \(starting "make install"\) is missing/)
  assert.equal(flagsOf('code', 'Press `Ctrl+C` to stop.', 'Drücken Sie `Strg+C`, um anzuhalten.').length, 1)
  assert.deepEqual(flagsOf('code', 'Press `Ctrl+C` to stop.', 'Mit `Ctrl+C` halten Sie das Programm an.'), [])
})
