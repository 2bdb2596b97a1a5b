// One esbuild bundle for the extension host, one for the CLI, one per webview.
import * as esbuild from 'esbuild'
import { readdirSync, existsSync } from 'node:fs'

const watch = process.argv.includes('--watch')
const prod = process.argv.includes('--production')
const common = { bundle: true, sourcemap: !prod, minify: prod, logLevel: 'warning' }

// Native modules, and packages that load files from their own folder (fastText's wasm and lid.176),
// stay outside the bundle and are required from node_modules at run time.
const external = ['vscode', 'onnxruntime-node', '@duckdb/node-api', 'fasttext.wasm.js']

const webviews = existsSync('webview')
  ? readdirSync('webview', { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(`webview/${d.name}/main.ts`))
      .map((d) => d.name)
  : []

const configs = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.cjs', platform: 'node', format: 'cjs', target: 'node20', external },
  { ...common, entryPoints: ['src/cli/phoenix.ts'], outfile: 'dist/cli.cjs', platform: 'node', format: 'cjs', target: 'node20', external },
  // The export's worker threads (QA engine, writing the data files); the export finds them next to its own bundle.
  { ...common, entryPoints: ['src/core/export/qa-worker.ts'], outfile: 'dist/qa-worker.cjs', platform: 'node', format: 'cjs', target: 'node20', external },
  { ...common, entryPoints: ['src/core/export/writer-worker.ts'], outfile: 'dist/writer-worker.cjs', platform: 'node', format: 'cjs', target: 'node20', external },
  // One export of `npm run bench -- export`, bundled like the CLI so that the benchmark times what users run.
  { ...common, entryPoints: ['bench/export-child.ts'], outfile: 'dist/export-bench.cjs', platform: 'node', format: 'cjs', target: 'node20', external },
  // The inference server runs as its own process; the launcher finds it next to itself.
  { ...common, entryPoints: ['native-runtime/inference/server.ts'], outfile: 'dist/inference-server.cjs', platform: 'node', format: 'cjs', target: 'node20', external },
  ...webviews.map((name) => ({
    ...common,
    entryPoints: [`webview/${name}/main.ts`],
    outfile: `media/${name}.js`,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  })),
].filter((c) => existsSync(c.entryPoints[0]))

if (watch) {
  for (const c of configs) await (await esbuild.context(c)).watch()
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)))
}
