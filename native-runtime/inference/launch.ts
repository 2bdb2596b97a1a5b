/**
 * Starts the inference server as a child process and hands back its URL and token. Whatever the child does
 * (fails to start, crashes, is killed), the caller gets a rejected start promise or an onExit callback,
 * never an exception of its own: the extension host must survive the server.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface StartServerOptions {
  modelDir: string
  /** 0 (default): a free port. */
  port?: number
  providers?: string[]
  maxPromptTokens?: number
  /** Further server arguments (see server.ts usage). */
  args?: string[]
  /** Server entry: a .ts file runs through tsx, anything else directly (e.g. a bundled .cjs). */
  entry?: string
  /** Node binary (default: this process's). */
  nodePath?: string
  /** How long to wait for the listening line (default 120 s: a 7B model takes a while to load). */
  startTimeoutMs?: number
  /** Each stderr line of the server. */
  onLog?: (line: string) => void
  env?: NodeJS.ProcessEnv
  /** Aborting before the server listens kills it and rejects the start. */
  signal?: AbortSignal
}

export interface ServerExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** True when stop() asked for it. */
  expected: boolean
  /** Last stderr lines, for the crash report. */
  stderrTail: string[]
}

export interface ServerHandle {
  url: string
  token: string
  provider: string
  model: string
  pid: number
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves when the process is gone. */
  stop(graceMs?: number): Promise<ServerExit>
  /** Registers a callback for the process's exit (crash or stop); called once, errors in it are swallowed. */
  onExit(callback: (exit: ServerExit) => void): void
  /** Resolves (never rejects) when the process exits. */
  exited: Promise<ServerExit>
}

export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string[],
  ) {
    super(message)
    this.name = 'ServerStartError'
  }
}

/** server.ts beside this file (source checkout, run through tsx), or inference-server.cjs beside a CJS bundle. */
function defaultEntry(): string {
  const here = moduleUrl()
  if (here) return fileURLToPath(new URL('./server.ts', here))
  return join(typeof __dirname === 'string' ? __dirname : process.cwd(), 'inference-server.cjs')
}

function moduleUrl(): string | undefined {
  try {
    return import.meta.url || undefined
  } catch {
    return undefined
  }
}

function command(entry: string): string[] {
  if (!entry.endsWith('.ts')) return [entry]
  let tsx = 'tsx'
  try {
    tsx = import.meta.resolve('tsx')
  } catch {
    // Bundled: resolve tsx from the working folder.
  }
  return ['--import', tsx, entry]
}

export function startServer(o: StartServerOptions): Promise<ServerHandle> {
  const entry = o.entry ?? defaultEntry()
  if (!existsSync(entry)) return Promise.reject(new ServerStartError(`inference server entry ${entry} does not exist`, []))
  const args = [...command(entry), '--model', o.modelDir, '--port', String(o.port ?? 0), '--exit-with-parent']
  if (o.providers?.length) args.push('--providers', o.providers.join(','))
  if (o.maxPromptTokens) args.push('--max-prompt-tokens', String(o.maxPromptTokens))
  args.push(...(o.args ?? []))

  let child: ChildProcess
  try {
    child = spawn(o.nodePath ?? process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: o.env ?? process.env, windowsHide: true })
  } catch (e) {
    return Promise.reject(new ServerStartError(`cannot spawn the inference server: ${(e as Error).message}`, []))
  }
  const stderrTail: string[] = []
  let stopping = false
  const callbacks: Array<(exit: ServerExit) => void> = []
  let exitInfo: ServerExit | undefined

  const exited = new Promise<ServerExit>((resolveExit) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (exitInfo) return
      exitInfo = { code, signal, expected: stopping, stderrTail: [...stderrTail] }
      resolveExit(exitInfo)
      for (const cb of callbacks.splice(0)) safe(() => cb(exitInfo!))
    }
    child.once('exit', finish)
    child.once('error', (e) => {
      stderrTail.push(`spawn error: ${e.message}`)
      finish(null, null)
    })
  })
  // The child's stdin is our lifeline to it (--exit-with-parent); an EPIPE there must not throw.
  child.stdin?.on('error', () => undefined)

  lines(child.stderr!, (line) => {
    stderrTail.push(line)
    if (stderrTail.length > 50) stderrTail.shift()
    if (o.onLog) safe(() => o.onLog!(line))
  })

  return new Promise<ServerHandle>((resolveStart, rejectStart) => {
    let started = false
    const onAbort = (): void => {
      if (started) return
      child.kill('SIGKILL')
      rejectStart(o.signal!.reason instanceof Error ? o.signal!.reason : new ServerStartError('inference server start aborted', [...stderrTail]))
    }
    if (o.signal?.aborted) onAbort()
    o.signal?.addEventListener('abort', onAbort, { once: true })
    void exited.then(() => o.signal?.removeEventListener('abort', onAbort))
    const timer = setTimeout(() => {
      if (started) return
      child.kill('SIGKILL')
      rejectStart(new ServerStartError(`inference server did not start within ${o.startTimeoutMs ?? 120_000} ms`, [...stderrTail]))
    }, o.startTimeoutMs ?? 120_000)
    void exited.then((exit) => {
      clearTimeout(timer)
      if (!started) {
        rejectStart(new ServerStartError(`inference server exited before listening (code ${exit.code}, signal ${exit.signal}): ${exit.stderrTail.slice(-3).join(' | ')}`, exit.stderrTail))
      }
    })
    lines(child.stdout!, (line) => {
      if (started) return
      let msg: { event?: string; port?: number; token?: string; provider?: string; model?: string }
      try {
        msg = JSON.parse(line) as typeof msg
      } catch {
        return
      }
      if (msg.event !== 'listening' || typeof msg.port !== 'number' || typeof msg.token !== 'string') return
      started = true
      clearTimeout(timer)
      o.signal?.removeEventListener('abort', onAbort)
      const stop = (graceMs = 10_000): Promise<ServerExit> => {
        if (exitInfo) return Promise.resolve(exitInfo)
        stopping = true
        child.kill('SIGTERM')
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs)
        return exited.finally(() => clearTimeout(kill))
      }
      resolveStart({
        url: `http://127.0.0.1:${msg.port}`,
        token: msg.token,
        provider: msg.provider ?? 'unknown',
        model: msg.model ?? '',
        pid: child.pid!,
        stop,
        exited,
        onExit: (cb) => {
          if (exitInfo) safe(() => cb(exitInfo!))
          else callbacks.push(cb)
        },
      })
    })
  })
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let rest = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    rest += chunk
    let at: number
    while ((at = rest.indexOf('\n')) >= 0) {
      onLine(rest.slice(0, at).replace(/\r$/, ''))
      rest = rest.slice(at + 1)
    }
  })
  stream.on('end', () => {
    if (rest) onLine(rest)
    rest = ''
  })
  stream.on('error', () => undefined)
}

function safe(fn: () => void): void {
  try {
    fn()
  } catch {
    // A throwing callback must not take the caller down.
  }
}
