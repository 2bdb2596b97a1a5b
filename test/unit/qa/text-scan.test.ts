import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mulberry32 as rng } from '../../../native-runtime/inference/random'
import { bracketBalance } from '../../../src/core/qa/checks/brackets'
import { findEntities } from '../../../src/core/qa/checks/entities'
import { tailRepeats } from '../../../src/core/qa/checks/repetition'
import { numbersFastPath, scanNumbers } from '../../../src/core/qa/checks/numbers'
import { entityCandidates, includesFolded, numbersAgree, wasmBracketBalance, wasmNumberTokens, wasmTailRepeats } from '../../../src/core/qa/wasm/text-scan'
import { DE_HINTS, EN_HINTS, nextHintEnd } from '../../../src/core/qa/stopwords'
import { flagsOf, randomPieces } from './helpers'

/** Seeded pieces of text that reach every rule of scanNumbers: separators, list markers, months, times, am/pm. */
const PIECES = [
  '1', '23', '456', '7890', '0', '12', '9', '.', ',', ' ', '\t', '\n', ':', ')', '(', '-', 'a', 'm', 'p', 'A', 'M',
  'P', 'x', 'k', 'é', 'ÿ', '×', 'µ', 'ß', '\u00a0', '\u2010', '\u202f', 'Mai', 'März', 'Januar', 'September', '1. ',
  '2) ', ' am', ' p.m.', 'a.m.', 'GPT', '. ', '   ', '999999999999', '12345678901234567', '3:30', ' pm', 'xpm', '1.5',
  '2,5', '1,000', '1.000', '05.03.2021', 'Uhr ', 'um ',
]

const randomText = (next: () => number): string => randomPieces(next, PIECES, 1, 30)

test('text-scan numbers: the WebAssembly reads the same tokens and values as scanNumbers wherever it answers', () => {
  const next = rng(7)
  let answered = 0
  for (let i = 0; i < 20_000; i++) {
    const text = randomText(next)
    const wasm = wasmNumberTokens(text)
    if (!wasm) continue
    answered++
    const js = scanNumbers(text).map((t) => ({ start: t.start, end: t.end, values: t.values }))
    assert.deepEqual(wasm, js, JSON.stringify(text))
  }
  // the generator is built to hit the shapes it leaves to JavaScript too, but most texts must be answered
  assert.ok(answered > 5_000, `answered ${answered}`)
})

test('text-scan numbers: whenever it says the numbers agree, the JavaScript check raises no flag', () => {
  const next = rng(11)
  let agreed = 0
  const swap = (t: string) => t.replace(/[.,]/g, (c) => (next() < 0.5 ? c : c === '.' ? ',' : '.'))
  numbersFastPath.enabled = false
  try {
    for (let i = 0; i < 20_000; i++) {
      const s = randomText(next)
      // a translation with the separators swapped here and there, or an unrelated text
      const t = next() < 0.7 ? swap(s) : randomText(next)
      if (!numbersAgree(s, t)) continue
      agreed++
      assert.deepEqual(flagsOf('numbers', s, t), [], JSON.stringify([s, t]))
    }
  } finally {
    numbersFastPath.enabled = true
  }
  assert.ok(agreed > 3_000, `agreed ${agreed}`)
})

test('text-scan numbers: German conventions agree; a changed, missing or unusual number goes to JavaScript', () => {
  assert.equal(numbersAgree('The fee rose by 2.75 euros.', 'Die Gebühr stieg um 2,75 Euro.'), true)
  assert.equal(numbersAgree('About 12,500 runners, 4000 letters.', 'Etwa 12.500 Läufer, 4.000 Briefe.'), true)
  assert.equal(numbersAgree('1. Mix\n2. Bake for 20 minutes.', '1. Mischen\n2. 20 Minuten backen.'), true)
  assert.equal(numbersAgree('The lake is 74 meters deep.', 'Der See ist 47 Meter tief.'), false)
  assert.equal(numbersAgree('Boil for 9 minutes.', 'Kochen.'), false)
  // "5. März" at a line start is a date whose 5 is matched; "1. Schritt" is a list marker, not a number
  assert.equal(numbersAgree('Born on March 5.', '5. März geboren.'), true)
  assert.equal(numbersAgree('Step 1 is easy.', '1. Schritt ist leicht.'), false)
  // am/pm, groups split by spaces, three separators: the JavaScript check decides
  assert.equal(wasmNumberTokens('Open at 9 am.'), undefined)
  assert.equal(wasmNumberTokens('80 000 sheep'), undefined)
  assert.equal(wasmNumberTokens('version 1.2.3'), undefined)
  assert.equal(wasmNumberTokens('Preis: 5 \u20ac'), undefined)
  // a pair over a million code units is left to JavaScript instead of growing the scratch to tens of megabytes
  const long = 'It costs 5 euros. '.repeat(60_000)
  assert.equal(numbersAgree(long, long), false)
  assert.equal(numbersAgree(long.slice(0, 18_000), long.slice(0, 18_000)), true)
  // and its flags are the same as without the WebAssembly
  assert.equal(flagsOf('numbers', 'The shop opens at 9 am.', 'Der Laden öffnet um 9 Uhr.').length, 0)
})

