// End to end in code-server: draw a review sample of a sample shard, review part of it by keyboard, and
// see the shard's drift estimate and verdict update in the review editor.
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, test } from 'node:test'
import { launchBrowser, openWorkbench, pickQuickItem, runCommand, webviewFrame, withScreenshotOnFailure, type Browser } from './harness/browser'
import { ensureCodeServer, repoRoot, startCodeServer, type CodeServer } from './harness/code-server'
import { sampleWorkspace } from './workspace'

let server: CodeServer | undefined
let browser: Browser | undefined
const ws = sampleWorkspace()

before(
  async () => {
    if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.cjs'))) throw new Error('dist/extension.cjs is missing: run "npm run build" first (npm test does).')
    await ensureCodeServer()
    server = await startCodeServer({ folder: ws.dir, settings: { 'phoenix.reviewer': 'e2e-sam' } })
    browser = await launchBrowser()
  },
  { timeout: 15 * 60_000 },
)

after(async () => {
  await browser?.close()
  await server?.stop()
  ws.remove()
})

async function until(what: string, check: () => Promise<boolean>, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

test('a reviewed sample gives an estimate and a verdict', { timeout: 300_000 }, async () => {
  const page = browser!.page
  await withScreenshotOnFailure(
    page,
    'sample-estimate',
    async () => {
      await openWorkbench(page, server!.url)
      await runCommand(page, 'Phoenix: Open Shard')
      await pickQuickItem(page, 'ultrachat/en.jsonl')
      const view = webviewFrame(page)
      await view.locator('#record[data-index="0"]').waitFor({ timeout: 60_000 })
      assert.equal(await view.locator('#estimate').count(), 0, 'no estimate before a sample exists')

      await runCommand(page, 'Phoenix: Draw Review Sample')
      const box = page.locator('.quick-input-widget .quick-input-box input')
      await box.waitFor({ timeout: 10_000 })
      await box.fill('4')
      await page.keyboard.press('Enter')
      await view.locator('#estimate').waitFor({ timeout: 30_000 })
      assert.match((await view.locator('#estimate').textContent()) ?? '', /0 of 4 sampled reviewed \(population 32\)/)
      const plans = path.join(ws.dir, '.phoenix', 'samples')
      assert.equal(fs.readdirSync(plans).length, 1, 'the plan is written next to the journals')

      // Sample mode lists the 4 sampled records; review two of them by keyboard: approve, then flag.
      await until('the sample list', async () => (await view.locator('#match-count').textContent())?.trim() === '4')
      await view.locator('#record .unit-head').first().click()
      await page.keyboard.press('a')
      await until('one reviewed', async () => /1 of 4 sampled reviewed/.test((await view.locator('#estimate').textContent()) ?? ''))
      await page.keyboard.press('j')
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('f')
      await view.locator('#flag-dialog[open]').waitFor({ timeout: 10_000 })
      await page.keyboard.press('Control+Enter')
      await until('two reviewed', async () => /2 of 4 sampled reviewed/.test((await view.locator('#estimate').textContent()) ?? ''))
      const text = (await view.locator('#estimate').textContent()) ?? ''
      assert.match(text, /any flag 50\.0%/)
      assert.match(text, /(accept|reject|undecided)/)
      assert.match(text, /Wilson interval/)
    },
    () => server!.logTail(200),
  )
})
