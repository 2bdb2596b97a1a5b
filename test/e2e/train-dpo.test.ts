// End to end in code-server: "Phoenix: Train DPO" opens the Training panel with its form prefilled with
// the workspace's latest DPO export (samples/exports/ultrafeedback-binarized-dpo).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openWorkbench, runCommand, webviewFrame, withScreenshotOnFailure } from './harness/browser'
import { useCodeServer } from './harness/session'

const e2e = useCodeServer()

test('Phoenix: Train DPO shows the form prefilled with the sample export', { timeout: 180_000 }, async () => {
  const page = e2e.page
  await withScreenshotOnFailure(
    page,
    'train-dpo',
    async () => {
      await openWorkbench(page, e2e.server.url)
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
    () => e2e.server.logTail(200),
  )
})
