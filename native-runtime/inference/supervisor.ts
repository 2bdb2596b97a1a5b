/**
 * Keeps the embedded server up for a long-lived caller (the extension host): a crash is reported and the
 * server restarted on the same port with the same token, so clients pointed at it carry on after their
 * retries. The caller never sees an exception from the child; after `maxRestarts` crashes in a row it gives up.
 */
import { randomBytes } from 'node:crypto'
import { startServer, type ServerExit, type ServerHandle, type StartServerOptions } from './launch'

export interface SupervisorOptions extends StartServerOptions {
  /** A crash, and whether a restart follows. */
  onCrash?: (exit: ServerExit, restarting: boolean) => void
  onRestart?: (handle: ServerHandle) => void
  /** Crashes tolerated without a successful minute of uptime in between (default 3). */
  maxRestarts?: number
}

export class SupervisedServer {
  private handle?: ServerHandle
  private stopped = false
  private crashes = 0
  private readonly token = randomBytes(24).toString('base64url')

  private constructor(private readonly opts: SupervisorOptions) {}

  static async start(opts: SupervisorOptions): Promise<SupervisedServer> {
    const s = new SupervisedServer(opts)
    await s.launch(opts.port ?? 0)
    return s
  }

  get url(): string {
    return this.handle!.url
  }

  get apiKey(): string {
    return this.token
  }

  get pid(): number {
    return this.handle!.pid
  }

  private async launch(port: number): Promise<void> {
    const handle = await startServer({ ...this.opts, port, env: { ...(this.opts.env ?? process.env), PHOENIX_INFERENCE_TOKEN: this.token } })
    this.handle = handle
    const up = Date.now()
    handle.onExit((exit) => {
      if (exit.expected || this.stopped) return
      if (Date.now() - up > 60_000) this.crashes = 0
      this.crashes++
      const restarting = this.crashes <= (this.opts.maxRestarts ?? 3)
      this.opts.onCrash?.(exit, restarting)
      if (!restarting) return
      const again = Number(new URL(handle.url).port)
      this.launch(again).then(
        () => this.opts.onRestart?.(this.handle!),
        (e: Error) => this.opts.onCrash?.({ code: null, signal: null, expected: false, stderrTail: [e.message] }, false),
      )
    })
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.handle?.stop()
  }
}
