/**
 * Loading the WebAssembly modules that scripts/build-wasm.mjs commits as base64 (*.wasm.ts), and growing
 * their memory: shared by the QA text scans (qa/wasm/text-scan.ts) and the JSONL decoder (records/utf8.ts).
 */

/** The module's exports, or null where WebAssembly cannot run (the caller then does the work in JavaScript). */
export function instantiateBase64<T>(base64: string, name: string): T | null {
  try {
    const module = new WebAssembly.Module(Buffer.from(base64, 'base64'))
    const env = {
      abort: () => {
        throw new Error(`${name} aborted`)
      },
    }
    return new WebAssembly.Instance(module, { env }).exports as unknown as T
  } catch {
    return null
  }
}

/**
 * Memory up to byte `end`: true when it is there (grown if needed; views of the old buffer are then stale),
 * false when it cannot grow.
 */
export function growTo(memory: WebAssembly.Memory, end: number): boolean {
  const have = memory.buffer.byteLength
  if (end <= have) return true
  try {
    memory.grow(Math.ceil((end - have) / 65536))
    return true
  } catch {
    return false
  }
}
