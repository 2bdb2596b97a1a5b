// `npm run open-samples`: Phoenix in a real VS Code (code-server) on samples/, extension loaded from source.
// Builds if the bundle is missing or older than its sources, installs code-server into .vscode-test/ on first
// use (~2.5 min), serves on PHOENIX_PORT (default 8080) until Ctrl-C.
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ensureCodeServer, repoRoot, startCodeServer } from '../test/e2e/harness/code-server'

const bundle = path.join(repoRoot, 'dist', 'extension.cjs')

function newestMtime(dir: string): number {
  let newest = 0
  if (!fs.existsSync(dir)) return newest
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

function needsBuild(): boolean {
  if (!fs.existsSync(bundle)) return true
  const built = fs.statSync(bundle).mtimeMs
  return ['src', 'webview'].some((d) => newestMtime(path.join(repoRoot, d)) > built)
}

if (needsBuild()) {
  console.log('building (npm run build) …')
  const r = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' })
  if (r.status !== 0) {
    console.error('build failed')
    process.exit(1)
  }
}

const port = Number(process.env.PHOENIX_PORT ?? 8080)
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`PHOENIX_PORT must be a port number, got ${JSON.stringify(process.env.PHOENIX_PORT)}`)
  process.exit(1)
}

try {
  await ensureCodeServer((line) => console.log(line))
} catch (e) {
  console.error((e as Error).message)
  console.error('Missing system packages? Run: bash scripts/setup.sh')
  process.exit(1)
}

let server
try {
  server = await startCodeServer({ folder: path.join(repoRoot, 'samples'), port, log: (line) => console.log(line) })
} catch (e) {
  console.error((e as Error).message)
  process.exit(1)
}

console.log(`
Phoenix on samples/ (extension loaded from source: ${repoRoot})
Open in a browser:

  ${server.url}

Rebuild with "npm run build" (or keep "npm run watch" running) and reload the page to pick up changes.
On another machine, forward the port first: ssh -L ${port}:127.0.0.1:${port} <this host>
Ctrl-C stops the server.
`)

let stopping = false
const shutdown = async (signal: string) => {
  if (stopping) return
  stopping = true
  console.log(`\n${signal}: stopping code-server …`)
  await server.stop()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGHUP', () => void shutdown('SIGHUP'))

// Keep running; report if the server dies on its own.
const watchdog = setInterval(() => {
  try {
    process.kill(server.pid, 0)
  } catch {
    clearInterval(watchdog)
    console.error(`code-server exited on its own; last log lines:\n${server.logTail(40)}`)
    void server.stop().then(() => process.exit(1))
  }
}, 2000)
