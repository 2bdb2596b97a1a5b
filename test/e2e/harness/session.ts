import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before } from 'node:test'
import type { Page } from 'playwright-core'
import { launchBrowser, type Browser } from './browser'
import { ensureCodeServer, repoRoot, startCodeServer, type CodeServer } from './code-server'
import { sampleWorkspace } from '../workspace'

export interface E2eSession {
  /** The workspace folder code-server opened (a fresh copy of samples/). */
  readonly dir: string
  readonly server: CodeServer
  readonly page: Page
}

/**
 * One code-server on a fresh copy of samples/ and one Chromium for the test file, started in `before` and
 * always torn down in `after`. Tests that save decisions then never write into the repository.
 */
export function useCodeServer(settings: Record<string, unknown> = {}): E2eSession {
  const ws = sampleWorkspace()
  let server: CodeServer | undefined
  let browser: Browser | undefined
  before(
    async () => {
      const bundle = path.join(repoRoot, 'dist', 'extension.cjs')
      if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run "npm run build" first (npm test does).`)
      await ensureCodeServer()
      server = await startCodeServer({ folder: ws.dir, settings })
      browser = await launchBrowser()
    },
    { timeout: 15 * 60_000 },
  )
  after(async () => {
    await browser?.close()
    await server?.stop()
    ws.remove()
  })
  return {
    dir: ws.dir,
    get server() {
      return server!
    },
    get page() {
      return browser!.page
    },
  }
}

/** Polls `check` until it holds; the error names what was awaited. */
export async function until(what: string, check: () => Promise<boolean>, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