/** Pieces that reach every rule of findEntities: CamelCase, acronyms, letter-digit, names, shouting, Latin-1. */
const ENTITY_PIECES = [
  'iPhone', 'PyTorch', 'NASA', 'HTML5', 'GPT-4', 'H2O', '3D', 'x1', 'aB', 'Jane', 'Austen', 'Élodie', 'Ørsted', 'McDonald',
  'the', 'and', 'used', 'by', 'of', ' ', ' ', ' ', ', ', '; ', '. ', '\n', '-', '.', "'", '’', '_', '$', 'I', 'UK', 'US',
  'United', 'States', 'XIV', 'STOP', 'NOW', 'PLEASE', 'é', 'ß', 'ÿ', '×', '÷', 'ł', 'Ł', '\u{1d400}', '7', '42', 'a',
  'Z', 'in', 'New', 'York', 'Café', 'Zoë', 'a Jane Austen', 'e Mary Anne Evans', ', Élodie', '; Zoë Café', ' Łukasz',
  'met Sam', ' Tom Bo', 'ÿ Ann', ' Ann',
]

const randomEntityText = (next: () => number): string => randomPieces(next, ENTITY_PIECES, 1, 40)

test('text-scan: findEntities finds the same tokens with the WebAssembly candidates as with its regexes alone', () => {
  const next = rng(13)
  let found = 0
  let names = 0
  for (let i = 0; i < 20_000; i++) {
    const text = randomEntityText(next)
    const js = findEntities(text, false)
    assert.deepEqual(findEntities(text), js, JSON.stringify(text))
    found += js.length
    names += js.filter((e) => e.text.includes(' ')).length
  }
  assert.ok(entityCandidates('x') !== undefined, 'the WebAssembly ran')
  assert.ok(found > 4_000 && names > 500, `found ${found}, names ${names}`)
  // a name after a comma, a name cut short by a letter above U+00FF, an all-caps phrase, a hyphenated acronym
  const text = 'We met, Jane Austen and Mary Shelley Łukasz; then STOP RIGHT NOW said GPT-4 in Zoë Café.'
  assert.deepEqual(findEntities(text), findEntities(text, false))
  assert.deepEqual(findEntities(text).map((e) => e.text), ['GPT-4', 'Jane Austen', 'Mary Shelley', 'Zoë Café'])
})

const BRACKET_PIECES = ['(', ')', '[', ']', '{', '}', '"', '\u201c', '\u201d', '\u201e', '\u201f', '\u00ab', '\u00bb', 'a', 'bc', ' ', '\u2018', '\u0128', ')]']

test('text-scan: the WebAssembly bracket balance equals the regex one', () => {
  const next = rng(17)
  let unbalanced = 0
  for (let i = 0; i < 20_000; i++) {
    const text = randomPieces(next, BRACKET_PIECES, 0, 30)
    const js = bracketBalance(text, false)
    assert.deepEqual(bracketBalance(text), js, JSON.stringify(text))
    if (!js.ok) unbalanced++
  }
  assert.ok(unbalanced > 5_000 && unbalanced < 19_000, `unbalanced ${unbalanced}`)
  assert.deepEqual(wasmBracketBalance('a (b [c] d) „e“ f)'), { at: 17, quotes: 2, lastQuote: 14 })
  assert.deepEqual(wasmBracketBalance('(a [b) c]'), { at: 5, quotes: 0, lastQuote: -1 })
  assert.deepEqual(wasmBracketBalance('{ (a'), { at: 0, quotes: 0, lastQuote: -1 })
})

