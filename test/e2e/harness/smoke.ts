// Checks the harness itself, without the extension: `npx tsx test/e2e/harness/smoke.ts`.
// Installs code-server if needed, opens samples/ in Chromium, runs a built-in command and saves a
// screenshot to test-results/harness-smoke.png. Not a *.test.ts file, so `npm test` does not run it.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ensureCodeServer, repoRoot, startCodeServer } from './code-server'
import { launchBrowser, openWorkbench, runCommand, screenshot, withScreenshotOnFailure } from './browser'

const t0 = Date.now()
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`
await ensureCodeServer()
console.log(`installed: ${secs()}`)
const server = await startCodeServer({ folder: path.join(repoRoot, 'samples'), log: console.log })
const tempDir = server.tempDir
const browser = await launchBrowser()
try {
  await withScreenshotOnFailure(
    browser.page,
    'harness-smoke',
    async () => {
      const page = browser.page
      await openWorkbench(page, server.url)
      console.log(`workbench: ${secs()}`)
      await runCommand(page, 'View: Toggle Terminal')
      // A real shell behind a pty (a setsid'd grandchild of code-server, which stop() must also end).
      const xterm = page.locator('.terminal-wrapper.active .xterm').first()
      await xterm.waitFor({ state: 'visible', timeout: 30_000 })
      await xterm.click()
      // xterm may draw on a canvas, so the shell reports through a file instead of the DOM.
      const marker = path.join(server.tempDir, 'terminal-ok')
      await page.keyboard.type(`echo phoenix-$((6*7)) > ${marker}`)
      await page.keyboard.press('Enter')
      const until = Date.now() + 30_000
      while (!(fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === 'phoenix-42')) {
        if (Date.now() > until) throw new Error('the terminal did not run the command')
        await page.waitForTimeout(200)
      }
      console.log(`terminal ran a command: ${secs()}`)
      console.log(`screenshot: ${await screenshot(page, 'harness-smoke')}`)
    },
    () => server.logTail(200),
  )
} finally {
  await browser.close()
  await server.stop()
  console.log(`stopped: ${secs()}`)
}
const leftovers = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && readEnviron(p).includes(tempDir))
if (leftovers.length) {
  console.error(`processes left behind: ${leftovers.join(' ')}`)
  process.exitCode = 1
} else console.log('no processes left behind')

function readEnviron(pid: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8')
  } catch {
    return ''
  }
}
