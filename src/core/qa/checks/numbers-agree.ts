/**
 * The numbers check's common case in WebAssembly (numbers-agree.as.ts): whether checks/numbers.ts would pair
 * every number of the source with one of the translation and leave none over, i.e. raise no flag. Regex
 * matches are most of that check's cost (a match object per number, ~40 numbers per conversation); the
 * WebAssembly reads both texts in one pass each, copied in as UTF-16 so that offsets stay string offsets.
 * Where it cannot answer (unusual number shapes, characters above U+00FF, a number without a partner) the
 * JavaScript check decides, so the flags are the same with and without it.
 */
import { WASM_BASE64 } from './numbers-agree.wasm'

interface Exports {
  memory: WebAssembly.Memory
  numbersAgree(sp: number, sn: number, tp: number, tn: number, scratch: number): number
  numberTokens(p: number, n: number, out: number): number
  heapBase(): number
}

const AGREE = 1
const BAIL = -1
/** Bytes of one token in the WebAssembly's scratch (see numbers-agree.as.ts). */
const TOKEN_BYTES = 48
/** Longer pairs go to JavaScript: their scratch would be tens of megabytes. */
const MAX_UNITS = 1 << 20

let wasm: Exports | null | undefined
let bytes: Buffer
/** Where the texts go: after the WebAssembly's own data. */
let base = 0

function instance(): Exports | null {
  if (wasm !== undefined) return wasm
  try {
    const module = new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'))
    const env = {
      abort: () => {
        throw new Error('numbers-agree.wasm aborted')
      },
    }
    wasm = new WebAssembly.Instance(module, { env }).exports as unknown as Exports
    bytes = Buffer.from(wasm.memory.buffer)
    base = wasm.heapBase()
  } catch {
    // without WebAssembly the JavaScript check does all the work
    wasm = null
  }
  return wasm
}

const align = (n: number): number => (n + 15) & ~15

/** Memory for `need` bytes from the start; views of the old buffer are stale after a grow. */
function ensure(w: Exports, need: number): void {
  if (need <= bytes.length) return
  w.memory.grow(Math.ceil((need - bytes.length) / 65536))
  bytes = Buffer.from(w.memory.buffer)
}

/** Where `load` put the second text (the first goes to `base`): kept here, the hot path allocates nothing. */
let secondAt = 0

/**
 * Copies one or two texts as UTF-16 from `base`, one after the other, with scratch after them for their
 * tokens (at most one per two code units); returns the scratch's offset.
 */
function load(w: Exports, first: string, second = ''): number {
  secondAt = align(base + 2 * first.length)
  const scratch = align(secondAt + 2 * second.length)
  ensure(w, scratch + TOKEN_BYTES * (Math.ceil(first.length / 2) + Math.ceil(second.length / 2) + 2))
  bytes.write(first, base, 'utf16le')
  if (second) bytes.write(second, secondAt, 'utf16le')
  return scratch
}

/** True when the JavaScript numbers check would raise no flag on this pair; false: it must run. */
export function numbersAgree(source: string, target: string): boolean {
  const w = instance()
  if (!w || source.length + target.length > MAX_UNITS) return false
  try {
    const scratch = load(w, source, target)
    return w.numbersAgree(base, source.length, secondAt, target.length, scratch) === AGREE
  } catch {
    // memory that cannot grow (or an abort): the JavaScript check answers as it would without the fast path
    return false
  }
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
  if (!w) return undefined
  const out = load(w, text)
  const n = w.numberTokens(base, text.length, out)
  if (n === BAIL) return undefined
  const view = new DataView(w.memory.buffer)
  const tokens: WasmNumberToken[] = []
  for (let k = 0; k < n; k++) {
    const t = out + k * TOKEN_BYTES
    const values: number[] = []
    for (let v = 0; v < view.getInt32(t + 8, true); v++) values.push(view.getFloat64(t + 16 + 8 * v, true))
    tokens.push({ start: view.getInt32(t, true), end: view.getInt32(t + 4, true), values })
  }
  return tokens
}
