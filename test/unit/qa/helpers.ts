import { runQa, withOverrides, type CheckName, type Flag, type QaConfig, type QaRuntime } from '../../../src/core/qa/index'

/** Flags of one check for a pair, with optional config overrides. */
export function flagsOf(check: CheckName, source: string, target: string, overrides: Parameters<typeof withOverrides>[0] = {}, runtime: QaRuntime = {}): Flag[] {
  const config: QaConfig = withOverrides(overrides)
  return runQa({ address: 'messages/1/content', source, target }, config, runtime).filter((f) => f.check === check)
}
