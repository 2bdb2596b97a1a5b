/**
 * The 200k-row record list in real Chromium: virtualized, and fetching only the pages near the viewport
 * from the host double (acquireVsCodeApi at the VS Code boundary).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { WINDOW } from '../../webview/review/record-list'
import { PAGE } from '../../webview/review/row-cache'
import { shardInfo, syntheticRecord, syntheticRow } from './fixtures'
import { packageKeybindings, startHarness, type Harness } from './harness'

const ROWS = 200_000
let h: Harness
before(async () => {
  h = await startHarness()
})
after(async () => {
  await h?.close()
})

test('host double at the VS Code boundary: scrolling the 200k-row list requests only the pages near the viewport', async () => {
  const p = await h.open({ shard: shardInfo(ROWS), rowCount: ROWS, keybindings: packageKeybindings() })
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    const list = page.locator('lit-virtualizer#list')
    const rowHeight = (await page.locator('[data-pos="0"]').boundingBox())!.height
    const viewRows = Math.ceil((await list.boundingBox())!.height / rowHeight)

    for (const target of [100_000, 100_300, 150_000, ROWS - 1]) {
      await p.clearPosted()
      await list.evaluate((el, top) => (el.scrollTop = top), target * rowHeight)
      const row = page.locator(`[data-pos="${target}"][data-index="${target}"]`)
      await row.waitFor()
      assert.equal((await row.locator('.preview').textContent())?.trim(), syntheticRow(target).preview)
      const req = await p.postedOf('requestRows')
      assert.ok(req.length > 0, `rows requested for ${target}`)
      const lo = target - 2 * PAGE
      const hi = target + viewRows + 2 * PAGE
      for (const r of req) assert.ok(r.start >= lo && r.end <= hi + PAGE && r.end - r.start <= 1000, `request ${JSON.stringify(r)} stays near ${target}`)
      const total = req.reduce((n, r) => n + r.end - r.start, 0)
      assert.ok(total <= 4 * PAGE + viewRows, `${total} rows requested for one jump`)
    }
    // Virtualized: only the rows in and near view are in the DOM.
    const inDom = await page.locator('phoenix-record-list .row').count()
    assert.ok(inDom < 4 * viewRows, `${inDom} rows in the DOM`)

    // Wheel scrolling a few screens asks for the next page at most once.
    await list.evaluate((el) => (el.scrollTop = 0))
    await page.locator('[data-pos="0"][data-index="0"]').waitFor()
    await p.clearPosted()
    await list.hover()
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, rowHeight * 20)
    await page.waitForTimeout(200)
    const req = await p.postedOf('requestRows')
    const pages = req.flatMap((r) => Array.from({ length: (r.end - r.start) / PAGE }, (_, k) => r.start / PAGE + k))
    assert.equal(new Set(pages).size, pages.length, `no page requested twice: ${JSON.stringify(req)}`)
    assert.ok(pages.every((pg) => pg <= 3), `pages near the top only: ${pages}`)
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})

test('host double at the VS Code boundary: a list longer than the virtualizer can scroll moves a window, every row stays reachable', async () => {
  const N = 300_000
  const p = await h.open({ shard: shardInfo(N), rowCount: N, keybindings: packageKeybindings() })
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    const list = page.locator('lit-virtualizer#list')
    assert.equal(await page.locator('#rows-before').count(), 0)
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight))
    await page.locator(`[data-pos="${WINDOW - 1}"][data-index="${WINDOW - 1}"]`).waitFor()
    await page.locator('#rows-after').click()
    await page.locator(`[data-pos="${WINDOW}"][data-index="${WINDOW}"]`).waitFor()
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight))
    await page.locator(`[data-pos="${N - 1}"][data-index="${N - 1}"]`).click()
    await page.locator(`#record[data-index="${N - 1}"]`).waitFor()
    // Keyboard navigation moves the window back with it.
    await page.locator('#rows-before').click()
    await p.push({ type: 'command', name: 'previous' })
    await page.locator(`#record[data-index="${N - 2}"]`).waitFor()
    assert.equal(await page.locator(`[data-pos="${N - 2}"]`).getAttribute('aria-selected'), 'true')
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})

test('host double at the VS Code boundary (answers pushed by the test): next past the cached pages waits for the rows, stale records are dropped', async () => {
  const p = await h.open({ shard: shardInfo(ROWS), rowCount: ROWS, keybindings: [] }, { autoAnswer: false })
  try {
    const { page } = p
    await page.waitForFunction(() => window.__phoenix.posted.length > 0)
    const counts = { mode: 'all' as const, total: ROWS, matching: ROWS, flagged: 0, automatic: 0, reviewed: 0, unreviewed: ROWS, byReason: {}, reviewers: {} }
    await p.push({ type: 'init', shard: shardInfo(ROWS), rows: Array.from({ length: PAGE }, (_, i) => syntheticRow(i)), counts })
    await p.push({ type: 'record', record: syntheticRecord(0) })
    await page.locator('#record[data-index="0"]').waitFor()
    const opened = async () => (await p.postedOf('openRecord')).map((m) => m.index)
    assert.deepEqual(await opened(), [0])
    // Page 0 came with init; the list asked for the next page only.
    assert.deepEqual(await p.postedOf('requestRows'), [{ type: 'requestRows', start: PAGE, end: 2 * PAGE }])

    for (let i = 1; i < PAGE; i++) await p.push({ type: 'command', name: 'next' })
    assert.equal((await opened()).at(-1), PAGE - 1)
    // Position 200 is not loaded: nothing to open yet.
    await p.push({ type: 'command', name: 'next' })
    assert.equal((await opened()).at(-1), PAGE - 1)
    await p.push({ type: 'rows', start: PAGE, rows: Array.from({ length: PAGE }, (_, i) => syntheticRow(PAGE + i)) })
    await page.waitForFunction((n) => window.__phoenix.posted.some((m) => (m as { type: string; index?: number }).type === 'openRecord' && (m as { index: number }).index === n), PAGE)
    assert.deepEqual((await opened()).slice(-2), [PAGE - 1, PAGE])
    // An answer to an earlier openRecord arrives late: it must not replace what the reviewer moved to.
    await p.push({ type: 'record', record: syntheticRecord(150) })
    await p.push({ type: 'record', record: syntheticRecord(PAGE) })
    await page.locator(`#record[data-index="${PAGE}"]`).waitFor()
    await p.push({ type: 'record', record: syntheticRecord(151) })
    // A record the host shows on its own (reveal, undo) after the answer is followed.
    await page.locator('#record[data-index="151"]').waitFor()
    assert.equal(await page.locator('[data-pos="151"]').getAttribute('aria-selected'), 'true')
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})
