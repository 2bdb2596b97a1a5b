import { runQa, withOverrides, type CheckName, type Flag, type QaConfig, type QaRuntime } from '../../../src/core/qa/index'

/** Flags of one check for a pair, with optional config overrides. */
export function flagsOf(check: CheckName, source: string, target: string, overrides: Parameters<typeof withOverrides>[0] = {}, runtime: QaRuntime = {}): Flag[] {
  const config: QaConfig = withOverrides(overrides)
  return runQa({ address: 'messages/1/content', source, target }, config, runtime).filter((f) => f.check === check)
}

/** A seeded random text for the fuzz tests: `min` + up to `span - 1` pieces drawn from `pieces`. */
export function randomPieces(next: () => number, pieces: readonly string[], min: number, span: number): string {
  let text = ''
  const n = min + Math.floor(next() * span)
  for (let k = 0; k < n; k++) text += pieces[Math.floor(next() * pieces.length)]
  return text
}
