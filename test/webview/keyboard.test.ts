/**
 * The keyboard flow of the review webview. The webview binds no shortcut keys: the keybinding dispatch
 * double (host-double.ts) maps key presses to `command` messages with package.json's keybindings and
 * their `when` clauses, as VS Code and the extension host would. The host double answers the rest.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { REVIEW_COMMANDS } from '../../src/protocol/review'
import { shardInfo, ultrafeedbackRecord } from './fixtures'
import { packageKeybindings, startHarness, type Harness, type ReviewPage } from './harness'

let h: Harness
before(async () => {
  h = await startHarness()
})
after(async () => {
  await h?.close()
})

const spec = () => ({ shard: shardInfo(1000), rowCount: 1000, records: [ultrafeedbackRecord(2)], keybindings: packageKeybindings() })

/** What the webview posted since the last clear, without the list's row requests. */
async function decisions(p: ReviewPage) {
  return (await p.posted()).filter((m) => m.type !== 'requestRows')
}

async function focusedSlot(p: ReviewPage): Promise<string | null> {
  const seg = p.page.locator('#record .segment.focused')
  if ((await seg.count()) !== 1) return null
  const address = await seg.evaluate((el) => el.closest('[data-address]')!.getAttribute('data-address'))
  return `${address}#${await seg.getAttribute('data-segment')}`
}

