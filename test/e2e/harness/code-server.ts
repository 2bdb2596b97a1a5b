// A real VS Code workbench for end-to-end tests: code-server 4.139.1 (VS Code 1.139.1) with the extension
// loaded from source. Desktop VS Code/Electron cannot be downloaded on our machines; code-server comes
// from the npm registry (see ../../../../shared/E2E.md for the verified recipe).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

export const CODE_SERVER_VERSION = '4.139.1'
const NODE_MAJOR = 24

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
// PHOENIX_E2E_CACHE: another cache folder (e.g. to try a fresh install without touching .vscode-test/).
export const cacheDir = path.resolve(process.env.PHOENIX_E2E_CACHE ?? path.join(repoRoot, '.vscode-test'))
const node24Dir = path.join(cacheDir, 'node24')
const codeServerDir = path.join(cacheDir, 'code-server')
const lockDir = path.join(cacheDir, 'install.lock')

const node24Pkg = path.join(node24Dir, 'node_modules', 'node')
/** The Node 24 binary from the npm package `node@24`; code-server refuses other majors. */
export const node24Bin = path.join(node24Pkg, 'bin', 'node')
// The platform package that `node@24` installs ships headers; native modules must be built against them,
// not against a system nodedir (~/.npmrc may point node-gyp at Node 20's headers).
const node24Headers = path.join(node24Pkg, 'node_modules', `node-${process.platform}-${process.arch}`)
const codeServerPkg = path.join(codeServerDir, 'node_modules', 'code-server')
const codeServerEntry = path.join(codeServerPkg, 'out', 'node', 'entry.js')
const node24Marker = path.join(node24Dir, '.phoenix-installed')
const codeServerMarker = path.join(codeServerDir, `.phoenix-installed-${CODE_SERVER_VERSION}`)

export type Log = (line: string) => void

/** Repository-relative when inside it, for short log lines. */
const show = (p: string) => (p.startsWith(repoRoot + path.sep) ? path.relative(repoRoot, p) : p)

/** Environment without what a parent npm, tsx (NODE_OPTIONS), VS Code terminal or Electron would leak into Node 24. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VSCODE_|ELECTRON_)/i.test(k) || k === 'INIT_CWD' || k === 'NODE_OPTIONS') continue
    env[k] = v
  }
  const bin = path.dirname(node24Bin)
  env.PATH = [bin, process.env.PATH ?? ''].join(path.delimiter)
  return { ...env, ...extra }
}

/** Process groups of running installs, killed if this process exits mid-install. */
const installGroups = new Set<number>()
process.on('exit', () => {
  for (const pgid of installGroups) killGroup(pgid)
})

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL')
  } catch {
    // gone
  }
}

/** Tags every process of our installs (inherited by npm's children), so orphans can be found later. */
const installTag = `PHOENIX_E2E_INSTALL=${cacheDir}`

function killOrphanedInstalls(): void {
  let pids: string[] = []
  try {
    pids = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))
  } catch {
    return // not Linux: nothing to find
  }
  for (const pid of pids) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(installTag)) process.kill(Number(pid), 'SIGKILL')
    } catch {
      // gone, or not ours to read
    }
  }
}

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.appendFileSync(opts.logFile, `\n$ ${cmd} ${args.join(' ')}  (cwd ${opts.cwd})\n`)
    const fd = fs.openSync(opts.logFile, 'a')
    // Own process group: npm's lifecycle children survive a SIGTERM of npm, so an interrupted install is
    // ended as a group here on exit, or found by their PHOENIX_E2E_INSTALL tag by the next installer.
    const env = { ...opts.env, PHOENIX_E2E_INSTALL: cacheDir }
    const child = spawn(cmd, args, { cwd: opts.cwd, env, stdio: ['ignore', fd, fd], detached: true })
    fs.closeSync(fd)
    if (child.pid !== undefined) installGroups.add(child.pid)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (child.pid !== undefined) {
        installGroups.delete(child.pid)
        killGroup(child.pid) // stragglers
      }
      if (code === 0) return resolve()
      const tail = fs.readFileSync(opts.logFile, 'utf8').split('\n').slice(-40).join('\n')
      reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}); log ${opts.logFile}:\n${tail}`))
    })
  })
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Cross-process lock (mkdir is atomic); a lock whose owner died is taken over. */
async function withInstallLock<T>(fn: () => Promise<T>, log: Log): Promise<T> {
  fs.mkdirSync(cacheDir, { recursive: true })
  const deadline = Date.now() + 20 * 60_000
  let announced = false
  for (;;) {
    try {
      fs.mkdirSync(lockDir)
      fs.writeFileSync(path.join(lockDir, 'owner'), String(process.pid))
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      let owner = NaN
      let age = 0
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'owner'), 'utf8'))
      } catch {
        try {
          age = Date.now() - fs.statSync(lockDir).mtimeMs
        } catch {
          continue // released in between
        }
      }
      const stale = Number.isFinite(owner) ? !pidAlive(owner) : age > 10_000
      if (stale) {
        log(`code-server install: removing stale lock ${lockDir}`)
        // The dead owner's npm may still be running (orphaned): end it before installing over it.
        killOrphanedInstalls()
        fs.rmSync(lockDir, { recursive: true, force: true })
        continue
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${lockDir} (held by pid ${owner})`)
      if (!announced) log(`code-server install: waiting for another install (pid ${owner}) to finish`)
      announced = true
      await sleep(1000)
    }
  }
  try {
    return await fn()
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true })
  }
}

