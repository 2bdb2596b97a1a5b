/**
 * Word-level diff between a machine translation and a reviewer's edit. Pure (no node imports) so the
 * review webview and the core share it.
 *
 * fast-diff works on characters; mapping each distinct word token to one code unit makes it diff words
 * without ever splitting one, and keeps its speed on long texts.
 */
import fastDiff from 'fast-diff'

export type DiffOp = -1 | 0 | 1
export interface DiffPart {
  op: DiffOp
  text: string
}

// Words (letters, digits, marks, underscore), runs of whitespace, or any other single character.
const TOKEN_RE = /[\p{L}\p{N}\p{M}_]+|\s+|[^]/gu

export function tokenize(text: string): string[] {
  return text.match(TOKEN_RE) ?? []
}

// Code units a token may map to: the whole BMP minus surrogates, private-use area first. The encoded
// strings hold only these, so no mapped unit can collide with anything else.
const MAX_TOKENS = 0x10000 - 0x800
function unitFor(n: number): string {
  // 0xE000..0xFFFF (private use first), then 0x0000..0xD7FF.
  const code = n < 0x2000 ? 0xe000 + n : n - 0x2000
  return String.fromCharCode(code)
}

function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = []
  for (const p of parts) {
    if (!p.text) continue
    const last = out[out.length - 1]
    if (last && last.op === p.op) last.text += p.text
    else out.push({ ...p })
  }
  return out
}

/**
 * Whitespace that stands alone between two changes reads as noise ("-Der +Ein  -Hund +Kater"); fold it
 * into the change around it, deletions before insertions.
 */
function foldWhitespace(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = []
  let i = 0
  while (i < parts.length) {
    if (parts[i].op === 0) {
      out.push(parts[i++])
      continue
    }
    // Collect a run of changes, swallowing whitespace-only equalities that sit between changes.
    const del: string[] = []
    const ins: string[] = []
    while (i < parts.length) {
      const p = parts[i]
      if (p.op === -1) del.push(p.text)
      else if (p.op === 1) ins.push(p.text)
      else if (/^\s+$/.test(p.text) && i + 1 < parts.length && parts[i + 1].op !== 0) {
        del.push(p.text)
        ins.push(p.text)
      } else break
      i++
    }
    if (del.length) out.push({ op: -1, text: del.join('') })
    if (ins.length) out.push({ op: 1, text: ins.join('') })
  }
  return merge(out)
}

// fast-diff's cost grows with (tokens of a) x (tokens of b) when the texts differ a lot: about 1 s at
// 4k x 4k here. Above this product the middle is diffed by lines first and only small changed line runs
// are refined by words, so a diff never stalls the webview. Lines get a larger budget: texts with that
// many lines are long documents, where a coarse diff beats none.
const MAX_PRODUCT = 2_500_000
const MAX_LINE_PRODUCT = 10_000_000

/** Diff two token lists through one code unit per distinct token; undefined when they do not fit. */
function diffTokens(ta: string[], tb: string[]): DiffPart[] | undefined {
  const codes = new Map<string, string>()
  const vocab: string[] = []
  const encode = (tokens: string[]): string | undefined => {
    let s = ''
    for (const t of tokens) {
      let c = codes.get(t)
      if (c === undefined) {
        if (vocab.length >= MAX_TOKENS) return undefined
        c = unitFor(vocab.length)
        codes.set(t, c)
        vocab.push(t)
      }
      s += c
    }
    return s
  }
  const ea = encode(ta)
  const eb = ea === undefined ? undefined : encode(tb)
  if (ea === undefined || eb === undefined) return undefined
  const decode = (s: string): string => {
    let out = ''
    for (let i = 0; i < s.length; i++) {
      const code = s.charCodeAt(i)
      out += vocab[code >= 0xe000 ? code - 0xe000 : code + 0x2000]
    }
    return out
  }
  return fastDiff(ea, eb).map(([op, text]) => ({ op, text: decode(text) }))
}

const replace = (a: string, b: string): DiffPart[] => [
  { op: -1, text: a },
  { op: 1, text: b },
]

function diffWords(ta: string[], tb: string[]): DiffPart[] {
  if (ta.length * tb.length <= MAX_PRODUCT) {
    const d = diffTokens(ta, tb)
    if (d) return d
  }
  return replace(ta.join(''), tb.join(''))
}

const lines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? []

/** Lines first, then words inside each changed run of lines that is small enough. */
function diffLines(a: string, b: string): DiffPart[] {
  const la = lines(a)
  const lb = lines(b)
  const coarse = la.length * lb.length <= MAX_LINE_PRODUCT ? diffTokens(la, lb) : undefined
  if (!coarse) return replace(a, b)
  const out: DiffPart[] = []
  for (let i = 0; i < coarse.length; i++) {
    const p = coarse[i]
    const q = coarse[i + 1]
    if (p.op === -1 && q?.op === 1) {
      out.push(...diffWords(tokenize(p.text), tokenize(q.text)))
      i++
    } else out.push(p)
  }
  return out
}

/**
 * Word diff of `a` (before) and `b` (after). Concatenating the parts with op 0 and -1 gives `a`; with
 * op 0 and 1 gives `b`. Adjacent parts always differ in op.
 */
export function wordDiff(a: string, b: string): DiffPart[] {
  if (a === b) return a ? [{ op: 0, text: a }] : []
  const ta = tokenize(a)
  const tb = tokenize(b)
  // Common ends first: an edit is usually local, and the rest need not be diffed at all.
  let pre = 0
  while (pre < ta.length && pre < tb.length && ta[pre] === tb[pre]) pre++
  let suf = 0
  while (suf < ta.length - pre && suf < tb.length - pre && ta[ta.length - 1 - suf] === tb[tb.length - 1 - suf]) suf++
  const ma = ta.slice(pre, ta.length - suf)
  const mb = tb.slice(pre, tb.length - suf)
  const middle = ma.length * mb.length <= MAX_PRODUCT ? diffWords(ma, mb) : diffLines(ma.join(''), mb.join(''))
  const parts = [{ op: 0 as const, text: ta.slice(0, pre).join('') }, ...middle, { op: 0 as const, text: ta.slice(ta.length - suf).join('') }]
  return foldWhitespace(merge(parts))
}
