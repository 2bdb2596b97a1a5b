// End to end in code-server: draw a review sample of a sample shard, review part of it by keyboard, and
// see the shard's drift estimate and verdict update in the review editor.
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { test } from 'node:test'
import { openWorkbench, pickQuickItem, runCommand, webviewFrame, withScreenshotOnFailure } from './harness/browser'
import { until, useCodeServer } from './harness/session'

const e2e = useCodeServer({ 'phoenix.reviewer': 'e2e-sam' })

test('a reviewed sample gives an estimate and a verdict', { timeout: 300_000 }, async () => {
  const page = e2e.page
  await withScreenshotOnFailure(
    page,
    'sample-estimate',
    async () => {
      await openWorkbench(page, e2e.server.url)
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
      const plans = path.join(e2e.dir, '.phoenix', 'samples')
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
    () => e2e.server.logTail(200),
  )
})
