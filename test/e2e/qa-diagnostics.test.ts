// End to end in code-server: a translated JSONL shard opened in the text editor gets Phoenix QA
// diagnostics on its rows (Problems panel), semantic-similarity ones included (the tiny random model served
// by the embedded inference server as the embedding model, threshold 1 so every row with text is below it),
// "Phoenix: QA Report" summarises the shard, and the review editor shows similarity flags on a record.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { buildTinyLlama } from '../../native-runtime/inference/tools/make-tiny-llama'
import { openWorkbench, runCommand, webviewFrame, withScreenshotOnFailure } from './harness/browser'
import { useCodeServer } from './harness/session'

const models = mkdtempSync(join(tmpdir(), 'phoenix-e2e-model-'))
after(() => rmSync(models, { recursive: true, force: true }))
const embeddingModel = buildTinyLlama(join(models, 'tiny-llama')).dir
const e2e = useCodeServer({ 'phoenix.reviewer': 'e2e', 'phoenix.qa.embeddingModelDir': embeddingModel, 'phoenix.qa.checks': { similarity: { threshold: 1 } } })

test('QA flags show as diagnostics on the rows of de.jsonl, the QA report counts the shard, the review editor shows similarity flags', { timeout: 240_000 }, async () => {
  const page = e2e.page
  await withScreenshotOnFailure(
    page,
    'qa-diagnostics',
    async () => {
      await openWorkbench(page, e2e.server.url)
      // Quick Open the translation in the plain text editor.
      await runCommand(page, 'Go to File...')
      await page.keyboard.type('ultrachat/de.jsonl')
      await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ state: 'visible', timeout: 20_000 })
      await page.keyboard.press('Enter')
      await page.locator('.tab', { hasText: 'de.jsonl' }).first().waitFor({ timeout: 20_000 })
      await runCommand(page, 'Problems: Focus on Problems View')
      const rows = page.locator('.markers-panel .monaco-list-row')
      // The extension activates on jsonl and runs QA in the background: wait for the flags to arrive.
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'Code block 1 was changed' }).first().waitFor({ timeout: 90_000 })
      const texts = await rows.allTextContents()
      assert.ok(texts.some((t) => /was left in English/.test(t)), 'an untranslated-sentence flag is listed')
      assert.ok(texts.some((t) => /Phoenix QA/.test(t) || /messages\/1\/content/.test(t)), 'flags name their source and address')
      await rows.filter({ hasText: "meaning looks far from the source" }).first().waitFor({ timeout: 60_000 })

      await runCommand(page, 'Phoenix: QA Report')
      const view = webviewFrame(page)
      await view.locator('#records').waitFor({ timeout: 60_000 })
      assert.equal((await view.locator('#records').textContent())?.trim(), '32')
      assert.ok(Number(await view.locator('#flagged').textContent()) >= 6)
      assert.ok((await view.locator('#by-check tr[data-check="code"]').count()) === 1)

      // The review editor shows a record's similarity flags on its units once the embeddings arrive.
      // Closing the report leaves de.jsonl's text editor active, and Open Shard opens the active shard.
      await runCommand(page, 'View: Close Editor')
      await runCommand(page, 'Phoenix: Open Shard')
      const review = webviewFrame(page)
      await review.locator('#record[data-index="0"]').waitFor({ timeout: 60_000 })
      const similar = review.locator('#record .qa-flag[data-check="similarity"]')
      await similar.first().waitFor({ timeout: 60_000 })
      assert.match((await similar.first().textContent()) ?? '', /meaning looks far from the source/)
    },
    () => e2e.server.logTail(200),
  )
})
