/**
 * WebAssembly passes (text-scan.as.ts, AssemblyScript with SIMD) that QA checks ask before or instead of
 * their own scans: whether the numbers agree, where the entity regexes can match, the bracket balance,
 * whether a prompt instruction can be present, whether a line ends in a repetition loop, where the next
 * function word of a list is. Texts are copied in
 * as UTF-16, so offsets stay string offsets, and each text only once: a pair's views mostly are the same
 * string object (a text without code or links is its own prose and plain view), and the texts copied last
 * are looked up by identity. Each pass answers exactly as its JavaScript counterpart would, or says that the
 * JavaScript must decide, so flags are the same with and without WebAssembly; where WebAssembly is missing,
 * a text is too long or memory cannot grow, the functions here answer "unknown" and JavaScript does the work.
 */
import { growTo, instantiateBase64 } from '../../util/wasm'
import { WASM_BASE64 } from './text-scan.wasm'

interface Exports {
  memory: WebAssembly.Memory
  heapBase(): number
  includesFolded(p: number, n: number, a: number, b: number, c: number): number
  tailRepeats(p: number, n: number, minRepeats: number): number
  numbersAgree(sp: number, sn: number, tp: number, tn: number, scratch: number): number
  numberTokens(p: number, n: number, out: number): number
  entityCandidates(p: number, n: number, seeds: number, names: number): number
  entityNameCount(): number
  bracketBalance(p: number, n: number, stack: number): number
  bracketQuotes(): number
  bracketLastQuote(): number
  addHintWord(lo: number, hi: number): number
  clearHintWords(): void
  nextHintWord(p: number, n: number, from: number): number
}

const AGREE = 1
const BAIL = -1
/** Bytes of one number token in the scratch (see numbers.as.ts). */
const TOKEN_BYTES = 48
/** Longer texts go to JavaScript: their scratch would be tens of megabytes. */
const MAX_UNITS = 1 << 19
/** Texts are copied one after another into this many bytes, then from the start again: room for two pairs. */
const ARENA_BYTES = 8 * MAX_UNITS
/** How many of the texts copied last are looked up before copying one. */
const RECENT = 8

let wasm: Exports | null | undefined
let bytes: Buffer
let ints: Int32Array
/** Where the arena starts: after the WebAssembly's own data. */
let base = 0
/** The end of the texts copied since the arena last started over; scratch goes after it. */
let top = 0
const recent: string[] = []
const recentAt: number[] = []

function instance(): Exports | null {
  if (wasm !== undefined) return wasm
  // without WebAssembly the JavaScript checks do all the work
  wasm = instantiateBase64<Exports>(WASM_BASE64, 'text-scan.wasm')
  if (wasm) {
    bytes = Buffer.from(wasm.memory.buffer)
    ints = new Int32Array(wasm.memory.buffer)
    base = top = wasm.heapBase()
  }
  return wasm
}

const align = (n: number): number => (n + 15) & ~15

/** Memory up to byte `end`; false when it cannot grow. */
function reserve(w: Exports, end: number): boolean {
  if (end <= bytes.length) return true
  if (!growTo(w.memory, end)) return false
  // views of the old buffer are stale after a grow
  bytes = Buffer.from(w.memory.buffer)
  ints = new Int32Array(w.memory.buffer)
  return true
}

interface Ucs2Writer {
  ucs2Write(text: string, offset: number): number
}
/**
 * Buffer's ucs2Write is what write(…, 'utf16le') calls after checking its arguments (Node has it on every
 * Buffer); for a text of a few hundred characters the checks are a third of the copy's cost.
 */
const FAST_UCS2 = typeof (Buffer.prototype as unknown as Partial<Ucs2Writer>).ucs2Write === 'function'

/** Where `text` is in memory, copying it there unless it was copied lately; -1 when it cannot be. */
function place(w: Exports, text: string): number {
  for (let k = recent.length - 1; k >= 0; k--) if (recent[k] === text) return recentAt[k]
  if (text.length > MAX_UNITS) return -1
  let at = align(top)
  if (at + 2 * text.length > base + ARENA_BYTES) {
    at = base
    recent.length = recentAt.length = 0
  }
  if (!reserve(w, at + 2 * text.length)) return -1
  if (FAST_UCS2) (bytes as unknown as Ucs2Writer).ucs2Write(text, at)
  else bytes.write(text, at, 'utf16le')
  top = at + 2 * text.length
  if (recent.length === RECENT) {
    recent.shift()
    recentAt.shift()
  }
  recent.push(text)
  recentAt.push(at)
  return at
}

/**
 * Both texts in memory at once (copying the second may start the arena over, past the first): their
 * offsets in `pairAt`, false when they cannot be.
 */
const pairAt = [0, 0]
function placePair(w: Exports, a: string, b: string): boolean {
  pairAt[0] = place(w, a)
  pairAt[1] = place(w, b)
  if (pairAt[0] >= 0 && recent.indexOf(a) < 0) pairAt[0] = place(w, a)
  return pairAt[0] >= 0 && pairAt[1] >= 0
}

/** Scratch of `size` bytes after the texts, valid until the next text is copied. */
function scratch(w: Exports, size: number): number {
  const at = align(top)
  return reserve(w, at + size) ? at : -1
}

/**
 * Whether `text` contains `needle` (three lower-case ASCII letters) in any ASCII case, as a case-insensitive
 * regex without the u flag reads letters; undefined where WebAssembly cannot look.
 */
