/**
 * Builds prompts and answers from the template bank. Every random choice is made the same way whatever the
 * language, so the English and the German rendering of one row have the same structure, turn by turn.
 * Rule for this file: never call the random stream inside a branch on the language.
 */
import * as C from './bank-common'
import { TOPICS, type Pair, type Topic } from './bank-topics'
import type { Rng } from './rng'
import { compile, compileAll, Renderer, type Lang, type Template } from './slots'

interface CompiledTopic {
  name: Pair
  q: Template[]
  s: Template[]
  items: Template[]
  code: readonly string[]
}

const topics: CompiledTopic[] = TOPICS.map((t: Topic) => ({
  name: t.name,
  q: compileAll(t.q),
  s: compileAll(t.s),
  items: compileAll(t.items),
  code: t.code ?? C.ANY_CODE,
}))

const T = {
  openers: compileAll(C.OPENERS),
  closers: compileAll(C.CLOSERS),
  generic: compileAll(C.GENERIC),
  headings: compileAll(C.HEADINGS),
  listIntros: compileAll(C.LIST_INTROS),
  codeIntros: compileAll(C.CODE_INTROS),
  codeOutros: compileAll(C.CODE_OUTROS),
  inlineCode: compileAll(C.INLINE_CODE),
  urls: compileAll(C.URL_SENTENCES),
  prefixes: compileAll(C.PROMPT_PREFIXES),
  suffixes: compileAll(C.PROMPT_SUFFIXES),
  followUps: compileAll(C.FOLLOW_UPS),
  weak: compileAll(C.WEAK_ANSWERS),
  codePrompt: compile(['Here is my code:', 'Hier ist mein Code:']),
  codeAsks: compileAll([
    ['Can you explain what it does?', 'Können Sie erklären, was er macht?'],
    ['How can I make it faster?', 'Wie kann ich ihn schneller machen?'],
    ['Is there a simpler way to write this?', 'Lässt sich das einfacher schreiben?'],
  ]),
  uniqueSuffix: compile(['(Question {i})', '(Frage {i})']),
}

export type LengthClass = 'short' | 'medium' | 'long'

/** One row's composer: its topic, its random stream and the language it writes in. */
export class Composer {
  private readonly topic: CompiledTopic
  private readonly r: Renderer

  constructor(
    readonly rng: Rng,
    readonly lang: Lang,
  ) {
    this.topic = rng.pick(topics)
    this.r = new Renderer(rng, lang, this.topic.name)
  }

  /** A user prompt in both languages: [English, German]. */
  prompt(): [string, string] {
    const rng = this.rng
    const parts: [string, string][] = []
    if (rng.chance(0.08)) {
      // A question about a piece of code: multi-line, with a fenced block that must survive translation.
      const lang = rng.pick(this.topic.code)
      const code = rng.pick(C.CODE[lang])
      const intro = this.r.both(T.codePrompt)
      const ask = this.r.both(rng.pick(T.codeAsks))
      const block = '```' + lang + '\n' + code + '\n```'
      return [`${intro[0]}\n\n${block}\n\n${ask[0]}`, `${intro[1]}\n\n${block}\n\n${ask[1]}`]
    }
    if (rng.chance(0.3)) parts.push(this.r.both(rng.pick(T.prefixes)))
    parts.push(this.r.both(rng.pick(this.topic.q)))
    if (rng.chance(0.3)) parts.push(this.r.both(rng.pick(T.suffixes)))
    return [parts.map((p) => p[0]).join(' '), parts.map((p) => p[1]).join(' ')]
  }

  /** Makes a prompt that collided with an earlier one unique, in both languages alike. */
  static disambiguate(prompt: [string, string], index: number): [string, string] {
    return [`${prompt[0]} ${T.uniqueSuffix.en[0]}${index + 1}${T.uniqueSuffix.en[2]}`, `${prompt[1]} ${T.uniqueSuffix.de[0]}${index + 1}${T.uniqueSuffix.de[2]}`]
  }

  followUp(): string {
    return this.r.one(this.rng.pick(T.followUps))
  }

  lengthClass(weights: readonly [number, number, number] = [3, 5, 2]): LengthClass {
    return (['short', 'medium', 'long'] as const)[this.rng.weighted(weights)]
  }

  /** An assistant answer of the given length: paragraphs, lists, code, headings, the odd URL. */
  answer(length: LengthClass): string {
    const rng = this.rng
    if (length === 'short') return this.paragraph(rng.int(1, 3))
    const blocks: string[] = []
    if (rng.chance(0.4)) blocks.push(this.r.one(rng.pick(T.openers)))
    const count = length === 'medium' ? rng.int(2, 4) : rng.int(5, 20)
    const headed = length === 'long' && rng.chance(0.5)
    for (let i = 0; i < count; i++) {
      if (headed && i % 3 === 0) blocks.push(this.r.one(rng.pick(T.headings)))
      const kind = rng.weighted([6, 1.2, 1, 0.8, 0.6])
      if (kind === 0) blocks.push(this.paragraph(rng.int(2, 6)))
      else if (kind === 1) blocks.push(this.list(false))
      else if (kind === 2) blocks.push(this.list(true))
      else if (kind === 3) blocks.push(this.code())
      else blocks.push(this.paragraph(rng.int(1, 3)) + ' ' + this.r.one(rng.pick(T.inlineCode)))
    }
    if (rng.chance(0.08)) blocks.push(this.r.one(rng.pick(T.urls)))
    if (rng.chance(0.4)) blocks.push(this.r.one(rng.pick(T.closers)))
    return blocks.join('\n\n')
  }

  /** A weak answer for the rejected side of a preference pair. */
  weakAnswer(): string {
    const rng = this.rng
    if (rng.chance(0.5)) return this.r.one(rng.pick(T.weak))
    return this.paragraph(rng.int(1, 2)) + ' ' + this.r.one(rng.pick(T.weak))
  }

  private paragraph(sentences: number): string {
    const rng = this.rng
    const out: string[] = []
    const used = new Set<Template>()
    for (let i = 0; i < sentences; i++) {
      // A sentence already in this paragraph is redrawn (a couple of times) so paragraphs do not stutter.
      let t = rng.chance(0.75) ? rng.pick(this.topic.s) : rng.pick(T.generic)
      for (let k = 0; k < 3 && used.has(t); k++) t = rng.chance(0.75) ? rng.pick(this.topic.s) : rng.pick(T.generic)
      if (used.has(t)) continue
      used.add(t)
      out.push(this.r.one(t))
    }
    return out.join(' ')
  }

  private list(numbered: boolean): string {
    const rng = this.rng
    const intro = this.r.one(rng.pick(T.listIntros))
    // Numbered lists read as steps (whole sentences), bullets as items.
    const source = numbered ? this.topic.s : this.topic.items
    const picked = rng.sample(source, rng.int(3, 5))
    const lines = picked.map((t, i) => (numbered ? `${i + 1}. ` : '- ') + this.r.one(t))
    return intro + '\n' + lines.join('\n')
  }

  private code(): string {
    const rng = this.rng
    const lang = rng.pick(this.topic.code)
    const code = rng.pick(C.CODE[lang])
    const parts = [this.r.one(rng.pick(T.codeIntros)), '```' + lang + '\n' + code + '\n```']
    if (rng.chance(0.5)) parts.push(this.r.one(rng.pick(T.codeOutros)))
    return parts.join('\n\n')
  }
}

export { C as bank }
