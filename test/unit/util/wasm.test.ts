import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { growTo, instantiateBase64 } from '../../../src/core/util/wasm'

const root = join(import.meta.dirname, '..', '..', '..')

test('wasm: each committed WebAssembly module is the compilation of its AssemblyScript sources', async () => {
  const { compileWasm, wasmModule, ENTRIES } = (await import(join(root, 'scripts/build-wasm.mjs'))) as {
    compileWasm(p: string): Promise<Buffer>
    wasmModule(p: string, b: Buffer): string
    ENTRIES: string[]
  }
  assert.ok(ENTRIES.length >= 2)
  for (const entry of ENTRIES.map((e) => join(root, e))) {
    const committed = readFileSync(entry.replace(/\.as\.ts$/, '.wasm.ts'), 'utf8')
    assert.equal(committed, wasmModule(entry, await compileWasm(entry)), `${entry}: run npm run build:wasm`)
  }
})

test('wasm: a module that cannot load gives null, and memory grows to the byte asked for', () => {
  assert.equal(instantiateBase64('bm90IHdhc20=', 'broken.wasm'), null)
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 3 })
  assert.equal(growTo(memory, 1000), true)
  assert.equal(memory.buffer.byteLength, 65536)
  assert.equal(growTo(memory, 65536 * 2 + 1), true)
  assert.equal(memory.buffer.byteLength, 65536 * 3)
  assert.equal(growTo(memory, 65536 * 3 + 1), false)
})