export function includesFolded(text: string, needle: string): boolean | undefined {
  const w = instance()
  const p = w ? place(w, text) : -1
  if (p < 0) return undefined
  return w!.includesFolded(p, text.length, needle.charCodeAt(0), needle.charCodeAt(1), needle.charCodeAt(2)) !== 0
}

/** tailRepeats of checks/repetition.ts, or undefined where JavaScript must decide. */
export function wasmTailRepeats(text: string, minRepeats: number): boolean | undefined {
  const w = instance()
  const p = w ? place(w, text) : -1
  if (p < 0) return undefined
  const r = w!.tailRepeats(p, text.length, minRepeats)
  return r < 0 ? undefined : r === 1
}

/** True when the JavaScript numbers check would raise no flag on this pair; false: it must run. */
export function numbersAgree(source: string, target: string): boolean {
  const w = instance()
  if (!w || !placePair(w, source, target)) return false
  // a token per two code units of both texts at most, and two more (see numbers.as.ts)
  const out = scratch(w, TOKEN_BYTES * (Math.ceil(source.length / 2) + Math.ceil(target.length / 2) + 2))
  return out >= 0 && w.numbersAgree(pairAt[0], source.length, pairAt[1], target.length, out) === AGREE
}

/** A number token as the WebAssembly reads it. */
export interface WasmNumberToken {
  start: number
  end: number
  values: number[]
}

/** The WebAssembly's number tokens of one text, or undefined where it leaves the text to JavaScript (for tests). */
export function wasmNumberTokens(text: string): WasmNumberToken[] | undefined {
  const w = instance()
  const p = w ? place(w, text) : -1
  const out = p >= 0 ? scratch(w!, TOKEN_BYTES * (Math.ceil(text.length / 2) + 1)) : -1
  if (out < 0) return undefined
  const n = w!.numberTokens(p, text.length, out)
  if (n === BAIL) return undefined
  const view = new DataView(w!.memory.buffer)
  const tokens: WasmNumberToken[] = []
  for (let k = 0; k < n; k++) {
    const t = out + k * TOKEN_BYTES
    const values: number[] = []
    for (let v = 0; v < view.getInt32(t + 8, true); v++) values.push(view.getFloat64(t + 16 + 8 * v, true))
    tokens.push({ start: view.getInt32(t, true), end: view.getInt32(t + 4, true), values })
  }
  return tokens
}

/**
 * Where findEntities' regexes can match, in text order: `ints[seedAt …]` the offsets where SEED_RE matches,
 * `ints[nameAt …]` the offsets where NAME_RE could start. Valid until the next call into this module.
 */
export interface EntityCandidates {
  ints: Int32Array
  seedAt: number
  seeds: number
  nameAt: number
  names: number
}

export function entityCandidates(text: string): EntityCandidates | undefined {
  const w = instance()
  if (!w) return undefined
  const p = place(w, text)
  const out = p >= 0 ? scratch(w, 8 * (text.length + 1)) : -1
  if (out < 0) return undefined
  const nameOut = out + 4 * (text.length + 1)
  const seeds = w.entityCandidates(p, text.length, out, nameOut)
  return { ints, seedAt: out >> 2, seeds, nameAt: nameOut >> 2, names: w.entityNameCount() }
}

/** bracketBalance's figures (checks/brackets.ts) from the WebAssembly. */
export function wasmBracketBalance(text: string): { at: number; quotes: number; lastQuote: number } | undefined {
  const w = instance()
  if (!w) return undefined
  const p = place(w, text)
  const stack = p >= 0 ? scratch(w, 4 * text.length) : -1
  if (stack < 0) return undefined
  const at = w.bracketBalance(p, text.length, stack)
  return { at, quotes: w.bracketQuotes(), lastQuote: w.bracketLastQuote() }
}

/** The word list last given to the WebAssembly's hash set (hints.as.ts), and whether it holds it. */
let hintWords: readonly string[] | undefined
let hintWordsHeld = false

/** A word as hints.as.ts packs it (a character a byte, ’ as '), or undefined when it cannot. */
function packWord(word: string): [lo: number, hi: number] | undefined {
  if (word.length === 0 || word.length > 7) return undefined
  const packed = [0, 0]
  for (let i = 0; i < word.length; i++) {
    let c = word.charCodeAt(i)
    if (c === 0x2019) c = 39
    if (c >= 0x80) return undefined
    packed[i >> 2] |= c << (8 * (i & 3))
  }
  return [packed[0] >>> 0, packed[1] >>> 0]
}

function loadHintWords(w: Exports, words: readonly string[]): boolean {
  if (hintWords === words) return hintWordsHeld
  w.clearHintWords()
  hintWords = words
  hintWordsHeld = words.every((word) => {
    const packed = packWord(word)
    return packed !== undefined && w.addHintWord(packed[0], packed[1]) !== 0
  })
  return hintWordsHeld
}

/**
 * The end of the first word of `words` in `text` that starts at `from` when `from` is 0, or right after a
 * boundary character at or after `from` (stopwords.ts' nextHint), -1 when there is none; undefined where the
 * WebAssembly cannot look (nor hold words longer than seven ASCII characters).
 */
export function nextHintWord(text: string, from: number, words: readonly string[]): number | undefined {
  const w = instance()
  if (!w || !loadHintWords(w, words)) return undefined
  const p = place(w, text)
  return p < 0 ? undefined : w.nextHintWord(p, text.length, from)
}