function nodeMajorOk(): boolean {
  if (!fs.existsSync(node24Bin)) return false
  const r = spawnSync(node24Bin, ['--version'], { encoding: 'utf8' })
  return r.status === 0 && r.stdout.trim().startsWith(`v${NODE_MAJOR}.`)
}

function installedVersion(): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(codeServerPkg, 'package.json'), 'utf8')).version
  } catch {
    return undefined
  }
}

/** Native modules code-server's postinstall builds (and fails without, e.g. kerberos without libkrb5-dev). */
const nativeModules = ['@vscode/spdlog/build/Release/spdlog.node', '@vscode/sqlite3/build/Release/vscode-sqlite3.node', 'kerberos/build/Release/kerberos.node']

/** Postinstall ran to the end: both of its `npm install`s left node_modules, native builds and the bin links behind. */
function postinstallDone(): boolean {
  return (
    fs.existsSync(codeServerEntry) &&
    installedVersion() === CODE_SERVER_VERSION &&
    nativeModules.every((m) => fs.existsSync(path.join(codeServerPkg, 'lib', 'vscode', 'node_modules', m))) &&
    fs.existsSync(path.join(codeServerPkg, 'lib', 'vscode', 'node_modules')) &&
    fs.existsSync(path.join(codeServerPkg, 'lib', 'vscode', 'extensions', 'node_modules')) &&
    fs.existsSync(path.join(codeServerPkg, 'lib', 'vscode', 'bin', 'remote-cli', 'code-server'))
  )
}

export function codeServerInstalled(): boolean {
  return fs.existsSync(node24Marker) && fs.existsSync(codeServerMarker) && fs.existsSync(node24Bin) && postinstallDone()
}

/**
 * Installs Node 24 and code-server into .vscode-test/ unless a previous run finished that (marker files,
 * written only after success). Interrupted installs are resumed on the next call. Safe to call from
 * parallel processes: one installs, the others wait.
 */
