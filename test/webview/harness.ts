/**
 * Real Chromium for the review webview. A node:http server on 127.0.0.1 serves a page with the
 * extension's CSP (a fresh nonce per load) that loads media/review.js after the host double
 * (host-double.ts: acquireVsCodeApi and the keybinding dispatch double), fed with a data set the test
 * generated. Build first: `npm run build` writes media/review.js.
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import * as esbuild from 'esbuild'
import type { BrowserContext, Page } from 'playwright-core'
import { launchChromium, type Chromium } from '../chromium'
import type { HostToReview, ReviewToHost } from '../../src/protocol/review'
import type { HostDataSpec, Keybinding } from './fixtures'

export const repoRoot = path.resolve(import.meta.dirname, '../..')
const reviewJs = path.join(repoRoot, 'media', 'review.js')


/** The keybindings package.json contributes for the review editor (empty when it has none yet). */
export function packageKeybindings(): Keybinding[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes?: { keybindings?: Keybinding[] } }
  return (pkg.contributes?.keybindings ?? []).filter((k) => k.command.startsWith('phoenix.review.'))
}

let doubleJs: string | undefined
async function hostDoubleScript(): Promise<string> {
  if (!doubleJs) {
    const out = await esbuild.build({
      entryPoints: [path.join(import.meta.dirname, 'host-double.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'warning',
    })
    doubleJs = out.outputFiles[0].text
  }
  return doubleJs
}

// JSON inside a <script type="application/json"> must not be able to close the element.
const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c')

export interface ReviewPage {
  page: Page
  /** Messages the webview posted (validated ones only when `valid`), oldest first. */
  posted(): Promise<ReviewToHost[]>
  clearPosted(): Promise<void>
  /** Messages of one type posted since the last clear. */
  postedOf<T extends ReviewToHost['type']>(type: T): Promise<Extract<ReviewToHost, { type: T }>[]>
  /** Sends a host message to the webview, as the extension host's postMessage would. */
  push(m: HostToReview): Promise<void>
  /** Commands the keybinding dispatch double sent. */
  dispatched(): Promise<{ name: string; arg?: number }[]>
  /** CSP violations and page errors seen so far. */
  problems(): Promise<string[]>
  close(): Promise<void>
}

export interface Harness {
  context: BrowserContext
  open(spec: HostDataSpec, opts?: { autoAnswer?: boolean }): Promise<ReviewPage>
  close(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  if (!fs.existsSync(reviewJs)) throw new Error(`${reviewJs} is missing: run npm run build first`)
  const script = await hostDoubleScript()
  const specs = new Map<string, HostDataSpec>()

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const origin = `http://${req.headers.host}`
    if (url.pathname === '/media/review.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' })
      res.end(fs.readFileSync(reviewJs))
    } else if (url.pathname === '/host-double.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
      res.end(script)
    } else if (url.pathname.startsWith('/review/') && specs.has(url.pathname.slice(8))) {
      const spec = specs.get(url.pathname.slice(8))!
      const nonce = randomBytes(16).toString('base64')
      // The same policy as src/extension/webview-html.ts, with this server as the webview's cspSource.
      const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${origin} 'nonce-${nonce}'`, `font-src ${origin}`, `img-src ${origin} data:`].join('; ')
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>Phoenix review (test)</title>
</head>
<body>
<script type="application/json" id="phoenix-test-data">${jsonForScript(spec)}</script>
<script nonce="${nonce}" src="/host-double.js"></script>
<script nonce="${nonce}" src="/media/review.js"></script>
</body>
</html>`)
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end()
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port

  let browser: Chromium
  try {
    browser = await launchChromium()
  } catch (e) {
    server.close()
    throw e
  }
  const context = browser.context
  // launchPersistentContext opens one blank page; tests open their own.
  for (const p of context.pages()) await p.close()

  let seq = 0
  return {
    context,
    async open(spec, opts = {}) {
      const id = `p${++seq}`
      specs.set(id, spec)
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
      page.on('dialog', (d) => {
        errors.push(`dialog: ${d.type()} ${d.message()}`)
        void d.dismiss()
      })
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`)
      })
      if (opts.autoAnswer === false) {
        await page.addInitScript(() => {
          // Set before the host double runs; it reads the flag when the webview posts.
          ;(window as unknown as { __phoenixManual: boolean }).__phoenixManual = true
        })
      }
      await page.goto(`http://127.0.0.1:${port}/review/${id}`)
      const rp: ReviewPage = {
        page,
        posted: () => page.evaluate(() => window.__phoenix.posted as ReviewToHost[]),
        clearPosted: () => page.evaluate(() => void (window.__phoenix.posted.length = 0)),
        async postedOf(type) {
          const all = await rp.posted()
          return all.filter((m) => m.type === type) as never
        },
        push: (m) => page.evaluate((msg) => window.postMessage(msg, '*'), m),
        dispatched: () => page.evaluate(() => window.__phoenix.dispatched),
        problems: async () => [...errors, ...(await page.evaluate(() => window.__phoenix.violations.map((v) => `csp: ${v}`)))],
        close: () => page.close(),
      }
      return rp
    },
    async close() {
      await browser.close()
      await new Promise((r) => server.close(r))
    },
  }
}
