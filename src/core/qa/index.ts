/** Automatic translation QA: rule checks, language id, optional semantic similarity. No vscode imports. */
export { runQa, runQaAsync, qaRecord, qaRecordAsync, configAtLeast } from './engine'
export { parseQaConfig, defaultQaConfig, withOverrides, DEFAULT_QA_CONFIG } from './config'
export type { QaConfig, CheckSettings, ParsedQaConfig } from './config'
export { loadFastTextLanguageId, loadLanguageId, stopwordLanguageId } from './langid'
export { cosine, checkSimilarity } from './checks/similarity'
export { CHECK_NAMES } from './types'
export type { CheckName, Flag, Severity, Span, QaPair, QaUnit, QaRuntime, LanguageIdentifier, LanguageGuess, SimilarityProvider } from './types'
