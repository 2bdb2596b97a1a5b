/**
 * Starts one of the export's worker threads: `<name>.cjs` beside a CJS bundle (dist/), or `<name>.ts`
 * through tsx in a source checkout. Undefined where neither can start (a bundle shipped without it).
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

/** Below this size of the translation, starting a worker thread costs more than it saves. */
export const WORKER_MIN_BYTES = 16 << 20

export type ExportWorkerName = 'qa-worker' | 'writer-worker'

function moduleUrl(): string | undefined {
  try {
    return import.meta.url || undefined
  } catch {
    return undefined
  }
}

/**
 * tsx's ESM register API (its CommonJS build cannot register from a worker). Read from tsx's exports map:
 * `import.meta.resolve` would do, but esbuild warns about it in the CommonJS bundles.
 */
function tsxEsmApi(from: string): string {
  const pkgFile = createRequire(from).resolve('tsx/package.json')
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> }
  return pathToFileURL(join(dirname(pkgFile), pkg.exports['./esm/api'].import.default)).href
}

export function spawnExportWorker(name: ExportWorkerName, workerData: unknown): Worker | undefined {
  try {
    const here = moduleUrl()
    if (here) {
      // a source checkout run through tsx: the worker registers tsx before it imports the TypeScript entry
      const api = tsxEsmApi(here)
      const entry = new URL(`./${name}.ts`, here).href
      const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
      return new Worker(code, { eval: true, workerData })
    }
    const file = join(typeof __dirname === 'string' ? __dirname : process.cwd(), `${name}.cjs`)
    return existsSync(file) ? new Worker(file, { workerData }) : undefined
  } catch {
    return undefined
  }
}
