// Debian's Chromium driven by playwright-core, pointed at a code-server workbench.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core'
import { launchChromium } from '../../chromium'
import { repoRoot } from './code-server'

export const resultsDir = path.join(repoRoot, 'test-results')

export interface Browser {
  context: BrowserContext
  page: Page
  close(): Promise<void>
}

export async function launchBrowser(): Promise<Browser> {
  const { context, close } = await launchChromium()
  const page = context.pages()[0] ?? (await context.newPage())
  return { context, page, close }
}

/** Loads the workbench URL and waits for VS Code's workbench element (4-7 s after load here). */
export async function openWorkbench(page: Page, url: string, timeout = 90_000): Promise<void> {
  await page.goto(url, { timeout })
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout })
}

const quickInput = (page: Page) => page.locator('.quick-input-widget')
const quickInputBox = (page: Page) => page.locator('.quick-input-widget .quick-input-box input')
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The visible quick-input row whose label is exactly `label` (highlight spans split the text, textContent does not). */
export function quickItem(page: Page, label: string): Locator {
  const exact = new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`)
  return quickInput(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
}

async function closeQuickInput(page: Page): Promise<void> {
  if (await quickInput(page).isVisible()) {
    await page.keyboard.press('Escape')
    await quickInput(page).waitFor({ state: 'hidden', timeout: 2000 }).catch(() => {})
  }
}

/**
 * Runs a command by its palette title ("View: Toggle Terminal"). Right after the workbench shows, extension
 * commands are not listed yet, so the palette is closed and reopened until the row appears.
 */
export async function runCommand(page: Page, title: string, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout
  for (let attempt = 1; ; attempt++) {
    await closeQuickInput(page)
    // Focus the workbench first: F1 is swallowed while focus sits in a webview iframe or nowhere.
    await page.locator('.monaco-workbench').focus().catch(() => {})
    await page.keyboard.press('F1')
    const box = quickInputBox(page)
    try {
      await box.waitFor({ state: 'visible', timeout: 5000 })
      // F1 opens the palette with '>' already typed.
      await box.fill(`>${title}`)
      const row = quickItem(page, title).first()
      await row.waitFor({ state: 'visible', timeout: 2500 })
      await row.click()
      await quickInput(page).waitFor({ state: 'hidden', timeout: 2000 }).catch(() => {})
      return
    } catch (e) {
      if (Date.now() > deadline) {
        await closeQuickInput(page)
        throw new Error(`command "${title}" did not show in the command palette within ${timeout} ms (${attempt} tries): ${(e as Error).message}`)
      }
      await page.waitForTimeout(1000)
    }
  }
}

/** Picks the item labelled `label` in the open quick pick (its items may arrive a moment later). */
export async function pickQuickItem(page: Page, label: string, timeout = 20_000): Promise<void> {
  const row = quickItem(page, label).first()
  try {
    await row.waitFor({ state: 'visible', timeout })
  } catch {
    const shown = await quickInput(page).locator('.monaco-list-row .label-name').allTextContents().catch(() => [])
    throw new Error(`quick pick item "${label}" not shown within ${timeout} ms; items: ${JSON.stringify(shown)}`)
  }
  await row.click()
}

/** The content of the (single visible) webview: two iframes deep in VS Code web. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame')
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(resultsDir, { recursive: true })
  const file = path.join(resultsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`)
  await page.screenshot({ path: file, timeout: 10_000 })
  return file
}

/** Runs `fn`; on failure saves a screenshot (and `extra` text, e.g. the server log) into test-results/. */
export async function withScreenshotOnFailure<T>(page: Page, name: string, fn: () => Promise<T>, extra?: () => string): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    const notes: string[] = []
    try {
      notes.push(`screenshot: ${await screenshot(page, name)}`)
    } catch (err) {
      notes.push(`screenshot failed: ${(err as Error).message}`)
    }
    if (extra) {
      const file = path.join(resultsDir, `${name.replace(/[^\w.-]+/g, '_')}.log`)
      fs.mkdirSync(resultsDir, { recursive: true })
      fs.writeFileSync(file, extra())
      notes.push(`log: ${file}`)
    }
    if (e instanceof Error) e.message += `\n(${notes.join('; ')})`
    throw e
  }
}
