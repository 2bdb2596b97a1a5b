import type { QaConfig } from './config'
import { TextView } from './text'
import type { CheckName, Flag, LanguageIdentifier, Span } from './types'

/** What a check sees: both texts' views, the config, and a way to add a flag. */
export class PairContext {
  readonly src: TextView
  readonly tgt: TextView
  readonly flags: Flag[] = []

  constructor(
    readonly address: string,
    source: string,
    target: string,
    readonly config: QaConfig,
    readonly languageId?: LanguageIdentifier,
  ) {
    this.src = new TextView(source)
    this.tgt = new TextView(target)
  }

  flag(check: CheckName, message: string, span?: Span, spanIn?: 'source' | 'target'): void {
    const f: Flag = { address: this.address, check, severity: this.config[check].severity, message }
    if (span) {
      f.span = { start: span.start, end: span.end }
      f.spanIn = spanIn ?? 'target'
    }
    this.flags.push(f)
  }

  has(check: CheckName): boolean {
    for (const f of this.flags) if (f.check === check) return true
    return false
  }
}

export type RuleCheck = (ctx: PairContext) => void
