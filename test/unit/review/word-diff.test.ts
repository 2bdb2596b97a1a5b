import assert from 'node:assert/strict'
import { test } from 'node:test'
import { tokenize, wordDiff, type DiffPart } from '../../../src/core/review/word-diff'

const before = (parts: DiffPart[]) => parts.filter((p) => p.op !== 1).map((p) => p.text).join('')
const after = (parts: DiffPart[]) => parts.filter((p) => p.op !== -1).map((p) => p.text).join('')

test('a changed word is replaced whole, never split into characters', () => {
  const d = wordDiff('Der Hund schläft.', 'Der Hase schläft.')
  assert.deepEqual(d, [
    { op: 0, text: 'Der ' },
    { op: -1, text: 'Hund' },
    { op: 1, text: 'Hase' },
    { op: 0, text: ' schläft.' },
  ])
})

test('insertions and deletions of words', () => {
  assert.deepEqual(wordDiff('Ich gehe nach Hause', 'Ich gehe jetzt nach Hause'), [
    { op: 0, text: 'Ich gehe ' },
    { op: 1, text: 'jetzt ' },
    { op: 0, text: 'nach Hause' },
  ])
  assert.deepEqual(wordDiff('ein sehr großes Haus', 'ein großes Haus'), [
    { op: 0, text: 'ein ' },
    { op: -1, text: 'sehr ' },
    { op: 0, text: 'großes Haus' },
  ])
})

test('whitespace between two changed words folds into the change', () => {
  const d = wordDiff('Der große Hund bellt', 'Ein kleiner Kater bellt')
  assert.deepEqual(d, [
    { op: -1, text: 'Der große Hund' },
    { op: 1, text: 'Ein kleiner Kater' },
    { op: 0, text: ' bellt' },
  ])
})

test('identical and empty texts', () => {
  assert.deepEqual(wordDiff('gleich', 'gleich'), [{ op: 0, text: 'gleich' }])
  assert.deepEqual(wordDiff('', ''), [])
  assert.deepEqual(wordDiff('', 'neu'), [{ op: 1, text: 'neu' }])
  assert.deepEqual(wordDiff('alt', ''), [{ op: -1, text: 'alt' }])
})

test('both sides are reconstructed exactly, including markup, code, emoji and private-use characters', () => {
  const a = 'Hier ist `code()` und <script>alert(1)</script> 🎉\n\n```py\nprint("hi")\n```\n\uE000 Ende'
  const b = 'Hier steht `code()` und <b>fett</b> 🎉🎉\n\n```py\nprint("hallo")\n```\n\uE001 Ende!'
  const d = wordDiff(a, b)
  assert.equal(before(d), a)
  assert.equal(after(d), b)
  for (const p of d) assert.ok(p.text.length > 0)
  for (let i = 1; i < d.length; i++) assert.notEqual(d[i].op, d[i - 1].op, 'adjacent parts have different ops')
})

test('tokenize keeps words, whitespace runs and punctuation apart', () => {
  assert.deepEqual(tokenize('Grüße,  Welt_2!'), ['Grüße', ',', '  ', 'Welt_2', '!'])
  assert.deepEqual(tokenize('a🎉b'), ['a', '🎉', 'b'])
})

test('texts too large for a word diff degrade to lines, then to a whole replacement, and still reconstruct', () => {
  const words = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`).join(' ')
  const a = words(40_000, 'w')
  const b = words(40_000, 'v')
  const d = wordDiff(a, b)
  assert.equal(before(d), a)
  assert.equal(after(d), b)
  assert.equal(d.length, 2, 'one line each: replaced whole')
})

test('a long multi-line text with scattered edits is diffed by lines, then words inside changed lines', () => {
  const para = (i: number) => `Absatz ${i}: Dies ist ein ziemlich langer Satz mit vielen Wörtern, Nummer ${i}.\n`
  const a = Array.from({ length: 3000 }, (_, i) => para(i)).join('')
  const b = a.replace('Nummer 10.', 'Zahl 10.').replace('Nummer 2990.', 'Zahl 2990.')
  const d = wordDiff(a, b)
  assert.equal(before(d), a)
  assert.equal(after(d), b)
  assert.deepEqual(
    d.filter((p) => p.op !== 0),
    [
      { op: -1, text: 'Nummer' },
      { op: 1, text: 'Zahl' },
      { op: -1, text: 'Nummer' },
      { op: 1, text: 'Zahl' },
    ],
  )
})

test('random edits always reconstruct both sides', () => {
  let seed = 7
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
  const vocab = ['der', 'die', 'das', 'Haus', ' ', '\n', ',', '.', 'über', '`x`', '**fett**', '  ']
  for (let k = 0; k < 200; k++) {
    const gen = () => Array.from({ length: Math.floor(rnd() * 30) }, () => vocab[Math.floor(rnd() * vocab.length)]).join('')
    const a = gen()
    const b = gen()
    const d = wordDiff(a, b)
    assert.equal(before(d), a)
    assert.equal(after(d), b)
  }
})
