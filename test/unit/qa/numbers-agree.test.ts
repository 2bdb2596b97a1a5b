import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { mulberry32 as rng } from '../../../native-runtime/inference/random'
import { numbersAgree, wasmNumberTokens } from '../../../src/core/qa/checks/numbers-agree'
import { numbersFastPath, scanNumbers } from '../../../src/core/qa/checks/numbers'
import { flagsOf } from './helpers'

const root = join(import.meta.dirname, '..', '..', '..')
const source = join(root, 'src/core/qa/checks/numbers-agree.as.ts')

test('numbers-agree: the committed WebAssembly is the compilation of its AssemblyScript source', async () => {
  const { compileWasm, wasmModule } = (await import(join(root, 'scripts/build-wasm.mjs'))) as {
    compileWasm(p: string): Promise<Buffer>
    wasmModule(p: string, b: Buffer): string
  }
  const committed = readFileSync(source.replace(/\.as\.ts$/, '.wasm.ts'), 'utf8')
  assert.equal(committed, wasmModule(source, await compileWasm(source)), 'run npm run build:wasm')
})

/** Seeded pieces of text that reach every rule of scanNumbers: separators, list markers, months, times, am/pm. */
const PIECES = [
  '1', '23', '456', '7890', '0', '12', '9', '.', ',', ' ', '\t', '\n', ':', ')', '(', '-', 'a', 'm', 'p', 'A', 'M',
  'P', 'x', 'k', 'é', 'ÿ', '×', 'µ', 'ß', '\u00a0', '\u2010', '\u202f', 'Mai', 'März', 'Januar', 'September', '1. ',
  '2) ', ' am', ' p.m.', 'a.m.', 'GPT', '. ', '   ', '999999999999', '12345678901234567', '3:30', ' pm', 'xpm', '1.5',
  '2,5', '1,000', '1.000', '05.03.2021', 'Uhr ', 'um ',
]

function randomText(next: () => number): string {
  let t = ''
  const n = 1 + Math.floor(next() * 30)
  for (let i = 0; i < n; i++) t += PIECES[Math.floor(next() * PIECES.length)]
  return t
}

test('numbers-agree: the WebAssembly reads the same tokens and values as scanNumbers wherever it answers', () => {
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

test('numbers-agree: whenever it says the numbers agree, the JavaScript check raises no flag', () => {
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

test('numbers-agree: German conventions agree; a changed, missing or unusual number goes to JavaScript', () => {
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
