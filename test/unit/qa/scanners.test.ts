/**
 * The hand-written scanners that replaced per-check regexes must find exactly what the regexes found:
 * each test holds cases that must be found and near misses that must not, checked against the old regex.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { trieAlternation } from '../../../src/core/qa/alternation'
import { findEntities } from '../../../src/core/qa/checks/entities'
import { countMarkdown } from '../../../src/core/qa/checks/markdown'
import { endsWithStructure, finished, lastLineFinished, midSentence } from '../../../src/core/qa/checks/truncation'
import { numberValues } from '../../../src/core/qa/checks/numbers'
import { DE_HINTS, EN_HINTS, nextHint, type Hints } from '../../../src/core/qa/stopwords'
import { TextView } from '../../../src/core/qa/text'
import { flagsOf, randomPieces } from './helpers'
import { mulberry32 } from '../../../native-runtime/inference/random'

function matches(re: RegExp, text: string): string[] {
  const out: string[] = []
  re.lastIndex = 0
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(`${m.index}:${m[0]}`)
  return out
}

test('trieAlternation: matches the same words as a flat alternation, and nothing else', () => {
  const words = ['it', 'its', "it's", 'is', 'I', 'If', 'the', 'these', 'a.b', 'x-y']
  const trie = new RegExp(`(?:^|\\s)(?:${trieAlternation(words, { "'": "['’]" })})(?![\\w'’-])`, 'g')
  const flat = new RegExp(`(?:^|\\s)(?:${words.map((w) => w.replace(/[.-]/g, '\\$&').replace(/'/g, "['’]")).join('|')})(?![\\w'’-])`, 'g')
  for (const t of ['it its it’s is I If the these', 'itself Iff thes th t i', "it's-x a.b axb x-y xy a.bc", 'these.the,it;I']) {
    assert.deepEqual(matches(trie, t), matches(flat, t), t)
  }
  assert.deepEqual(matches(trie, 'Iff itself thes axb xy'), [])
})

function hintMatches(h: Hints, text: string): string[] {
  const out: string[] = []
  h.re.lastIndex = 0
  for (let m = nextHint(h, text); m; m = nextHint(h, text)) out.push(`${m.index}:${m[0]}`)
  return out
}

test('function-word regexes: English words in German text found, German and look-alike words not', () => {
  // a match may begin with the boundary character before the word
  assert.deepEqual(hintMatches(EN_HINTS, 'The cat and „the“ dog don’t (it’s) /with/'), ['0:The', '7: and', '12:„the', '21: don’t', '28:(it’s', '35:/with'])
  assert.deepEqual(hintMatches(EN_HINTS, 'Thesen, Ander, isst, ofen, tot, its-x, mytho, THE, über'), [])
  assert.deepEqual(hintMatches(DE_HINTS, 'der Hund über die Wiese'), ['0:der', '8: über', '13: die'])
  assert.deepEqual(hintMatches(DE_HINTS, 'derb Überdies Dieb'), [])
})

test('numberValues: one-separator tokens read as both conventions, longer ones as before', () => {
  assert.deepEqual(numberValues('2023'), [2023])
  assert.deepEqual(numberValues('1.8'), [1.8])
  assert.deepEqual(numberValues('1.800'), [1.8, 1800])
  assert.deepEqual(numberValues('1234.500'), [1234.5])
  assert.deepEqual(numberValues('56,500'), [56500, 56.5])
  assert.deepEqual(numberValues('2,75'), [2.75])
  assert.deepEqual(numberValues('1234,500'), [1234.5])
  assert.deepEqual(numberValues('9,876.5'), [9876.5])
  assert.deepEqual(numberValues('9.876,5'), [9876.5])
  assert.deepEqual(numberValues('80 000'), [80000])
  assert.equal(numberValues('3.10.2').length, 1)
  assert.ok(numberValues('3.10.2')[0] < 0)
  assert.deepEqual(numberValues('3.10.2'), numberValues('3,10,2'))
})

test('inline code: the spans /`([^`\\n]+)`/g finds; empty, multi-line and unclosed ones not', () => {
  const re = /`([^`\n]+)`/g
  const spans = (t: string) => new TextView(t).inlineCode.map((c) => `${c.start}-${c.end}:${c.code}`)
  const oracle = (t: string) => [...t.matchAll(re)].map((m) => `${m.index}-${m.index! + m[0].length}:${m[1]}`)
  assert.deepEqual(spans('Run `npm test` and `ls -la`.'), ['4-14:npm test', '19-27:ls -la'])
  assert.deepEqual(spans('no code at all'), [])
  assert.deepEqual(spans('a `one\n` b'), [])
  assert.deepEqual(spans('`unclosed and'), [])
  for (const t of ['empty `` here `x` and `a\nb` then `c`', 'a `b` `c\n`d` e`', '````', '`a``b`', 'x `y\n\n` `z`', 'tail `']) {
    assert.deepEqual(spans(t), oracle(t), t)
  }
})

test('prompt-leakage labels: read back from colons; spaces before the colon allowed, other text not', () => {
  assert.equal(flagsOf('prompt-leakage', 'Good night!', 'German : Gute Nacht!').length, 1)
  assert.equal(flagsOf('prompt-leakage', 'Good night!', 'Hallo. Deutsch:\tGute Nacht!').length, 1)
  assert.equal(flagsOf('prompt-leakage', 'Good night!', 'Gute Nacht!\nEnglisch: Good night').length, 1)
  assert.deepEqual(flagsOf('prompt-leakage', 'Good night!', 'Auf Deutsch heißt das: Gute Nacht!'), [])
  assert.deepEqual(flagsOf('prompt-leakage', 'Good night!', 'Ich spreche Deutsch: Gute Nacht!'), [])
  assert.deepEqual(flagsOf('prompt-leakage', 'Good night!', 'German; Gute Nacht: ja'), [])
})

test('entity seeds: CamelCase, acronyms and letter-digit names found; ordinary words and numbers not', () => {
  const names = (t: string) => findEntities(t).map((e) => e.text)
  assert.deepEqual(names('I bought an iPhone and read about NASA, GPT-4, H2O and 3D printing with PyTorch.'), ['iPhone', 'NASA', 'GPT-4', 'H2O', '3D', 'PyTorch'])
  assert.deepEqual(names('A cat sat on 12 mats in 2023. Then it left.'), [])
  assert.deepEqual(names('X1 aB'), ['X1', 'aB'])
})

test('markdown counts: bullets need a blank after the marker and text after that', () => {
  const BULLET = /^[ \t]*[-*+•][ \t]+\S/
  const lines = ['- item', '  * item', '+\titem', '• Punkt', '-item', '- ', '-  \u00a0x', '--- rule', '-\u00a0x', '# Titel', '1. Schritt', '5. März 2021', '| a | b |', '*kursiv*']
  for (const l of lines) {
    const c = countMarkdown(l)
    assert.equal(c.listItems, BULLET.test(l) || (/^[ \t]*\d{1,3}[.)][ \t]+\S/.test(l) && !/März/.test(l)) ? 1 : 0, l)
  }
  assert.deepEqual(countMarkdown('# T\n\n- a\n- b\n-c\n1. x\n| a |\n'), { headings: 1, listItems: 3, tableRows: 1 })
})

test('sentence ends read from the line end: the same answers as the regexes tried at every character', () => {
  const FINISHED = /[.!?…:;][\s"'”“«»)\]*_`]*$/
  const MID_SENTENCE = /[\p{L}\d,(\-–]$/u
  const lines = ['Done.', 'Done. ', 'Done.")', 'Done.”*_` ', 'a: b', 'Is it?\u00a0', 'Wait…»', 'no end', 'no end "', '"', '.', '',
    'e.g. this', 'ends with 3', 'ends with ,', 'ends with (', 'ends with –', 'ends with -', 'Straße', 'emoji 😀', 'math 𝑥', 'x;)]']
  for (const l of lines) {
    assert.equal(finished(l), FINISHED.test(l), `finished(${JSON.stringify(l)})`)
    assert.equal(midSentence(l), MID_SENTENCE.test(l), `midSentence(${JSON.stringify(l)})`)
  }
})

test('function words: the start-of-text and after-boundary regexes find what one (?:^|[…]) regex found', () => {
  const texts = ['The end. the end', ' the start', 'the', '(it’s) done', 'theater the', '„The“ Thema', 'Ich habe the Buch und das and', '', 'x the\nthe\tthe/the', 'Theory']
  for (const h of [EN_HINTS, DE_HINTS]) {
    const one = new RegExp(`(?:^|[\\s(\\[„“"‚»«/])${h.atStart.source}`, 'g')
    for (const t of texts) assert.deepEqual(hintMatches(h, t), matches(one, t), t)
  }
})

test('views: inline code between code blocks and the masked prose equal the regex over the blanked text', () => {
  const next = mulberry32(29)
  const pieces = ['```', '```py', '~~~', '````', '`', '``', 'a', 'b c', '\n', '\n', ' ', '   ', 'x = 1', '„', 'ü']
  let spans = 0
  for (let i = 0; i < 20_000; i++) {
    const text = randomPieces(next, pieces, 0, 25)
    const v = new TextView(text)
    let blanked = text
    for (const b of v.codeBlocks) blanked = blanked.slice(0, b.start) + ' '.repeat(b.end - b.start) + blanked.slice(b.end)
    const expected = [...blanked.matchAll(/`([^`\n]+)`/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, code: m[1] }))
    assert.deepEqual(v.inlineCode, expected, JSON.stringify(text))
    let prose = blanked
    for (const c of expected) prose = prose.slice(0, c.start) + ' '.repeat(c.end - c.start) + prose.slice(c.end)
    assert.equal(v.prose, prose, JSON.stringify(text))
    spans += expected.length
  }
  assert.ok(spans > 5_000, `spans ${spans}`)
})

test('truncation: line-end tests equal their regexes on random endings', () => {
  const next = mulberry32(31)
  const pieces = ['```', '~~~', '|', '`', '~', ' ', '\t', '\n', '\n', '.\n', '\u00a0', '\u2003', '\u3000', '.', '!', '?', '…', ':', ';', '"', "'", '”', '“', '«', '»', ')', ']', '*', '_', 'a', 'Z', '7', ',', '(', '-', '–', 'ß', 'ł', '😀', '\ud83d', 'word']
  const END = /(?:```|~~~|\|)\s*$/
  const FINISHED = /[.!?…:;][\s"'”“«»)\]*_`]*$/
  const MID = /[\p{L}\d,(\-–]$/u
  let ends = 0
  for (let i = 0; i < 20_000; i++) {
    const text = randomPieces(next, pieces, 0, 12)
    const e = END.test(text.slice(-16))
    assert.equal(endsWithStructure(text), e, JSON.stringify(text))
    assert.equal(finished(text), FINISHED.test(text), JSON.stringify(text))
    assert.equal(midSentence(text), MID.test(text.slice(-2)), JSON.stringify(text))
    if (e) ends++
    // the last line read in place equals the line cut out
    const trimmed = text.trimEnd()
    const last = trimmed.slice(trimmed.lastIndexOf('\n') + 1)
    assert.equal(lastLineFinished(text), finished(last), JSON.stringify(text))
    if (trimmed) assert.equal(midSentence(trimmed), midSentence(last), JSON.stringify(text))
  }
  assert.ok(ends > 1_000, `ends ${ends}`)
})
