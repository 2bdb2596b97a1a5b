// End to end in code-server: the review editor driven by the keyboard through VS Code's own keybindings.
// Open a binarized shard, flag a segment with a reason, edit a translation, pick chosen and rejected,
// undo once, save, close, reopen, and find the decisions (in the editor and in the journal on disk).
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { test } from 'node:test'
import type { FrameLocator, Page } from 'playwright-core'
import { openWorkbench, pickQuickItem, runCommand, webviewFrame, withScreenshotOnFailure } from './harness/browser'
import { until, useCodeServer } from './harness/session'

const e2e = useCodeServer({ 'phoenix.reviewer': 'e2e-ann' })

async function openReview(page: Page): Promise<FrameLocator> {
  await runCommand(page, 'Phoenix: Open Shard')
  await pickQuickItem(page, 'ultrafeedback-binarized/en.jsonl')
  const view = webviewFrame(page)
  await view.locator('#record[data-index="0"]').waitFor({ timeout: 60_000 })
  // Keys typed into the webview reach VS Code's keybindings only while the webview has focus.
  await view.locator('#record .unit-head').first().click()
  return view
}

const recordIndex = async (view: FrameLocator) => view.locator('#record').getAttribute('data-index')

test('flag, edit, pick, undo, save, close, reopen: the decisions are there', { timeout: 300_000 }, async () => {
  const page = e2e.page
  await withScreenshotOnFailure(
    page,
    'review-flow',
    async () => {
      await openWorkbench(page, e2e.server.url)
      let view = await openReview(page)

      // j: next record, through the contributed keybinding.
      await page.keyboard.press('j')
      await until('record 1', async () => (await recordIndex(view)) === '1')
      const address = (await view.locator('#record article.unit').nth(1).getAttribute('data-address'))!

      // ↓ moves the segment cursor, f opens the flag dialog on it, the reason is picked with the keyboard.
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('f')
      await view.locator('#flag-dialog[open]').waitFor({ timeout: 10_000 })
      await view.locator('#flag-reason').evaluate((el) => ((el as HTMLElement & { value: string }).value = 'omission'))
      await view.locator('#flag-comment').click()
      await page.keyboard.type('a sentence is missing')
      await page.keyboard.press('Control+Enter')
      await view.locator('#record .flag[data-reason="omission"]').first().waitFor({ timeout: 10_000 })

      // e edits the focused unit; Ctrl+Enter commits.
      await view.locator('#record .unit-head').first().click()
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('e')
      const editor = view.locator('#record vscode-textarea.edit-text')
      await editor.waitFor({ timeout: 10_000 })
      await editor.evaluate((el) => ((el as HTMLElement & { value: string }).value = 'Korrigierte Übersetzung aus dem Test.'))
      await editor.click()
      await page.keyboard.press('Control+Enter')
      await view.locator('#record .edited').first().waitFor({ timeout: 10_000 })

      // 2: completion 2 is chosen (so 1 is rejected); then a: approve, which the undo takes back.
      await view.locator('#record .unit-head').first().click()
      await page.keyboard.press('2')
      await until('the pick', async () => /2/.test((await view.locator('#pick-state').textContent()) ?? ''))
      await page.keyboard.press('a')
      await until('approved', async () => /approved/.test((await view.locator('#approved-state').textContent()) ?? '') && !/not/.test((await view.locator('#approved-state').textContent()) ?? ''))
      await page.keyboard.press('Control+z')
      await until('approval undone', async () => /not approved/.test((await view.locator('#approved-state').textContent()) ?? ''))

      // Save (dirty editor → journal), close, reopen.
      await page.keyboard.press('Control+s')
      const journalDir = path.join(e2e.dir, '.phoenix', 'journal')
      const journal = () => path.join(journalDir, fs.readdirSync(journalDir)[0], 'e2e-ann.jsonl')
      const lines = () => fs.readFileSync(journal(), 'utf8').split('\n').filter((l) => l.trim())
      await until('three events in the journal on disk', async () => lines().length >= 3, 20_000)
      const events = lines().map((l) => JSON.parse(l))
      assert.deepEqual(events.map((e) => e.type).sort(), ['edit', 'flag', 'pick'])
      assert.equal(events.find((e) => e.type === 'flag').reason, 'omission')
      assert.deepEqual(events.find((e) => e.type === 'pick').chosen, 1)

      await runCommand(page, 'View: Close All Editors')
      await page.locator('.tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {})
      view = await openReview(page)
      await page.keyboard.press('j')
      await until('record 1 again', async () => (await recordIndex(view)) === '1')
      await view.locator('#record .flag[data-reason="omission"]').first().waitFor({ timeout: 10_000 })
      assert.equal(await view.locator('#record .edited').count() > 0, true, 'the edit is shown')
      assert.match((await view.locator(`#record article[data-address="${address}"]`).textContent()) ?? '', /./)
      assert.match((await view.locator('#pick-state').textContent()) ?? '', /2/)
      assert.match((await view.locator('#approved-state').textContent()) ?? '', /not approved/)
    },
    () => e2e.server.logTail(200),
  )
})
