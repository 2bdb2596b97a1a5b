import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildTinyLlama, DEFAULT_SEED, TINY_MODEL_VERSION } from './make-tiny-llama'

/**
 * The tiny random test model (tools/make-tiny-llama.ts, default seed), built once into a cache folder under
 * the OS temp dir and reused: for tests of code that talks to the embedded server. Never a real translator.
 * Kept out of launch.ts so the shipped bundles never carry the ONNX builder.
 */
export async function tinyModelDir(cacheRoot = tmpdir()): Promise<string> {
  const dir = join(cacheRoot, `phoenix-tiny-llama-v${TINY_MODEL_VERSION}-${DEFAULT_SEED}`)
  const marker = join(dir, 'phoenix-built.json')
  if (existsSync(marker)) return dir
  mkdirSync(cacheRoot, { recursive: true })
  // Built beside, then renamed into place: concurrent test processes never see a half-written folder.
  const tmp = mkdtempSync(`${dir}.tmp-`)
  try {
    const built = buildTinyLlama(tmp, { seed: DEFAULT_SEED })
    writeFileSync(join(tmp, 'phoenix-built.json'), JSON.stringify({ seed: DEFAULT_SEED, weightsSha256: built.weightsSha256 }) + '\n')
    try {
      renameSync(tmp, dir)
    } catch (e) {
      if (!existsSync(marker)) throw e
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  JSON.parse(readFileSync(marker, 'utf8'))
  return dir
}