test('keybinding dispatch double: next/previous record, segment cursor, next flagged, approve', async () => {
  const p = await h.open(spec())
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    await p.clearPosted()

    await page.keyboard.press('j')
    await page.locator('#record[data-index="1"]').waitFor()
    await page.keyboard.press('j')
    await page.locator('#record[data-index="2"]').waitFor()
    await page.keyboard.press('k')
    await page.locator('#record[data-index="1"]').waitFor()
    assert.deepEqual(await decisions(p), [
      { type: 'openRecord', index: 1 },
      { type: 'openRecord', index: 2 },
      { type: 'openRecord', index: 1 },
    ])
    assert.equal(await page.locator('[data-pos="1"]').getAttribute('aria-selected'), 'true')
    assert.deepEqual(await page.locator('phoenix-record-list .row.selected').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-pos'))), ['1'])
    assert.equal(await page.locator('phoenix-record-list .row[aria-selected="true"]').count(), 1)

    // The segment cursor walks every segment of the record in reading order, and stops at the ends.
    assert.equal(await focusedSlot(p), 'messages/0/content#0')
    await page.keyboard.press('ArrowDown')
    assert.equal(await focusedSlot(p), 'messages/0/content#1')
    await page.keyboard.press('ArrowDown')
    assert.equal(await focusedSlot(p), 'messages/1/content#0')
    await page.keyboard.press('ArrowUp')
    assert.equal(await focusedSlot(p), 'messages/0/content#1')
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown')
    assert.equal(await focusedSlot(p), 'messages/2/content#0')

    // Next flagged: synthetic rows 5 (human flag) and 7 (automatic) carry flags.
    await p.clearPosted()
    await page.keyboard.press('n')
    await page.locator('#record[data-index="5"]').waitFor()
    await page.keyboard.press('n')
    await page.locator('#record[data-index="7"]').waitFor()
    assert.deepEqual(await decisions(p), [
      { type: 'openRecord', index: 5 },
      { type: 'openRecord', index: 7 },
    ])

    await p.clearPosted()
    await page.keyboard.press('a')
    await page.locator('#approved-state', { hasText: 'approved' }).and(page.locator('.is-approved')).waitFor()
    await page.keyboard.press('a')
    await page.locator('#approved-state', { hasText: 'not approved' }).waitFor()
    assert.deepEqual(await decisions(p), [
      { type: 'approve', index: 7, approved: true },
      { type: 'approve', index: 7, approved: false },
    ])
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})

test('keybinding dispatch double: flag the focused segment with a reason through the dialog', async () => {
  const p = await h.open(spec())
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    await page.keyboard.press('ArrowDown')
    await p.clearPosted()
    await page.keyboard.press('f')
    const dialog = page.locator('#flag-dialog')
    await dialog.waitFor({ state: 'visible' })
    assert.match((await dialog.locator('h3').textContent()) ?? '', /messages\/0\/content · segment 2/)
    // Reason: the select has focus; arrow down to the second reason and take it.
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    assert.equal(await dialog.locator('#flag-reason').evaluate((el) => (el as HTMLElement & { value: string }).value), 'omission')
    await page.keyboard.press('Tab')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    // Typed into the comment: single-key shortcuts ("j" = next) are paused, as the when clause says.
    await page.keyboard.type('just drops a clause')
    await page.keyboard.press('Control+Enter')
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('#record [data-address="messages/0/content"] [data-segment="1"] .flag[data-flag-id="flag-1"]').waitFor()
    assert.deepEqual(await decisions(p), [
      { type: 'inputFocus', active: true },
      { type: 'flag', index: 0, address: 'messages/0/content', segment: 1, reason: 'omission', severity: 'critical', comment: 'just drops a clause' },
      { type: 'inputFocus', active: false },
    ])
    assert.deepEqual(
      (await p.dispatched()).map((d) => d.name),
      ['nextSegment', 'flag'],
    )
    // Escape cancels the dialog and posts nothing.
    await p.clearPosted()
    await page.keyboard.press('f')
    await dialog.waitFor({ state: 'visible' })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    assert.deepEqual(await decisions(p), [
      { type: 'inputFocus', active: true },
      { type: 'inputFocus', active: false },
    ])
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})

test('keybinding dispatch double: edit the focused unit, Ctrl+Enter commits, Escape cancels, d shows the word diff', async () => {
  const p = await h.open(spec())
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await p.clearPosted()
    // Edit the focused unit (messages/1/content).
    await page.keyboard.press('e')
    const textarea = page.locator('#record [data-address="messages/1/content"] vscode-textarea textarea')
    await textarea.waitFor()
    await page.waitForFunction(() => window.__phoenix.inputFocus === true)
    await page.keyboard.press('Escape')
    await textarea.waitFor({ state: 'detached' })
    await page.keyboard.press('e')
    await textarea.waitFor()
    await page.keyboard.press('Control+a')
    await page.keyboard.type('Die Antwort 0.')
    await page.keyboard.press('Control+Enter')
    await textarea.waitFor({ state: 'detached' })
    assert.deepEqual(await decisions(p), [
      { type: 'inputFocus', active: true },
      { type: 'inputFocus', active: false },
      { type: 'inputFocus', active: true },
      { type: 'edit', index: 0, address: 'messages/1/content', text: 'Die Antwort 0.' },
      { type: 'inputFocus', active: false },
    ])
    const unit = page.locator('#record [data-address="messages/1/content"]')
    await unit.locator('.edited').waitFor()
    assert.equal((await unit.locator('[data-segment="0"] .tgt').textContent())?.trim(), 'Die Antwort 0.')

    await page.keyboard.press('d')
    const diff = unit.locator('.diff')
    await diff.waitFor()
    assert.deepEqual(await diff.locator('ins').allTextContents(), ['Die '])
    assert.ok((await diff.locator('del').allTextContents()).join('').includes('```python'))
    await page.keyboard.press('d')
    await diff.waitFor({ state: 'detached' })
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})

test('keybinding dispatch double: preference picks by number, swap, tie, unusable', async () => {
  const p = await h.open(spec())
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    await page.locator('#record[data-index="2"]').waitFor()
    await p.clearPosted()
    const card = (i: number) => page.locator(`#record [data-completion="${i}"]`)
    assert.equal((await card(0).locator('.label').textContent())?.trim(), 'chosen')
    assert.equal((await card(1).locator('.score').textContent())?.trim(), 'score 3')

    await page.keyboard.press('2')
    await page.locator('#record [data-completion="1"].picked-chosen').waitFor()
    assert.equal(await card(0).evaluate((el) => el.classList.contains('picked-rejected')), true)
    await page.keyboard.press('Shift+2')
    await page.locator('#record [data-completion="1"].picked-rejected').waitFor()
    assert.equal(await card(0).evaluate((el) => el.classList.contains('picked-chosen')), true)
    await page.keyboard.press('s')
    await page.locator('#record [data-completion="1"].picked-chosen').waitFor()
    await page.keyboard.press('t')
    await page.locator('#pick-state', { hasText: 'tie' }).waitFor()
    assert.equal(await page.locator('#record .picked-chosen, #record .picked-rejected').count(), 0)
    await page.keyboard.press('u')
    await page.locator('#pick-state', { hasText: 'unusable' }).waitFor()
    await page.keyboard.press('1')
    await page.locator('#record [data-completion="0"].picked-chosen').waitFor()
    // There is no third completion: nothing is sent, the reason shows.
    await page.keyboard.press('3')
    await page.locator('#status', { hasText: 'no completion 3' }).waitFor()
    assert.deepEqual(await decisions(p), [
      { type: 'pick', index: 2, chosen: 1, rejected: 0, verdict: 'pair' },
      { type: 'pick', index: 2, chosen: 0, rejected: 1, verdict: 'pair' },
      { type: 'pick', index: 2, chosen: 1, rejected: 0, verdict: 'pair' },
      { type: 'pick', index: 2, chosen: null, rejected: null, verdict: 'tie' },
      { type: 'pick', index: 2, chosen: null, rejected: null, verdict: 'unusable' },
      { type: 'pick', index: 2, chosen: 0, rejected: 1, verdict: 'pair' },
    ])
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})

test('keybinding dispatch double: ? opens the shortcut overlay listing every command, Escape closes it', async () => {
  const p = await h.open(spec())
  try {
    const { page } = p
    await page.locator('#record[data-index="0"]').waitFor()
    await page.keyboard.press('Shift+Slash')
    const help = page.locator('#help')
    await help.waitFor({ state: 'visible' })
    const rows = await help.locator('tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-command')))
    assert.deepEqual(rows, REVIEW_COMMANDS.map((c) => c.name))
    assert.equal((await help.locator('[data-command="pickRejected"] kbd').textContent())?.trim(), 'Shift+1…4')
    await page.keyboard.press('Escape')
    await help.waitFor({ state: 'hidden' })
    await page.keyboard.press('Shift+Slash')
    await help.waitFor({ state: 'visible' })
    await page.keyboard.press('Shift+Slash')
    await help.waitFor({ state: 'hidden' })
    assert.deepEqual(
      (await decisions(p)).filter((m) => m.type !== 'ready' && m.type !== 'openRecord'),
      [],
      'the overlay posts nothing',
    )
    assert.deepEqual(await p.problems(), [])
  } finally {
    await p.close()
  }
})
