/**
 * Views of one text that several checks share, computed lazily and at most once per text: code regions,
 * the prose with code masked, the prose with URLs and e-mail addresses masked too. Masks replace characters
 * with spaces (a masked code block becomes one blank stretch), so offsets in every view are offsets in the
 * original text.
 */

export interface CodeBlock {
  /** Offsets of the whole block including the fences. */
  start: number
  end: number
  /** Offsets of the body between the fence lines. */
  bodyStart: number
  bodyEnd: number
  /** Info string after the opening fence (`python`, `js`, …), lower-cased. */
  lang: string
}

export interface InlineCode {
  start: number
  end: number
  /** The code between the backticks. */
  code: string
}

export interface Token {
  text: string
  start: number
  end: number
}

export const URL_RE = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`\]\u201c\u201d\u201e]+/gi
export const EMAIL_RE = /\b[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g
const TRAILING_URL_PUNCT = /[.,;:!?)\]}]+$/

interface Range {
  start: number
  end: number
}

/** Two lists of ranges, each sorted by start, as one sorted list (ties: `a` first, as a stable sort). */
function merged(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i].start <= b[j].start) ? a[i++] : b[j++])
  return out
}

/** A run of spaces to slice masks from (slices of it share its characters). */
let spaces = ' '.repeat(1024)

function blank(n: number): string {
  while (spaces.length < n) spaces += spaces
  return spaces.slice(0, n)
}

function mask(text: string, ranges: readonly Range[]): string {
  if (ranges.length === 0) return text
  // joined from parts, the result is one flat string: built by +=, it was a tree of pieces that every later
  // scan first had to copy into one string
  const parts: string[] = []
  let at = 0
  for (const r of ranges) {
    if (r.start < at) continue
    parts.push(text.slice(at, r.start), blank(r.end - r.start))
    at = r.end
  }
  parts.push(text.slice(at))
  return parts.join('')
}

/**
 * Spans the regex /`([^`\n]+)`/g would find in text[from, to), by jumping from backtick to backtick: a span
 * is a backtick, one or more characters without a backtick or newline, and the closing backtick; where that
 * fails, the search goes on at the next backtick.
 */
function findInlineCode(t: string, from: number, to: number, out: InlineCode[]): void {
  let i = t.indexOf('`', from)
  while (i >= 0 && i < to) {
    const j = t.indexOf('`', i + 1)
    if (j < 0 || j >= to) return
    let ok = j > i + 1
    for (let k = i + 1; ok && k < j; k++) if (t.charCodeAt(k) === 10) ok = false
    if (ok) {
      out.push({ start: i, end: j + 1, code: t.slice(i + 1, j) })
      i = t.indexOf('`', j + 1)
    } else i = j
  }
}

/** Whether `text` has "ww" in any case right before an occurrence of `end` (a w and a full stop). */
function wwBefore(text: string, end: string): boolean {
  for (let i = text.indexOf(end, 2); i >= 0; i = text.indexOf(end, i + 1)) {
    if ((text.charCodeAt(i - 1) | 32) === 119 && (text.charCodeAt(i - 2) | 32) === 119) return true
  }
  return false
}

/**
 * Whether "www." occurs in `text` in any case, as URL_RE (i flag) reads it ("WWW.BEISPIEL.DE" too). Every
 * spelling ends in "w." or "W.", which are rare, so those are searched for and the rest checked by hand.
 */
function hasWwwDot(text: string): boolean {
  return wwBefore(text, 'w.') || wwBefore(text, 'W.')
}

/** URLs in `text`, without the sentence punctuation that often follows them. */
export function findUrls(text: string): Token[] {
  const out: Token[] = []
  if (text.indexOf('://') < 0 && !hasWwwDot(text)) return out
  URL_RE.lastIndex = 0
  for (let m = URL_RE.exec(text); m; m = URL_RE.exec(text)) {
    let t = m[0]
    // keep a closing parenthesis that belongs to the URL (wikipedia-style), drop one that closes prose
    const trail = TRAILING_URL_PUNCT.exec(t)
    if (trail) {
      let cut = trail[0]
      if (cut.startsWith(')') && t.slice(0, -cut.length).includes('(')) cut = cut.slice(1)
      t = t.slice(0, t.length - cut.length)
    }
    out.push({ text: t, start: m.index, end: m.index + t.length })
  }
  return out
}

export function findEmails(text: string): Token[] {
  const out: Token[] = []
  if (text.indexOf('@') < 0) return out
  EMAIL_RE.lastIndex = 0
  for (let m = EMAIL_RE.exec(text); m; m = EMAIL_RE.exec(text)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length })
  return out
}

/** Fenced code blocks (``` or ~~~, up to 3 spaces indent). An unclosed fence runs to the end of the text. */
export function findCodeBlocks(text: string): CodeBlock[] {
  const out: CodeBlock[] = []
  // only lines holding ``` or ~~~ can be fences: jump from one occurrence to the next instead of reading
  // every line (a fence line's first ``` / ~~~ is its first non-blank character, at most 3 spaces in)
  let nextTick = text.indexOf('```')
  let nextTilde = text.indexOf('~~~')
  if (nextTick < 0 && nextTilde < 0) return out
  let open: { start: number; bodyStart: number; fence: string; lang: string } | undefined
  let from = 0
  for (;;) {
    if (nextTick >= 0 && nextTick < from) nextTick = text.indexOf('```', from)
    if (nextTilde >= 0 && nextTilde < from) nextTilde = text.indexOf('~~~', from)
    const pos = nextTick < 0 ? nextTilde : nextTilde < 0 ? nextTick : Math.min(nextTick, nextTilde)
    if (pos < 0) break
    const lineStart = pos === 0 ? 0 : text.lastIndexOf('\n', pos - 1) + 1
    let lineEnd = text.indexOf('\n', pos)
    if (lineEnd < 0) lineEnd = text.length
    let i = lineStart
    while (i < lineEnd && i - lineStart < 3 && text.charCodeAt(i) === 32) i++
    if (i === pos) {
      const c = text[i]
      let j = i
      while (j < lineEnd && text[j] === c) j++
      const fence = text.slice(i, j)
      if (!open) {
        const info = text.slice(j, lineEnd).trim()
        if (c === '~' || !info.includes('`')) {
          open = { start: lineStart, bodyStart: Math.min(lineEnd + 1, text.length), fence, lang: info.split(/\s/)[0].toLowerCase() }
        }
      } else if (fence[0] === open.fence[0] && fence.length >= open.fence.length && text.slice(j, lineEnd).trim() === '') {
        out.push({ start: open.start, end: lineEnd, bodyStart: open.bodyStart, bodyEnd: Math.max(open.bodyStart, lineStart - 1), lang: open.lang })
        open = undefined
      }
    }
    from = lineEnd + 1
    if (from > text.length) break
  }
  if (open) out.push({ start: open.start, end: text.length, bodyStart: open.bodyStart, bodyEnd: text.length, lang: open.lang })
  return out
}

/** Shared, lazily computed views of one text. */
export class TextView {
  private _blocks?: CodeBlock[]
  private _inline?: InlineCode[]
  private _prose?: string
  private _plain?: string
  private _urls?: Token[]
  private _emails?: Token[]
  private _lines?: number
  private _paragraphs?: number

  constructor(readonly text: string) {}

  get codeBlocks(): CodeBlock[] {
    return (this._blocks ??= findCodeBlocks(this.text))
  }

  get inlineCode(): InlineCode[] {
    if (this._inline) return this._inline
    const out: InlineCode[] = []
    if (this.text.indexOf('`') >= 0) {
      // between code blocks only: a block starts a line and ends one, so the newline beside it ends any span
      // that would reach into it (what the regex would find in the text with the blocks blanked out)
      let from = 0
      for (const b of this.codeBlocks) {
        findInlineCode(this.text, from, b.start, out)
        from = b.end
      }
      findInlineCode(this.text, from, this.text.length, out)
    }
    return (this._inline = out)
  }

  /** Characters of the text that are not code. */
  get proseChars(): number {
    let n = this.text.length
    for (const b of this.codeBlocks) n -= b.end - b.start
    for (const c of this.inlineCode) n -= c.end - c.start
    return n
  }

  /** The text with code blocks and inline code blanked out. */
  get prose(): string {
    if (this._prose !== undefined) return this._prose
    const blocks = this.codeBlocks
    const inline = this.inlineCode
    if (blocks.length === 0 && inline.length === 0) return (this._prose = this.text)
    return (this._prose = mask(this.text, inline.length === 0 ? blocks : blocks.length === 0 ? inline : merged(blocks, inline)))
  }

  get urls(): Token[] {
    return (this._urls ??= findUrls(this.prose))
  }

  get emails(): Token[] {
    return (this._emails ??= findEmails(this.prose))
  }

  /** Prose with URLs and e-mail addresses blanked out too: what numbers, names and brackets are read from. */
  get plain(): string {
    if (this._plain !== undefined) return this._plain
    const urls = this.urls
    const emails = this.emails
    if (urls.length === 0 && emails.length === 0) return (this._plain = this.prose)
    return (this._plain = mask(this.prose, emails.length === 0 ? urls : urls.length === 0 ? emails : merged(urls, emails)))
  }

  /** Non-empty lines of the prose (code has its own check, so its lines do not count). */
  get lineCount(): number {
    if (this._lines === undefined) this.countLines()
    return this._lines!
  }

  /** Blocks of non-empty lines separated by blank lines. */
  get paragraphCount(): number {
    if (this._paragraphs === undefined) this.countLines()
    return this._paragraphs!
  }

  private countLines(): void {
    const t = this.text
    const p = this.prose
    let lines = 0
    let paragraphs = 0
    let prevBlank = true
    let start = 0
    while (start <= t.length) {
      let end = t.indexOf('\n', start)
      if (end < 0) end = t.length
      const blankText = isBlank(t, start, end)
      if (blankText) prevBlank = true
      else if (p === t || !isBlank(p, start, end)) {
        lines++
        if (prevBlank) paragraphs++
        prevBlank = false
      }
      // a code line (blank in the prose only) neither counts nor separates paragraphs
      start = end + 1
    }
    this._lines = lines
    this._paragraphs = paragraphs
  }
}

function isBlank(t: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = t.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 13) return false
  }
  return true
}

const SENTENCE_END = /[.!?…]/

/**
 * Bounds of the sentence around `pos` in `text`: from after the previous sentence end (., !, ? followed by
 * white space) or newline, to the next one. Decimal points and abbreviations inside words do not split.
 */
export function sentenceAround(text: string, pos: number): Token {
  let start = pos
  while (start > 0) {
    const c = text[start - 1]
    if (c === '\n') break
    if ((c === ' ' || c === '\t') && start >= 2 && SENTENCE_END.test(text[start - 2])) break
    start--
  }
  let end = pos
  while (end < text.length) {
    const c = text[end]
    if (c === '\n') break
    if (SENTENCE_END.test(c) && (end + 1 === text.length || text[end + 1] === ' ' || text[end + 1] === '\n')) {
      end++
      break
    }
    end++
  }
  while (start < end && text.charCodeAt(start) <= 32) start++
  while (end > start && text.charCodeAt(end - 1) <= 32) end--
  return { text: text.slice(start, end), start, end }
}

/** Shortens a quoted token for a message. */
export function clip(s: string, max = 48): string {
  const one = s.replace(/\s+/g, ' ').trim()
  return one.length <= max ? one : one.slice(0, max - 1).trimEnd() + '…'
}
