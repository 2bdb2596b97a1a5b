import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mulberry32 } from '../../../native-runtime/inference/random'
import { decodeUtf8 } from '../../../src/core/records/utf8'

/** Byte pieces: ASCII runs, Latin-1 letters, wider characters, and invalid or cut UTF-8. */
const PIECES: number[][] = [
  [...Buffer.from('{"prompt": "Hallo Welt, ')],
  [...Buffer.from('x'.repeat(20))],
  [...Buffer.from('äöüß éÿ')],
  [...Buffer.from('\u0080\u00a0\u00ff')],
  [...Buffer.from('„Gänsefüßchen“ – 5 €')],
  [...Buffer.from('😀')],
  [...Buffer.from('\ufeff')],
  [0xc3], // a lead byte without its continuation
  [0xc3, 0x41], // a lead byte before ASCII
  [0xc0, 0x80], // overlong NUL
  [0xc1, 0xbf], // overlong
  [0x80], // a lone continuation byte
  [0xed, 0xa0, 0x80], // a surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xff],
  [0x0d, 0x0a],
]

test('decodeUtf8 returns what Buffer#toString does, through Latin-1 where the bytes allow', () => {
  const next = mulberry32(41)
  let latin1 = 0
  for (let i = 0; i < 20_000; i++) {
    const bytes: number[] = []
    const n = Math.floor(next() * 12)
    for (let k = 0; k < n; k++) bytes.push(...PIECES[Math.floor(next() * PIECES.length)])
    // offsets into a larger buffer, as the reader passes them
    const buf = Buffer.from([0x7b, ...bytes, 0x0a])
    const expected = buf.toString('utf8', 1, buf.length - 1)
    assert.equal(decodeUtf8(buf, 1, buf.length - 1), expected, JSON.stringify(bytes))
    if ([...expected].every((c) => c.charCodeAt(0) <= 0xff)) latin1++
  }
  assert.ok(latin1 > 2_000, `latin1 ${latin1}`)
  // a long German line, and one past the module's limit
  const line = Buffer.from('{"text": "Die Straße ist naß, die Bäume blühen. "}'.repeat(3_000))
  assert.equal(decodeUtf8(line, 0, line.length), line.toString('utf8'))
  const huge = Buffer.from('ä'.repeat(1_200_000))
  assert.equal(decodeUtf8(huge, 0, huge.length), huge.toString('utf8'))
})
