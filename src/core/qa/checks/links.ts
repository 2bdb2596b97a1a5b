/** URLs and e-mail addresses must come through character for character; invented ones are flagged too. */
import type { PairContext } from '../context'
import { clip, type Token } from '../text'

function compare(ctx: PairContext, check: 'urls' | 'emails', src: Token[], tgt: Token[], noun: string): void {
  if (src.length === 0 && tgt.length === 0) return
  const left = tgt.map((t) => t.text)
  for (const s of src) {
    const i = left.indexOf(s.text)
    if (i >= 0) left[i] = '\u0000'
    else ctx.flag(check, `The ${noun} "${clip(s.text, 80)}" from the source is missing or changed in the translation.`, s, 'source')
  }
  const srcTexts = src.map((s) => s.text)
  tgt.forEach((t, i) => {
    if (left[i] !== '\u0000' && !srcTexts.includes(t.text)) {
      ctx.flag(check, `The translation contains the ${noun} "${clip(t.text, 80)}", which is not in the source.`, t, 'target')
    }
  })
}

export function checkUrls(ctx: PairContext): void {
  compare(ctx, 'urls', ctx.src.urls, ctx.tgt.urls, 'URL')
}

export function checkEmails(ctx: PairContext): void {
  compare(ctx, 'emails', ctx.src.emails, ctx.tgt.emails, 'e-mail address')
}
