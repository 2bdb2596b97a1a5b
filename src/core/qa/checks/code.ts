/**
 * Code is not translated (the segmenter never sends it to ALMA), so fenced blocks and inline code must come
 * through unchanged. With `allowTranslatedComments`, blocks are compared with comments removed, using the
 * comment syntax of the block's language (or `#` and `//` when it is unknown); strings stay significant.
 */
import type { PairContext } from '../context'
import { clip } from '../text'

const HASH = new Set(['python', 'py', 'bash', 'sh', 'shell', 'zsh', 'ruby', 'rb', 'yaml', 'yml', 'r', 'perl', 'toml', 'powershell', 'ps1', 'dockerfile', 'makefile', 'make', 'conf', 'ini'])
const SLASH = new Set(['js', 'javascript', 'ts', 'typescript', 'jsx', 'tsx', 'java', 'c', 'cpp', 'c++', 'cs', 'csharp', 'go', 'rust', 'rs', 'kotlin', 'kt', 'swift', 'scala', 'php', 'dart', 'json5', 'css', 'scss', 'less', 'groovy', 'solidity', 'objc'])
const DASH = new Set(['sql', 'lua', 'haskell', 'hs', 'elm', 'ada'])
const MARKUP = new Set(['html', 'xml', 'svg', 'vue', 'markdown', 'md'])

const HASH_COMMENT = /(^|[ \t])#(?![!{\[]).*$/gm
const SLASH_COMMENT = /(^|[ \t;{}(),])\/\/.*$/gm
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g
const DASH_COMMENT = /(^|[ \t])--.*$/gm
const MARKUP_COMMENT = /<!--[\s\S]*?-->/g
const PY_DOCSTRING = /("""|''')[\s\S]*?\1/g
const WS = /\s+/g

/** The code with comments of `lang` removed and white space collapsed. */
export function stripComments(code: string, lang: string): string {
  let c = code
  const known = HASH.has(lang) || SLASH.has(lang) || DASH.has(lang) || MARKUP.has(lang)
  if (MARKUP.has(lang) || !known) c = c.replace(MARKUP_COMMENT, ' ')
  if (SLASH.has(lang) || !known) c = c.replace(BLOCK_COMMENT, ' ').replace(SLASH_COMMENT, '$1')
  if (HASH.has(lang) || !known) c = c.replace(HASH_COMMENT, '$1')
  if (lang === 'python' || lang === 'py') c = c.replace(PY_DOCSTRING, '""')
  if (DASH.has(lang)) c = c.replace(DASH_COMMENT, '$1')
  return c.replace(WS, ' ').trim()
}

/** First line where the two bodies differ, for the message. */
function firstDiff(a: string, b: string): [string, string] {
  const al = a.split('\n')
  const bl = b.split('\n')
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if ((al[i] ?? '').trim() !== (bl[i] ?? '').trim()) return [al[i] ?? '', bl[i] ?? '']
  }
  return [a, b]
}

export function checkCode(ctx: PairContext): void {
  const s = ctx.src
  const t = ctx.tgt
  const sb = s.codeBlocks
  const tb = t.codeBlocks
  const allowComments = ctx.config.code.allowTranslatedComments
  const n = Math.min(sb.length, tb.length)
  for (let i = 0; i < n; i++) {
    const a = s.text.slice(sb[i].bodyStart, sb[i].bodyEnd)
    const b = t.text.slice(tb[i].bodyStart, tb[i].bodyEnd)
    if (a === b || a.trim() === b.trim()) continue
    const lang = sb[i].lang || tb[i].lang
    if (allowComments && stripComments(a, lang) === stripComments(b, lang)) continue
    const [la, lb] = firstDiff(a, b)
    const what = lb.trim() === '' ? `the line "${clip(la.trim())}" is missing` : `"${clip(la.trim())}" became "${clip(lb.trim())}"`
    ctx.flag('code', `Code block ${i + 1} was changed in the translation: ${what}.`, { start: tb[i].bodyStart, end: tb[i].bodyEnd }, 'target')
  }
  for (let i = n; i < sb.length; i++) {
    const first = s.text.slice(sb[i].bodyStart, sb[i].bodyEnd).trim().split('\n')[0] ?? ''
    ctx.flag('code', `Code block ${i + 1} (starting "${clip(first)}") is missing in the translation.`, { start: sb[i].start, end: sb[i].end }, 'source')
  }
  for (let i = n; i < tb.length; i++) {
    ctx.flag('code', `The translation has a code block ${i + 1} that the source does not have.`, { start: tb[i].start, end: tb[i].end }, 'target')
  }
  const si = s.inlineCode
  const ti = t.inlineCode
  if (si.length === 0 && ti.length === 0) return
  const left = ti.map((x) => x.code)
  for (const x of si) {
    const j = left.indexOf(x.code)
    if (j >= 0) left[j] = '\u0000'
    else if (!t.prose.includes(x.code) && !t.text.includes(x.code)) {
      ctx.flag('code', `The inline code \`${clip(x.code)}\` is missing or changed in the translation.`, x, 'source')
    }
  }
}
