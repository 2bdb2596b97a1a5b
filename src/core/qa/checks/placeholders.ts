/**
 * Template placeholders ({name}, {{x}}, {0}, %s, %(name)d, %1$s, $VAR, ${VAR}) are code, not prose: each must
 * appear in the translation exactly as often as in the source. Read from the prose with code, URLs and
 * e-mail addresses blanked out, so code is left to the code check. `50%` or `$5` are not placeholders.
 */
import type { PairContext } from '../context'
import type { Token } from '../text'

const PLACEHOLDER_RE =
  /\{\{\s*[\w.\-]+\s*\}\}|\{[A-Za-z_]?[\w.\-]*(?::[^{}\s]*)?\}|(?<![\d\w%])%(?:\(\w+\))?(?:\d+\$)?[-+#0]?\d*(?:\.\d+)?[sdifuxXeEgGcr](?![\p{L}])|\$\{[A-Za-z_]\w*\}|\$[A-Z_][A-Z0-9_]*(?![\p{L}])/gu

const PERCENT_NEXT = '(0123456789-+#.sdifuxXeEgGcr'

function hasPercentPlaceholder(text: string): boolean {
  for (let i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
    if (i + 1 < text.length && PERCENT_NEXT.indexOf(text[i + 1]) >= 0) return true
  }
  return false
}

export function findPlaceholders(text: string): Token[] {
  const out: Token[] = []
  // every placeholder starts with { or $, or with % followed by one of the characters that may come next
  // ("50% of" and "50 %" have none, and they are most of the % signs)
  if (text.indexOf('{') < 0 && text.indexOf('$') < 0 && !hasPercentPlaceholder(text)) return out
  PLACEHOLDER_RE.lastIndex = 0
  for (let m = PLACEHOLDER_RE.exec(text); m; m = PLACEHOLDER_RE.exec(text)) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length })
  }
  return out
}

export function checkPlaceholders(ctx: PairContext): void {
  const src = findPlaceholders(ctx.src.plain)
  const tgt = findPlaceholders(ctx.tgt.plain)
  if (src.length === 0 && tgt.length === 0) return
  const left = tgt.map((t) => t.text)
  for (const s of src) {
    const i = left.indexOf(s.text)
    if (i >= 0) left[i] = '\u0000'
    else ctx.flag('placeholders', `The placeholder "${s.text}" is missing or changed in the translation.`, s, 'source')
  }
  tgt.forEach((t, i) => {
    if (left[i] !== '\u0000') ctx.flag('placeholders', `The translation has the placeholder "${t.text}", which the source does not have (or not as often).`, t, 'target')
  })
}
