/**
 * Brackets and double quotes must be balanced in the translation whenever they are balanced in the source.
 * Quote styles are free: "…", “…”, „…“ and »…« all count as pairs, so only an odd number of quote marks flags.
 */
import type { PairContext } from '../context'
import type { Span } from '../types'
import { wasmBracketBalance } from '../wasm/text-scan'

const OPEN = '([{'
const CLOSE = ')]}'
// double-quote characters: " “ ” „ » « ‟
const QUOTES = new Set([0x22, 0x201c, 0x201d, 0x201e, 0xbb, 0xab, 0x201f])

interface Balance {
  ok: boolean
  /** Offset of the first unmatched bracket, or -1. */
  at: number
  quotes: number
  lastQuote: number
}

const MARKS = /[()[\]{}"\u201c\u201d\u201e\u201f\u00ab\u00bb]/g

/** The balance of `text`: from the WebAssembly pass (wasm/text-scan.ts) where it runs, else from MARKS. */
export function bracketBalance(text: string, useWasm = true): Balance {
  const w = useWasm ? wasmBracketBalance(text) : undefined
  if (w) return { ok: w.at < 0, at: w.at, quotes: w.quotes, lastQuote: w.lastQuote }
  const stack: number[] = []
  let at = -1
  let quotes = 0
  let lastQuote = -1
  MARKS.lastIndex = 0
  for (let m = MARKS.exec(text); m; m = MARKS.exec(text)) {
    const i = m.index
    const c = text.charCodeAt(i)
    if (c === 40 || c === 91 || c === 123) stack.push(i)
    else if (c === 41 || c === 93 || c === 125) {
      const o = stack.pop()
      if (o === undefined || OPEN.indexOf(text[o]) !== CLOSE.indexOf(text[i])) {
        if (at < 0) at = i
      }
    } else if (QUOTES.has(c)) {
      quotes++
      lastQuote = i
    }
  }
  if (at < 0 && stack.length) at = stack[0]
  return { ok: at < 0, at, quotes, lastQuote }
}

const span = (i: number): Span => ({ start: i, end: i + 1 })

export function checkBrackets(ctx: PairContext): void {
  const t = ctx.tgt.plain
  const b = bracketBalance(t)
  if (b.ok && b.quotes % 2 === 0) return
  const a = bracketBalance(ctx.src.plain)
  if (!b.ok && a.ok) {
    ctx.flag('brackets', `The bracket "${t[b.at]}" in the translation has no partner (the source's brackets are balanced).`, span(b.at), 'target')
  }
  if (b.quotes % 2 === 1 && a.quotes % 2 === 0) {
    ctx.flag('brackets', `The quotation mark ${t[b.lastQuote]} in the translation is not closed or not opened.`, span(b.lastQuote), 'target')
  }
}