export async function ensureCodeServer(log: Log = (l) => console.error(l)): Promise<void> {
  if (codeServerInstalled()) return
  await withInstallLock(async () => {
    if (codeServerInstalled()) return // another process finished while we waited
    const logFile = path.join(cacheDir, 'install.log')
    fs.writeFileSync(logFile, `install started ${new Date().toISOString()}\n`)
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const npmFlags = ['--no-audit', '--no-fund', '--foreground-scripts', '--loglevel=http']

    if (!fs.existsSync(node24Marker) || !nodeMajorOk()) {
      log(`installing Node ${NODE_MAJOR} into ${show(node24Dir)} (npm package node@${NODE_MAJOR}) …`)
      fs.mkdirSync(node24Dir, { recursive: true })
      await run(npm, ['i', '--prefix', node24Dir, `node@${NODE_MAJOR}`, ...npmFlags], { cwd: node24Dir, env: cleanEnv({}), logFile })
      if (!nodeMajorOk()) throw new Error(`node@${NODE_MAJOR} installed but ${node24Bin} is not a working Node ${NODE_MAJOR}; log ${logFile}`)
      fs.writeFileSync(node24Marker, new Date().toISOString())
    }

    const started = Date.now()
    log(`installing code-server ${CODE_SERVER_VERSION} into ${show(codeServerDir)} (~2.5 min, ~620 MB; log ${show(logFile)}) …`)
    fs.mkdirSync(codeServerDir, { recursive: true })
    // The shell scripts npm runs (`#!/usr/bin/env node`, code-server's postinstall, node-gyp) find Node 24 via PATH.
    const env = cleanEnv({ npm_config_nodedir: node24Headers })
    if (fs.existsSync(path.join(codeServerDir, 'node_modules'))) {
      // Left by an interrupted install. Its postinstall cannot be resumed in place (the nested `npm install`
      // calls it runs see their packages present and skip the native builds), so start over; npm's cache
      // still holds the downloads.
      log('code-server install: removing an unfinished install')
      fs.rmSync(path.join(codeServerDir, 'node_modules'), { recursive: true, force: true })
      fs.rmSync(path.join(codeServerDir, 'package-lock.json'), { force: true })
    }
    await run(npm, ['i', '--prefix', codeServerDir, `code-server@${CODE_SERVER_VERSION}`, ...npmFlags], { cwd: codeServerDir, env, logFile })
    if (!postinstallDone()) throw new Error(`code-server installed but incomplete (postinstall did not finish); log ${logFile}`)
    fs.writeFileSync(codeServerMarker, new Date().toISOString())
    log(`code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`)
  }, log)
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

async function portInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.once('error', () => resolve(true))
    srv.listen(port, host, () => srv.close(() => resolve(false)))
  })
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(0))
  })
}

/** Every process below `root`, read from /proc (children that called setsid, e.g. terminal shells, included). */
function descendants(root: number): number[] {
  let entries: string[]
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))
  } catch {
    return []
  }
  const children = new Map<number, number[]>()
  for (const e of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8')
      // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const list = children.get(ppid) ?? []
      list.push(Number(e))
      children.set(ppid, list)
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = []
  const queue = [root]
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c)
      queue.push(c)
    }
  }
  return out
}

function signalTree(pgid: number, pids: number[], signal: NodeJS.Signals): void {
  for (const target of [-pgid, ...pids]) {
    try {
      process.kill(target, signal)
    } catch {
      // already gone
    }
  }
}

function groupAlive(pgid: number, pids: number[]): boolean {
  return pidAlive(-pgid) || pids.some(pidAlive)
}

export interface CodeServerOptions {
  /** Folder opened in the workbench (created if missing). */
  folder: string
  /** Default: a free port. */
  port?: number
  host?: string
  /** Extension loaded from source via extensionDevelopmentPath; default the repository root. Null: none. */
  extensionPath?: string | null
  /** Merged over the defaults written to User/settings.json. */
  settings?: Record<string, unknown>
  log?: Log
  /** Keep the temp folder (logs, user data) after stop(); also set by PHOENIX_E2E_KEEP=1. */
  keep?: boolean
}

export interface CodeServer {
  port: number
  /** http://host:port/ */
  baseUrl: string
  /** Opens `folder` with the extension under development loaded. */
  url: string
  /** Fresh per run: user data, extensions, XDG dirs, config and the server log. */
  tempDir: string
  logFile: string
  pid: number
  logTail(lines?: number): string
  stop(graceMs?: number): Promise<void>
}

export const defaultSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'files.hotExit': 'off',
  'window.confirmBeforeClose': 'never',
}

/** Live servers, killed with SIGKILL if this process exits without stop() (e.g. an uncaught error). */
const live = new Map<number, () => number[]>()
process.on('exit', () => {
  for (const [pgid, pids] of live) signalTree(pgid, pids(), 'SIGKILL')
})

