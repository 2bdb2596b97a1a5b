import type { Pair } from './bank-topics'
import type { Rng } from './rng'

export type Lang = 'en' | 'de'

/**
 * A parallel template split once into literal text and slots. Both languages share the slot values, drawn in
 * the order the English text names them, so rendering either language consumes the random stream the same way.
 */
export interface Template {
  en: readonly string[]
  de: readonly string[]
  /** Distinct slot names, in order of first use in the English text. */
  slots: readonly string[]
}

const SLOT = /\{(\w+)\}/

function split(text: string): string[] {
  // String.split with a capture group alternates literal, slot name, literal …
  return text.split(new RegExp(SLOT.source, 'g'))
}

export function compile(pair: Pair): Template {
  const en = split(pair[0])
  const de = split(pair[1])
  const slots: string[] = []
  for (let i = 1; i < en.length; i += 2) if (!slots.includes(en[i])) slots.push(en[i])
  return { en, de, slots }
}

export function compileAll(pairs: readonly Pair[]): Template[] {
  return pairs.map(compile)
}

/** Slot names a template text uses, for checking that both languages agree. */
export function slotNames(text: string): string[] {
  return split(text).filter((_, i) => i % 2 === 1).sort()
}

const MONTHS: Record<Lang, readonly string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
}

export const SLOT_KINDS = ['n', 'm', 'p', 'k', 'd', 'y', 'date', 'c', 'topic'] as const

/** Draws one slot value. `topic` is not drawn: the caller supplies it. */
function draw(rng: Rng, slot: string): number {
  switch (slot) {
    case 'n':
      return rng.int(2, 12)
    case 'm':
      return rng.int(15, 95)
    case 'p':
      return rng.int(1, 19) * 5
    case 'k':
      return rng.int(20, 1999) * 50
    case 'd':
      return rng.int(15, 95)
    case 'y':
      return rng.int(1850, 2023)
    case 'date':
      return rng.int(1950, 2023) * 10000 + rng.int(1, 12) * 100 + rng.int(1, 28)
    case 'c':
      return rng.int(15, 25) * 10
    default:
      throw new Error(`unknown template slot {${slot}}`)
  }
}

function group(n: number, sep: string): string {
  const s = String(n)
  let out = ''
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += sep
    out += s[i]
  }
  return out
}

function format(slot: string, v: number, lang: Lang): string {
  const de = lang === 'de'
  switch (slot) {
    case 'p':
      return de ? `${v} %` : `${v}%`
    case 'k':
      return group(v, de ? '.' : ',')
    case 'd': {
      const s = `${Math.floor(v / 10)}${de ? ',' : '.'}${v % 10}`
      return s
    }
    case 'date': {
      const y = Math.floor(v / 10000)
      const mo = Math.floor(v / 100) % 100
      const d = v % 100
      return de ? `${d}. ${MONTHS.de[mo - 1]} ${y}` : `${MONTHS.en[mo - 1]} ${d}, ${y}`
    }
    case 'c':
      return `${v} °C`
    default:
      return String(v)
  }
}

/** Renders templates for one row: slot values come from the row's random stream, the topic name from its topic. */
export class Renderer {
  constructor(
    private readonly rng: Rng,
    readonly lang: Lang,
    private readonly topic: Pair,
  ) {}

  private values(t: Template): number[] {
    return t.slots.map((s) => (s === 'topic' ? 0 : draw(this.rng, s)))
  }

  private fill(parts: readonly string[], t: Template, values: number[], lang: Lang): string {
    if (parts.length === 1) return parts[0]
    let out = parts[0]
    for (let i = 1; i < parts.length; i += 2) {
      const slot = parts[i]
      out += slot === 'topic' ? this.topic[lang === 'en' ? 0 : 1] : format(slot, values[t.slots.indexOf(slot)], lang)
      out += parts[i + 1]
    }
    return out
  }

  /** The template in this renderer's language. */
  one(t: Template): string {
    const v = this.values(t)
    return this.fill(this.lang === 'en' ? t.en : t.de, t, v, this.lang)
  }

  /** Both languages with the same values (for prompts, whose English text gives the prompt_id). */
  both(t: Template): [string, string] {
    const v = this.values(t)
    return [this.fill(t.en, t, v, 'en'), this.fill(t.de, t, v, 'de')]
  }
}
