// Debian's Chromium through playwright-core, with the flags this machine needs (no sandbox as root, no
// background networking on a closed network) and a fresh profile per launch. Shared by the webview tests
// (real Chromium, local pages) and the end-to-end tests (code-server).
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const chromiumPath = process.env.PHOENIX_CHROMIUM ?? '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

export interface Chromium {
  context: BrowserContext
  /** Closes the browser and removes its profile; safe to call twice. */
  close(): Promise<void>
}

export async function launchChromium(viewport = { width: 1400, height: 900 }): Promise<Chromium> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (bash scripts/setup.sh), or set PHOENIX_CHROMIUM`)
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-chromium-'))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, viewport, timeout: 60_000 })
  } catch (e) {
    fs.rmSync(userDataDir, { recursive: true, force: true })
    throw e
  }
  let closed = false
  return {
    context,
    async close() {
      if (closed) return
      closed = true
      await context.close().catch(() => {})
      fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 })
    },
  }
}
