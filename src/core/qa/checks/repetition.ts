/**
 * Repetition loops (a model repeating a phrase until max_new_tokens).
 *
 * Cheap gate first: ALMA loops run to the end of a segment, so the last 16 characters of each line of the
 * target are looked up in that line (indexOf); a tail seen `minRepeats - 1` or more times, or a target much
 * longer than its source, makes the text suspicious. Only suspicious texts pay for the confirmation: word
 * n-gram counts (a phrase repeated `minRepeats` times, and more than twice as often as any phrase of the
 * source) or the deflate compression ratio (above `maxCompressionRatio` and 1.5× the source's ratio).
 */
import { deflateRawSync } from 'node:zlib'
import type { PairContext } from '../context'
import { clip } from '../text'
import { wasmTailRepeats } from '../wasm/text-scan'
import { lengthRatio } from './length'

const PROBE = 16
const WORD_RE = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u

function isLetterOrDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i)
  // ASCII answers without the Unicode regex (and without a new RegExp per line, as the literal made)
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
  return LETTER_OR_DIGIT.test(text[i])
}

/**
 * Whether some line's last PROBE characters occur `minRepeats - 1` times in it: from the WebAssembly pass
 * (wasm/text-scan.ts) where it can tell, else read here.
 */
export function tailRepeats(text: string, minRepeats: number, useWasm = true): boolean {
  const w = useWasm ? wasmTailRepeats(text, minRepeats) : undefined
  if (w !== undefined) return w
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    let e = end
    // the loop's last copy may end in different punctuation ("…, vielen Dank!")
    while (e > start && !isLetterOrDigit(text, e - 1)) e--
    if (e - start >= PROBE * 3) {
      const line = text.slice(start, e)
      const probe = line.slice(-PROBE)
      let n = 0
      let at = line.indexOf(probe)
      while (at >= 0) {
        n++
        if (n >= minRepeats - 1) return true
        at = line.indexOf(probe, at + 1)
      }
    }
    start = end + 1
  }
  return false
}

interface NgramStat {
  phrase: string
  count: number
  firstAt: number
}

export function topNgram(text: string, n: number): NgramStat {
  const words: string[] = []
  const pos: number[] = []
  WORD_RE.lastIndex = 0
  for (let m = WORD_RE.exec(text); m; m = WORD_RE.exec(text)) {
    words.push(m[0].toLowerCase())
    pos.push(m.index)
  }
  const counts = new Map<string, number>()
  let best: NgramStat = { phrase: '', count: 0, firstAt: -1 }
  const k = Math.min(n, words.length)
  for (let i = 0; i + k <= words.length && k > 0; i++) {
    let key = words[i]
    for (let j = 1; j < k; j++) key += ' ' + words[i + j]
    const c = (counts.get(key) ?? 0) + 1
    counts.set(key, c)
    if (c > best.count) best = { phrase: key, count: c, firstAt: c === 1 ? pos[i] : best.phrase === key ? best.firstAt : pos[i] }
  }
  return best
}

export function compressionRatio(text: string): number {
  const raw = Buffer.byteLength(text)
  if (raw === 0) return 1
  return raw / deflateRawSync(text).length
}

export function checkRepetition(ctx: PairContext): void {
  const cfg = ctx.config.repetition
  const t = ctx.tgt.prose
  const suspicious = tailRepeats(t, cfg.minRepeats) || (t.length >= cfg.minChars && lengthRatio(ctx).ratio > 1.4)
  if (!suspicious) return
  const tn = topNgram(t, cfg.ngram)
  const sn = topNgram(ctx.src.prose, cfg.ngram)
  if (tn.count >= cfg.minRepeats && tn.count > 2 * sn.count) {
    ctx.flag('repetition', `The phrase "${clip(tn.phrase, 40)}" repeats ${tn.count} times in the translation, which looks like a generation loop.`, { start: tn.firstAt, end: t.length }, 'target')
    return
  }
  if (t.length >= cfg.minChars) {
    const rt = compressionRatio(t)
    const rs = compressionRatio(ctx.src.prose)
    if (rt > cfg.maxCompressionRatio && rt > 1.5 * rs) {
      ctx.flag('repetition', `The translation is highly repetitive (compresses ${rt.toFixed(1)}×, the source ${rs.toFixed(1)}×), which looks like a generation loop.`)
    }
  }
}
