/**
 * Prompt leakage: parts of the ALMA prompt ("Translate this from English to German:", "English:", "German:")
 * echoed in the output. Labels count only at a line or sentence start and only beyond what the source itself contains
 * (a vocabulary list may legitimately say "English: dog").
 */
import type { PairContext } from '../context'
import { includesFolded } from '../wasm/text-scan'

const INSTRUCTION = /Translate (?:this|the following)(?: text)? from English (?:in)?to German|Übersetze (?:dies|das|den folgenden Text) (?:vom|aus dem) Englischen ins Deutsche/gi
const LABEL_BEFORE = /(?:^|\n|[.!?])[ \t]*$/

const LABEL_WORDS = ['English', 'German', 'Englisch', 'Deutsch']

/**
 * The label word that ends just before the colon at `colon` (spaces and tabs between), as the regex
 * /(English|German|Englisch|Deutsch)[ \t]*:/g would match it. Reading back from each colon finds the same
 * matches as the regex: no label word ends in another's ending, and a match cannot span a colon.
 */
function labelBefore(text: string, colon: number): { w: string; at: number } | undefined {
  let e = colon
  while (e > 0 && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--
  for (const w of LABEL_WORDS) if (e >= w.length && text.startsWith(w, e - w.length)) return { w, at: e - w.length }
  return undefined
}

function labels(text: string): { en: number; de: number; first: Map<string, number> } {
  let en = 0
  let de = 0
  const first = new Map<string, number>()
  // colons are rare in prose: start from them instead of trying the label words at every character
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    const m = labelBefore(text, colon)
    if (!m) continue
    const { w, at } = m
    // only at a line or sentence start
    if (!LABEL_BEFORE.test(text.slice(Math.max(0, at - 8), at))) continue
    if (w === 'English' || w === 'Englisch') en++
    else de++
    if (!first.has(w)) first.set(w, at)
  }
  return { en, de, first }
}

export function checkPromptLeakage(ctx: PairContext): void {
  const t = ctx.tgt.prose
  if (t.indexOf(':') < 0) return
  // both instructions name the source language ("English", "Englischen"): a case-insensitive regex scan
  // costs more than the rest of this check, so it runs only where "ngl" occurs in any case
  INSTRUCTION.lastIndex = 0
  const ins = includesFolded(t, 'ngl') === false ? null : INSTRUCTION.exec(t)
  if (ins) {
    INSTRUCTION.lastIndex = 0
    if (!INSTRUCTION.test(ctx.src.prose)) {
      ctx.flag('prompt-leakage', `The translation contains the prompt instruction "${ins[0]}".`, { start: ins.index, end: ins.index + ins[0].length }, 'target')
      return
    }
  }
  const b = labels(t)
  if (b.en + b.de === 0) return
  const a = labels(ctx.src.prose)
  const extraEn = b.en > a.en
  const extraDe = b.de > a.de
  if (!extraEn && !extraDe) return
  for (const [w, at] of b.first) {
    const isEn = w === 'English' || w === 'Englisch'
    if ((isEn && extraEn) || (!isEn && extraDe)) {
      ctx.flag('prompt-leakage', `The translation contains the prompt label "${w}:", which the model echoed from its prompt.`, { start: at, end: at + w.length + 1 }, 'target')
      return
    }
  }
}
