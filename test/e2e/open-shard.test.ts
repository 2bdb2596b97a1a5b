// End to end in a real VS Code (code-server + Chromium): "Phoenix: Open Shard" on the samples folder opens
// the review editor, whose webview reports the shard's kind and row count.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Locator } from 'playwright-core'
import { useCodeServer } from './harness/session'
import { openWorkbench, pickQuickItem, runCommand, webviewFrame, withScreenshotOnFailure } from './harness/browser'

const shard = 'ultrachat/en.jsonl'

/** "1,234 rows" → 1234 */
const digits = (text: string) => Number(text.replace(/[^\d]/g, '') || NaN)

/** The locator's text once `ok` holds, or its last text after `timeout` (the caller's assert then fails). */
async function settledText(locator: Locator, ok: (text: string) => boolean, timeout = 30_000): Promise<string> {
  const deadline = Date.now() + timeout
  let text = '<missing>'
  for (;;) {
    const read = await locator.textContent({ timeout: Math.max(1000, deadline - Date.now()) }).catch(() => null)
    if (read !== null) text = read
    if (ok(text) || Date.now() > deadline) return text
    await new Promise((r) => setTimeout(r, 250))
  }
}

const e2e = useCodeServer()

test('Phoenix: Open Shard on ultrachat/en.jsonl shows its kind and row count', { timeout: 180_000 }, async () => {
  const file = path.join(e2e.dir, shard)
  assert.ok(fs.existsSync(file), `${file} is missing from the copy of samples/`)
  const expectedRows = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length
  assert.ok(expectedRows > 0, `${file} has no rows`)

  const page = e2e.page
  await withScreenshotOnFailure(
    page,
    'open-shard',
    async () => {
      await openWorkbench(page, e2e.server.url)
      await runCommand(page, 'Phoenix: Open Shard')
      await pickQuickItem(page, shard)
      const view = webviewFrame(page)
      // The webview may render placeholders first: wait until both fields settle on the expected values.
      const kind = await settledText(view.locator('#kind'), (t) => t.trim() === 'ultrachat')
      assert.equal(kind.trim(), 'ultrachat', '#kind')
      const rowCount = await settledText(view.locator('#row-count'), (t) => digits(t) === expectedRows)
      assert.equal(digits(rowCount), expectedRows, `#row-count shows ${JSON.stringify(rowCount)}`)
    },
    () => e2e.server.logTail(200),
  )
})