export function workbenchUrl(baseUrl: string, folder: string, extensionPath: string | null): string {
  const authority = new URL(baseUrl).host
  let url = `${baseUrl}?folder=${encodeURIComponent(folder)}`
  if (extensionPath) {
    const payload = [['extensionDevelopmentPath', `vscode-remote://${authority}${extensionPath}`]]
    url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`
  }
  return url
}

/** Starts code-server (installed by ensureCodeServer) and resolves once it answers HTTP. */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  if (!codeServerInstalled()) throw new Error('code-server is not installed: call ensureCodeServer() first')
  const log = opts.log ?? (() => {})
  const host = opts.host ?? '127.0.0.1'
  const folder = path.resolve(opts.folder)
  fs.mkdirSync(folder, { recursive: true })
  const port = opts.port ?? (await freePort())
  if (opts.port !== undefined && (await portInUse(port, host))) {
    throw new Error(`port ${host}:${port} is already in use (pick another one, e.g. PHOENIX_PORT=8081)`)
  }

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-e2e-'))
  const dirs = {
    userData: path.join(tempDir, 'user-data'),
    extensions: path.join(tempDir, 'extensions'),
    config: path.join(tempDir, 'xdg-config'),
    data: path.join(tempDir, 'xdg-data'),
    cache: path.join(tempDir, 'xdg-cache'),
  }
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true })
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true })
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...defaultSettings, ...opts.settings }, null, 2),
  )
  const configFile = path.join(tempDir, 'config.yaml')
  fs.writeFileSync(configFile, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`)
  const logFile = path.join(tempDir, 'code-server.log')

  const args = [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `${host}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--reconnection-grace-time', '5',
    '--config', configFile,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--vscode-option', 'enable-smoke-test-driver',
    folder,
  ]
  const out = fs.openSync(logFile, 'a')
  const child: ChildProcess = spawn(node24Bin, args, {
    cwd: folder,
    // Own process group, so stop() can signal the server, its extension hosts and pty hosts together.
    detached: true,
    stdio: ['ignore', out, out],
    env: cleanEnv({
      XDG_CONFIG_HOME: dirs.config,
      XDG_DATA_HOME: dirs.data,
      XDG_CACHE_HOME: dirs.cache,
    }),
  })
  fs.closeSync(out)
  const pid = child.pid
  if (pid === undefined) throw new Error('code-server did not start (no pid)')
  child.unref()
  let exited: string | undefined
  child.on('exit', (code, signal) => {
    exited = signal ?? `exit ${code}`
  })
  // Snapshot the tree while the server still parents it: once it dies its children move to init.
  let known: number[] = []
  const treeNow = () => {
    const now = descendants(pid)
    known = [...new Set([...known, ...now])]
    return [pid, ...known]
  }
  live.set(pid, treeNow)

  const logTail = (lines = 60) => {
    try {
      return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n')
    } catch {
      return ''
    }
  }
  let stopped = false
  const keep = opts.keep ?? process.env.PHOENIX_E2E_KEEP === '1'
  const stop = async (graceMs = 3000) => {
    if (stopped) return
    stopped = true
    const pids = treeNow()
    signalTree(pid, pids, 'SIGTERM')
    const deadline = Date.now() + graceMs
    while (groupAlive(pid, pids) && Date.now() < deadline) await sleep(100)
    if (groupAlive(pid, pids)) {
      signalTree(pid, pids, 'SIGKILL')
      const hard = Date.now() + 2000
      while (groupAlive(pid, pids) && Date.now() < hard) await sleep(50)
    }
    live.delete(pid)
    if (keep) log(`code-server files kept in ${tempDir}`)
    else fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 })
  }

  const baseUrl = `http://${host}:${port}/`
  const started = Date.now()
  try {
    for (;;) {
      if (exited) throw new Error(`code-server exited (${exited}) before it answered HTTP; log:\n${logTail()}`)
      if ((await httpStatus(`${baseUrl}healthz`)) === 200) break
      if (Date.now() - started > 30_000) throw new Error(`code-server did not answer ${baseUrl}healthz within 30 s; log:\n${logTail()}`)
      await sleep(150)
    }
  } catch (e) {
    await stop()
    throw e
  }
  log(`code-server ready on ${baseUrl} after ${Date.now() - started} ms (pid ${pid}, log ${logFile})`)
  const extensionPath = opts.extensionPath === undefined ? repoRoot : opts.extensionPath
  return { port, baseUrl, url: workbenchUrl(baseUrl, folder, extensionPath), tempDir, logFile, pid, logTail, stop }
}
