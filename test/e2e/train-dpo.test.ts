// End to end in code-server: "Phoenix: Train DPO" opens the Training panel with its form prefilled with
// the workspace's latest DPO export (samples/exports/ultrafeedback-binarized-dpo).
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, test } from 'node:test'
import { launchBrowser, openWorkbench, runCommand, webviewFrame, withScreenshotOnFailure, type Browser } from './harness/browser'
import { ensureCodeServer, repoRoot, startCodeServer, type CodeServer } from './harness/code-server'
import { sampleWorkspace } from './workspace'

let server: CodeServer | undefined
let browser: Browser | undefined
const ws = sampleWorkspace()

before(
  async () => {
    if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.cjs'))) throw new Error('dist/extension.cjs is missing: run "npm run build" first (npm test does).')
    await ensureCodeServer()
    server = await startCodeServer({ folder: ws.dir })
    browser = await launchBrowser()
  },
  { timeout: 15 * 60_000 },
)

after(async () => {
  await browser?.close()
  await server?.stop()
  ws.remove()
})

test('Phoenix: Train DPO shows the form prefilled with the sample export', { timeout: 180_000 }, async () => {
  const page = browser!.page
  await withScreenshotOnFailure(
    page,
    'train-dpo',
    async () => {
      await openWorkbench(page, server!.url)
      await runCommand(page, 'Phoenix: Train DPO')
      const view = webviewFrame(page)
      const dataset = view.locator('#f-dataset')
      await dataset.waitFor({ timeout: 60_000 })
      const deadline = Date.now() + 30_000
      let value = ''
      while (Date.now() < deadline) {
        value = String(await dataset.evaluate((el) => (el as HTMLElement & { value?: string }).value ?? ''))
        if (value.includes('ultrafeedback-binarized-dpo')) break
        await page.waitForTimeout(250)
      }
      assert.match(value, /exports[\\/]ultrafeedback-binarized-dpo$/)
      assert.equal(await view.locator('#f-kind').evaluate((el) => (el as HTMLElement & { value?: string }).value), 'dpo')
      assert.equal(await view.locator('#f-base-model').evaluate((el) => (el as HTMLElement & { value?: string }).value), 'LeoLM/leo-mistral-hessianai-7b')
      assert.match((await view.locator('#start').textContent()) ?? '', /Start DPO run/)
    },
    () => server!.logTail(200),
  )
})
