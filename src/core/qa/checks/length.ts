/**
 * Length ratio target/source in characters of prose (code excluded, since it is copied as is). German runs
 * about 1.1-1.3× English; the band (default 0.7-2.0) only catches what is clearly out of proportion. Very
 * short sources are skipped and the band widens for short ones, because their ratios swing widely.
 */
import type { PairContext } from '../context'

const SHORT_TEXT_SLACK = 30

/** Target/source ratio of non-code characters (white space included: it scales with the text). */
export function lengthRatio(ctx: PairContext): { ratio: number; sourceChars: number } {
  const a = ctx.src.proseChars
  const b = ctx.tgt.proseChars
  return { ratio: a === 0 ? (b === 0 ? 1 : Infinity) : b / a, sourceChars: a }
}

export function checkLengthRatio(ctx: PairContext): void {
  const cfg = ctx.config['length-ratio']
  const { ratio, sourceChars } = lengthRatio(ctx)
  if (sourceChars < cfg.minSourceChars) return
  // ratios of short texts swing widely: the band widens by a factor 1 + 30/length (×1.5 at 60 chars, ×1.03 at 1000)
  const widen = 1 + SHORT_TEXT_SLACK / sourceChars
  const min = cfg.min / widen
  const max = cfg.max * widen
  if (ratio >= min && ratio <= max) return
  const band = `${min.toFixed(2)}-${max.toFixed(2)}×`
  if (ratio < min) {
    ctx.flag('length-ratio', `The translation is only ${ratio.toFixed(2)}× as long as the source (expected ${band}); something may be left out.`)
  } else if (ratio > max) {
    ctx.flag('length-ratio', `The translation is ${ratio.toFixed(2)}× as long as the source (expected ${band}); something may be added or repeated.`)
  }
}
