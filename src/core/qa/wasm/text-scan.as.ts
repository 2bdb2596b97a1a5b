// AssemblyScript entry (scripts/build-wasm.mjs compiles it into text-scan.wasm.ts): the WebAssembly passes
// over a pair's texts that the QA views and checks ask first (text-scan.ts loads it).

export { includesFolded } from './folded.as'
export { tailRepeats } from './repetition.as'
export { numbersAgree, numberTokens } from './numbers.as'
export { entityCandidates, entityNameCount } from './entities.as'
export { bracketBalance, bracketQuotes, bracketLastQuote } from './brackets.as'
export { addHintWord, clearHintWords, nextHintWord } from './hints.as'

/** Where free memory starts (after the month names): the caller's texts and scratch go from here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15
}
