/**
 * UTF-8 decoding of JSONL lines. Node's decoder reads ~330 MB/s once a line holds any non-ASCII byte, which is
 * every line of a German shard; most such lines hold only characters up to U+00FF (ä ö ü ß é), and those
 * become a Latin-1 string, which Node makes ~3× faster. So a line is first transcoded to Latin-1 in
 * WebAssembly (wasm/latin1.as.ts); a line with a wider character or invalid UTF-8 is decoded as UTF-8 as
 * before. Either way the string is the one Buffer#toString('utf8') returns.
 */
import { growTo, instantiateBase64 } from '../util/wasm'
import { WASM_BASE64 } from './wasm/latin1.wasm'

interface Exports {
  memory: WebAssembly.Memory
  heapBase(): number
  utf8ToLatin1(src: number, n: number, dst: number): number
}

/** Longer lines are decoded as UTF-8: their copy would grow this module's memory past a few megabytes. */
const MAX_BYTES = 1 << 21

let wasm: Exports | null | undefined
let mem: Buffer
let base = 0

function instance(): Exports | null {
  if (wasm !== undefined) return wasm
  wasm = instantiateBase64<Exports>(WASM_BASE64, 'latin1.wasm')
  if (wasm) {
    mem = Buffer.from(wasm.memory.buffer)
    base = wasm.heapBase()
  }
  return wasm
}

/** buf.toString('utf8', from, to), made from Latin-1 where the bytes allow. */
export function decodeUtf8(buf: Buffer, from: number, to: number): string {
  const n = to - from
  const w = n <= MAX_BYTES ? instance() : null
  if (!w) return buf.toString('utf8', from, to)
  // the bytes, then room for as many Latin-1 bytes (never more)
  const dst = base + ((n + 15) & ~15)
  if (dst + n > mem.length) {
    if (!growTo(w.memory, dst + n)) return buf.toString('utf8', from, to)
    mem = Buffer.from(w.memory.buffer)
  }
  buf.copy(mem, base, from, to)
  const len = w.utf8ToLatin1(base, n, dst)
  return len < 0 ? buf.toString('utf8', from, to) : mem.toString('latin1', dst, dst + len)
}
