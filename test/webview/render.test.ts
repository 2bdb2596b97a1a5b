/**
 * The review webview in real Chromium under the extension's CSP. Everything on the VS Code side is a
 * double (host-double.ts): acquireVsCodeApi records what the webview posts and answers from data
 * generated here.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { FLAG_REASONS } from '../../src/protocol/review'
import { XSS_IMG, XSS_SCRIPT, XSS_SVG, shardInfo, syntheticReason, syntheticRecord, syntheticRow, ultrafeedbackRecord, xssRecord, xssRow } from './fixtures'
import { packageKeybindings, startHarness, type Harness } from './harness'

const ROWS = 200_000
let h: Harness

before(async () => {
  h = await startHarness()
})
after(async () => {
  await h?.close()
})

function expectedCounts() {
  let automatic = 0
  let flagged = 0
  let reviewed = 0
  const byReason: Record<string, number> = {}
  for (let i = 0; i < ROWS; i++) {
    const r = syntheticRow(i)
    if (r.qaFlags) automatic++
    if (r.flags) {
      flagged++
      byReason[syntheticReason(i)] = (byReason[syntheticReason(i)] ?? 0) + 1
    }
    if (r.reviewed) reviewed++
  }
  return { automatic, flagged, reviewed, byReason }
}

test('host double at the VS Code boundary: shard info, filter counts, list and a record side by side with aligned segments', async () => {
  const p = await h.open({ shard: shardInfo(ROWS), rowCount: ROWS, keybindings: packageKeybindings() })
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    assert.equal((await page.locator('#kind').textContent())?.trim(), 'ultrachat')
    assert.equal((await page.locator('#format').textContent())?.trim(), 'jsonl')
    assert.equal((await page.locator('#row-count').textContent())?.trim(), String(ROWS))

    // The handshake: ready, then rows for the viewport and the first record, nothing else.
    const posted = await p.posted()
    assert.deepEqual(posted[0], { type: 'ready' })
    assert.deepEqual(
      posted.filter((m) => m.type === 'openRecord'),
      [{ type: 'openRecord', index: 0 }],
    )
    for (const m of posted.filter((m) => m.type === 'requestRows')) assert.ok(m.type === 'requestRows' && m.end <= 400, `first requests stay near the top: ${JSON.stringify(m)}`)

    // Counts of every filter option come from FilterCounts.
    const exp = expectedCounts()
    const countOf = async (select: string, value: string) => (await page.locator(`${select} vscode-option[value="${value}"] .filter-count`).allTextContents()).map((t) => Number(t.trim()))
    assert.deepEqual(await countOf('#f-flag', 'automatic'), [exp.automatic])
    assert.deepEqual(await countOf('#f-flag', 'any'), [exp.flagged, exp.automatic])
    assert.deepEqual(await countOf('#f-flag', ''), [ROWS])
    for (const r of FLAG_REASONS) assert.deepEqual(await countOf('#f-flag', r), [exp.byReason[r] ?? 0], r)
    assert.deepEqual(await countOf('#f-reviewed', 'reviewed'), [exp.reviewed])
    assert.deepEqual(await countOf('#f-reviewed', 'unreviewed'), [ROWS - exp.reviewed])
    assert.deepEqual(await countOf('#f-reviewer', 'alice'), [exp.reviewed])
    assert.equal(await page.locator('#filters .filter-count').count(), 1 + 2 + 1 + FLAG_REASONS.length + 3 + 1)
    assert.equal((await page.locator('#match-count').textContent())?.trim(), String(ROWS))

    // The list shows rows by position, previews as text, badges from the summary.
    assert.equal((await page.locator('[data-pos="3"] .preview').textContent())?.trim(), syntheticRow(3).preview)
    assert.equal(await page.locator('[data-pos="5"] .row-flags').count(), 1)
    assert.equal(await page.locator('[data-pos="7"] .row-qa').count(), 1)
    assert.equal(await page.locator('[data-pos="0"]').getAttribute('aria-selected'), 'true')

    // Each unit: English | German per segment, in one row.
    const unit = page.locator('#record [data-address="messages/0/content"]')
    assert.equal((await unit.locator('.role').textContent())?.trim(), 'user')
    for (const [i, src, tgt] of [
      [0, 'Question 0, first paragraph.', 'Frage 0, erster Absatz.'],
      [1, 'Second paragraph of question 0.', 'Zweiter Absatz der Frage 0.'],
    ] as const) {
      const seg = unit.locator(`[data-segment="${i}"]`)
      assert.equal((await seg.locator('.src').textContent())?.trim(), src)
      assert.equal((await seg.locator('.tgt').textContent())?.trim(), tgt)
      const a = (await seg.locator('.src').boundingBox())!
      const b = (await seg.locator('.tgt').boundingBox())!
      assert.ok(Math.abs(a.y - b.y) < 1, `segment ${i}: source and translation on one line (${a.y} vs ${b.y})`)
      assert.ok(a.x + a.width <= b.x, `segment ${i}: source left of translation`)
    }
    // Segment 1 starts below segment 0 in both columns (aligned rows, not two free-flowing columns).
    const s0 = (await unit.locator('[data-segment="0"] .tgt').boundingBox())!
    const s1 = (await unit.locator('[data-segment="1"] .src').boundingBox())!
    assert.ok(s1.y >= s0.y + s0.height - 1)

    // Fenced code: monospaced, pre-wrapped; the styles apply under the CSP (adopted stylesheets).
    const code = page.locator('#record [data-address="messages/1/content"] [data-segment="1"] .tgt pre.code')
    assert.equal((await code.textContent())?.trim(), '```python\nprint(0)\n```')
    const style = await code.evaluate((el) => ({ ws: getComputedStyle(el).whiteSpace, font: getComputedStyle(el).fontFamily }))
    assert.equal(style.ws, 'pre-wrap')
    assert.match(style.font, /mono/i)
    const prose = page.locator('#record [data-address="messages/1/content"] [data-segment="0"] .tgt .prose')
    assert.equal(await prose.evaluate((el) => getComputedStyle(el).whiteSpace), 'pre-wrap')
    const selectedBg = await page.locator('[data-pos="0"]').evaluate((el) => getComputedStyle(el).backgroundColor)
    assert.notEqual(selectedBg, 'rgba(0, 0, 0, 0)', 'the selected row is highlighted')
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})

test('host double at the VS Code boundary: XSS in rows and records shows literally and runs nothing', async () => {
  const p = await h.open({
    shard: { ...shardInfo(50), name: XSS_IMG },
    rowCount: 50,
    rows: [xssRow(0), xssRow(1)],
    records: [xssRecord(0)],
    keybindings: packageKeybindings(),
  })
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    assert.equal((await page.locator('#name').textContent())?.trim(), XSS_IMG)
    assert.equal((await page.locator('[data-pos="0"] .preview').textContent())?.trim(), `${XSS_SCRIPT} ${XSS_IMG}`)
    const seg = page.locator('#record [data-segment="0"]')
    assert.equal((await seg.locator('.src').textContent())?.trim(), XSS_SCRIPT)
    assert.equal((await seg.locator('.tgt').textContent())?.trim(), XSS_IMG)
    assert.equal((await page.locator('#record .role').textContent())?.trim(), XSS_IMG)
    assert.equal((await page.locator('#record > .error').textContent())?.trim(), XSS_SCRIPT)
    assert.equal((await page.locator('#record .flag .comment').textContent())?.trim(), XSS_SVG)
    assert.equal((await page.locator('#record .qa-flag .check').textContent())?.trim(), XSS_SCRIPT)
    assert.equal((await page.locator('#record .qa-flag .message').textContent())?.trim(), XSS_IMG)
    // The diff of machine (markup) and edit (markup) is text too.
    await p.push({ type: 'command', name: 'toggleDiff' })
    await page.locator('#record .diff').waitFor()
    const sides = await page.locator('#record .diff').evaluate((el) => {
      const parts = [...el.children].map((c) => ({ tag: c.tagName, text: c.textContent ?? '' }))
      return {
        before: parts.filter((x) => x.tag !== 'INS').map((x) => x.text).join(''),
        after: parts.filter((x) => x.tag !== 'DEL').map((x) => x.text).join(''),
        changed: parts.some((x) => x.tag === 'DEL') && parts.some((x) => x.tag === 'INS'),
      }
    })
    assert.deepEqual(sides, { before: XSS_SVG, after: XSS_IMG, changed: true })

    // Nothing became markup: no element from dataset text exists anywhere in the app's shadow trees.
    // (No named inner functions in page code: tsx would wrap them in a helper the page lacks.)
    const injected = await page.evaluate(() => {
      const found: string[] = []
      const roots: ShadowRoot[] = []
      for (const el of document.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot)
      while (roots.length) {
        const root = roots.pop()!
        // The app's own trees (vscode-elements draw their icons as svg in theirs).
        const ours = root.host.localName.startsWith('phoenix-')
        for (const el of root.querySelectorAll('*')) {
          if (ours && ['script', 'img', 'svg', 'iframe', 'object'].includes(el.localName)) found.push(el.localName)
          for (const a of el.getAttributeNames()) if (a.startsWith('on')) found.push(`${el.localName}[${a}]`)
          if (el.shadowRoot) roots.push(el.shadowRoot)
        }
      }
      return found
    })
    assert.deepEqual(injected, [])
    await page.waitForTimeout(200)
    assert.equal(await page.evaluate(() => window.__xss), undefined)
    assert.deepEqual(await p.problems(), [], 'no alert dialog, no CSP violation, no error')
  } finally {
    await p.close()
  }
})

test('host double at the VS Code boundary: a filter choice posts setFilter and the list shows the matching rows', async () => {
  const p = await h.open({ shard: shardInfo(ROWS), rowCount: ROWS, keybindings: packageKeybindings() })
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    await p.clearPosted()
    await page.locator('#f-flag').click()
    await page.locator('#f-flag li.option', { hasText: /^\s*automatic/ }).click()
    await page.locator('#match-count', { hasText: String(expectedCounts().automatic) }).waitFor()
    const setFilter = await p.postedOf('setFilter')
    assert.deepEqual(setFilter, [{ type: 'setFilter', filter: { flag: 'automatic' } }])
    // Rows re-requested for the new list from its top, and the first matching row (7) shows.
    await page.locator('[data-pos="0"][data-index="7"]').waitFor()
    const req = await p.postedOf('requestRows')
    assert.ok(req.length > 0 && req.every((r) => r.start < 600), JSON.stringify(req))
    assert.equal((await page.locator('[data-pos="1"]').getAttribute('data-index')), String(7 + 89))

    // Ratio bounds and text search go out as numbers and text.
    await page.locator('#f-ratio-min input').fill('0.9')
    await page.locator('#f-ratio-min input').press('Tab')
    await page.locator('#f-text input').fill('haiku')
    await page.waitForFunction(() => window.__phoenix.posted.filter((m) => (m as { type: string }).type === 'setFilter').length >= 3)
    // Typing in a filter field pauses single-key shortcuts in the host.
    assert.deepEqual((await p.postedOf('inputFocus')).at(-1), { type: 'inputFocus', active: true })
    await page.locator('#record h2').click()
    await page.waitForFunction(() => window.__phoenix.inputFocus === false)
    const last = (await p.postedOf('setFilter')).at(-1)
    assert.deepEqual(last, { type: 'setFilter', filter: { flag: 'automatic', ratioMin: 0.9, text: 'haiku' } })
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})

test('host double at the VS Code boundary: automatic flags confirm/dismiss and human flags unflag from their unit', async () => {
  const rec = ultrafeedbackRecord(0)
  rec.flags = [{ id: 'f-1', address: 'prompt', segment: 0, reason: 'terminology', severity: 'minor', comment: 'Begriff', reviewer: 'alice', automatic: false }]
  const p = await h.open({ shard: shardInfo(10, 'ultrafeedback-binarized'), rowCount: 10, records: [rec], keybindings: packageKeybindings() })
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    const qa = page.locator('#record [data-address="chosen/1/content"] .qa-flag')
    assert.equal((await qa.locator('.automatic').textContent())?.trim(), 'automatic')
    await qa.locator('.qa-dismiss').click()
    await page.locator('#record .qa-flag.status-dismissed').waitFor()
    const flag = page.locator('#record [data-address="prompt"] [data-segment="0"] .flag')
    assert.equal((await flag.locator('.reason').textContent())?.trim(), 'terminology')
    await flag.locator('.unflag').click()
    await page.locator('#record .flag').waitFor({ state: 'detached' })
    assert.deepEqual(await p.postedOf('qaDecision'), [{ type: 'qaDecision', index: 0, key: 'numbers:chosen/1/content:0', decision: 'dismiss' }])
    assert.deepEqual(await p.postedOf('unflag'), [{ type: 'unflag', index: 0, flagId: 'f-1' }])
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})

test('an automatic flag placed on a segment shows in that segment; one without a segment on its unit', async () => {
  const rec = syntheticRecord(0)
  rec.qaFlags = [
    { key: 'seg', address: 'messages/1/content', check: 'code', severity: 'error', message: 'Code block 1 was changed.', automatic: true, status: 'open', segment: 1 },
    { key: 'unit', address: 'messages/1/content', check: 'length-ratio', severity: 'warning', message: 'The translation is long.', automatic: true, status: 'open' },
  ]
  const p = await h.open({ shard: shardInfo(1), rowCount: 1, records: [rec], keybindings: packageKeybindings() })
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    const unit = page.locator('#record [data-address="messages/1/content"]')
    const inSegment = unit.locator('[data-segment="1"] .qa-flag')
    assert.equal(await inSegment.count(), 1)
    assert.equal(await inSegment.getAttribute('data-key'), 'seg')
    assert.equal(await unit.locator('[data-segment="1"]').getAttribute('class').then((c) => c?.includes('qa-flagged')), true)
    assert.equal(await unit.locator('[data-segment="0"] .qa-flag').count(), 0)
    const onUnit = unit.locator(':scope > .flags .qa-flag')
    assert.deepEqual(await onUnit.evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))), ['unit'])
    // the segment's flag takes decisions like the unit's
    await inSegment.locator('.qa-confirm').click()
    await unit.locator('[data-segment="1"] .qa-flag.status-confirmed').waitFor()
    assert.deepEqual(await p.postedOf('qaDecision'), [{ type: 'qaDecision', index: 0, key: 'seg', decision: 'confirm' }])
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})