test('text-scan: includesFolded finds three letters in any ASCII case exactly where /ngl/i does', () => {
  const next = rng(19)
  const pieces = ['n', 'N', 'g', 'G', 'l', 'L', 'ng', 'NG', 'gl', 'English', 'ENGLISCH', 'eNgLiSh', 'Ñ', 'ñ', 'ĝ', 'Ĺ', ' ', 'x', '\u0100', '\u8000', 'Ŋ']
  let hits = 0
  for (let i = 0; i < 20_000; i++) {
    const text = randomPieces(next, pieces, 0, 40)
    const expected = /ngl/i.test(text)
    assert.equal(includesFolded(text, 'ngl'), expected, JSON.stringify(text))
    if (expected) hits++
  }
  assert.ok(hits > 2_000 && hits < 18_000, `hits ${hits}`)
  // the prompt-leakage check relies on it: an upper-case instruction is still found
  assert.equal(flagsOf('prompt-leakage', 'Good night!', 'TRANSLATE THIS FROM ENGLISH TO GERMAN: Gute Nacht!').length, 1)
  assert.deepEqual(flagsOf('prompt-leakage', 'Good night!', 'Übersetzung: Gute Nacht!'), [])
})

test('text-scan: tailRepeats answers as its JavaScript twin, loops found and lines with unknown endings left to it', () => {
  const next = rng(23)
  const words = ['Danke', 'sehr', 'gut', 'und', 'die', 'Katze', 'schläft', 'ja', 'ß', 'ÿ', 'ł', 'Ω', '42', 'a', 'x']
  const ends = ['', '.', '!', ' ', '…', '“', '–', ' – ', '²', 'ł', 'µ', '\u00d7', '\ud83d', 'Ω', '?!']
  let loops = 0
  let unknown = 0
  for (let i = 0; i < 20_000; i++) {
    let text = ''
    const lines = 1 + Math.floor(next() * 4)
    for (let l = 0; l < lines; l++) {
      let phrase = ''
      const n = 1 + Math.floor(next() * 6)
      for (let k = 0; k < n; k++) phrase += words[Math.floor(next() * words.length)] + (next() < 0.7 ? ' ' : ', ')
      const copies = 1 + Math.floor(next() * 6)
      let line = ''
      for (let k = 0; k < copies; k++) line += next() < 0.1 ? phrase.toUpperCase() : phrase
      text += line + ends[Math.floor(next() * ends.length)] + (l < lines - 1 ? (next() < 0.3 ? '\n\n' : '\n') : '')
    }
    const minRepeats = 2 + Math.floor(next() * 4)
    const js = tailRepeats(text, minRepeats, false)
    const wasm = wasmTailRepeats(text, minRepeats)
    if (wasm === undefined) unknown++
    else assert.equal(wasm, js, JSON.stringify([text, minRepeats]))
    assert.equal(tailRepeats(text, minRepeats), js)
    if (js) loops++
  }
  assert.ok(loops > 3_000 && loops < 17_000, `loops ${loops}`)
  assert.ok(unknown > 100 && unknown < 10_000, `unknown ${unknown}`)
  assert.equal(wasmTailRepeats('vielen Dank, '.repeat(8) + 'vielen Dank!', 4), true)
  assert.equal(wasmTailRepeats('Die Katze schläft auf dem warmen Sofa, während draußen der Regen fällt.', 4), false)
})

test('text-scan: the next function word is where the hint regexes find it, every boundary and word character tried', () => {
  const next = rng(29)
  // listed words, their near misses (longer, other case, inner apostrophes), every boundary character of the
  // regex and word characters around them (À–ɏ with × and ÷, ’, _, -, digits), and other marks
  const pieces = [
    'the', 'The', 'THE', 'them', 'and', 'I', 'It', "it's", 'it’s', "don't", 'don’t', 'dont', 'because', 'becausee', 'However',
    'however', 'die', 'und', 'Sie', 'für', 'über', 'Danke', 'x', 'é', 'ɏ', 'ɐ', '×', '÷', '’', "'", '_', '-', '7', ' ', '\t', '\n',
    '\v', '\f', '\r', '(', '[', '„', '“', '"', '‚', '»', '«', '/', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028',
    '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '.', ',', ')', '”', '‘', '\ud83d', '{', '\0', 'Ω',
  ]
  let found = 0
  for (let i = 0; i < 20_000; i++) {
    const text = randomPieces(next, pieces, 0, 24)
    const hints = next() < 0.8 ? EN_HINTS : DE_HINTS
    let from = next() < 0.5 ? 0 : Math.floor(next() * (text.length + 1))
    for (;;) {
      const js = nextHintEnd(hints, text, from, false)
      assert.equal(nextHintEnd(hints, text, from), js, JSON.stringify([text, from, hints === EN_HINTS]))
      if (js < 0) break
      found++
      from = js
    }
  }
  assert.ok(found > 4_000, `found ${found}`)
  assert.equal(nextHintEnd(EN_HINTS, 'Die Katze schläft, weil es regnet.', 0), -1)
  assert.equal(nextHintEnd(EN_HINTS, 'Die Katze schläft, because it rains.', 0), 'Die Katze schläft, because'.length)
})
