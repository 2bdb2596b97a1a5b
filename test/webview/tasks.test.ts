/**
 * The training panel (media/tasks.js) in real Chromium, in a page with the extension's CSP (fresh nonce
 * per load). At the VS Code boundary a host double stands in: `acquireVsCodeApi` records what the panel
 * posts, and the test pushes host messages as the extension's postMessage would. Build first
 * (`npm run build` writes media/tasks.js and media/tasks.css).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { launchChromium, type Chromium } from '../chromium'
import type { HostToTasks, MetricPoint, RunView, StartForm, TasksToHost } from '../../src/protocol/tasks'
import { repoRoot } from './harness'

const media = path.join(repoRoot, 'media')

// The host double, loaded before media/tasks.js.
const DOUBLE = `
window.__tasks = { posted: [], violations: [], errors: [] };
document.addEventListener('securitypolicyviolation', (e) => window.__tasks.violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => { let s; return { postMessage: (m) => window.__tasks.posted.push(structuredClone(m)), getState: () => s, setState: (v) => { s = v } } };
`

const XSS = '<img src=x onerror="window.__xss=1">'

const dpoForm: StartForm = { kind: 'dpo', baseModel: 'LeoLM/leo-mistral-hessianai-7b', dataset: '/ws/exports/dpo-v2', preset: 'phoenix-dpo', method: 'full', launcher: 'single', numGpus: 1, outputDir: 'runs/dpo-20261126-1020' }

const presets = [
  { id: 'phoenix-sft', kind: 'sft' as const, label: 'PHOENIX SFT', description: 'lr 2e-5' },
  { id: 'phoenix-dpo', kind: 'dpo' as const, label: 'PHOENIX DPO', description: 'beta 0.01' },
  { id: 'phoenix-dpo-beta0.1', kind: 'dpo' as const, label: 'PHOENIX DPO beta 0.1', description: 'beta 0.1, 3 epochs' },
]

const run = (id: string, status: RunView['status'], extra: Partial<RunView> = {}): RunView => ({
  id,
  kind: 'dpo',
  status,
  baseModel: 'LeoLM/leo-mistral-hessianai-7b',
  dataset: '/ws/exports/dpo-v2',
  outputDir: `/ws/runs/${id}`,
  preset: 'phoenix-dpo',
  method: 'full',
  launcher: 'single',
  numGpus: 1,
  checkpoints: 0,
  exitCode: null,
  createdAt: '2026-11-26T10:00:00Z',
  ...extra,
})

const point = (step: number): MetricPoint => ({ step, time: 1000 + step * 2, epoch: step / 100, loss: 0.69 - step * 0.003, learning_rate: 5e-7, grad_norm: 1, 'rewards/chosen': step * 0.001, 'rewards/rejected': -step * 0.001, 'rewards/accuracies': Math.min(1, 0.5 + step / 200), 'rewards/margins': step * 0.002, 'logps/chosen': -100, 'logps/rejected': -110 })

let context: BrowserContext
let server: http.Server
let base = ''
let browser: Chromium | undefined

before(async () => {
  for (const f of ['tasks.js', 'tasks.css']) if (!fs.existsSync(path.join(media, f))) throw new Error(`media/${f} is missing: run npm run build first`)
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const origin = `http://${req.headers.host}`
    if (url.pathname === '/media/tasks.js' || url.pathname === '/media/tasks.css') {
      res.writeHead(200, { 'content-type': url.pathname.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8', 'cache-control': 'no-store' })
      res.end(fs.readFileSync(path.join(media, path.basename(url.pathname))))
    } else if (url.pathname === '/double.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
      res.end(DOUBLE)
    } else if (url.pathname === '/') {
      const nonce = randomBytes(16).toString('base64')
      // The policy of src/extension/webview-html.ts, with this server as the webview's cspSource.
      const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${origin} 'nonce-${nonce}'`, `font-src ${origin}`, `img-src ${origin} data:`].join('; ')
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/media/tasks.css"><title>Phoenix training (test)</title></head>
<body><script nonce="${nonce}" src="/double.js"></script><script nonce="${nonce}" src="/media/tasks.js"></script></body></html>`)
    } else if (url.pathname === '/favicon.ico') res.writeHead(204).end()
    else res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  browser = await launchChromium({ width: 460, height: 1400 })
  context = browser.context
})

after(async () => {
  await browser?.close()
  await new Promise((r) => server?.close(r))
})

async function open(): Promise<{ page: Page; errors: string[]; push(m: HostToTasks): Promise<void>; posted(): Promise<TasksToHost[]> }> {
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  await page.goto(base)
  await page.waitForFunction(() => (window as unknown as { __tasks: { posted: { type: string }[] } }).__tasks.posted.some((m) => m.type === 'ready'))
  return {
    page,
    errors,
    push: (m) => page.evaluate((msg) => window.postMessage(msg, '*'), m),
    posted: () => page.evaluate(() => (window as unknown as { __tasks: { posted: TasksToHost[] } }).__tasks.posted),
  }
}

const valueOf = (page: Page, sel: string) => page.$eval(sel, (el) => (el as HTMLInputElement).value)

describe('training panel in Chromium (host double for acquireVsCodeApi at the VS Code boundary)', () => {
  it('the form is prefilled from init; Start posts exactly that form', async () => {
    const p = await open()
    await p.push({
      type: 'init',
      runs: [],
      exports: [
        { path: '/ws/exports/dpo-v2', label: 'exports/dpo-v2', kind: 'dpo', mtime: 2 },
        { path: '/ws/exports/dpo-v1', label: XSS, kind: 'dpo', mtime: 1 },
        { path: '/ws/exports/sft', label: 'exports/sft', kind: 'sft', mtime: 3 },
      ],
      presets,
      form: dpoForm,
      python: '/opt/py/bin/python',
    })
    await p.page.waitForSelector('#start')
    assert.equal(await valueOf(p.page, '#f-base-model'), dpoForm.baseModel)
    assert.equal(await valueOf(p.page, '#f-dataset'), dpoForm.dataset)
    assert.equal(await valueOf(p.page, '#f-preset'), 'phoenix-dpo')
    assert.equal(await valueOf(p.page, '#f-output'), dpoForm.outputDir)
    assert.equal(await valueOf(p.page, '#f-launcher'), 'single')
    await p.page.click('#start')
    await p.page.waitForFunction(() => (window as unknown as { __tasks: { posted: { type: string }[] } }).__tasks.posted.some((m) => m.type === 'start'))
    const start = (await p.posted()).find((m) => m.type === 'start') as Extract<TasksToHost, { type: 'start' }>
    assert.deepEqual(start.form, dpoForm)
    assert.equal(await p.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, 'an export label with markup ran nothing')
    assert.deepEqual(p.errors, [])
    assert.deepEqual(await p.page.evaluate(() => (window as unknown as { __tasks: { violations: string[] } }).__tasks.violations), [])
    await p.page.close()
  })

  it('"Train SFT" prefill switches the form; typed changes and form errors round-trip', async () => {
    const p = await open()
    await p.push({ type: 'init', runs: [], exports: [], presets, form: dpoForm, python: 'python3' })
    await p.page.waitForSelector('#start')
    const sftForm: StartForm = { ...dpoForm, kind: 'sft', preset: 'phoenix-sft', dataset: '/ws/exports/sft', outputDir: 'runs/sft-1' }
    await p.push({ type: 'prefill', form: sftForm, exports: [{ path: '/ws/exports/sft', label: 'exports/sft', kind: 'sft', mtime: 3 }] })
    await p.page.waitForFunction(() => (document.querySelector('#f-preset') as HTMLInputElement | null)?.value === 'phoenix-sft')
    assert.equal(await valueOf(p.page, '#f-dataset'), '/ws/exports/sft')
    assert.match((await p.page.textContent('#start')) ?? '', /Start SFT run/)
    await p.page.locator('#f-base-model input').fill('my-org/my-model')
    await p.page.click('#start')
    await p.page.waitForFunction(() => (window as unknown as { __tasks: { posted: { type: string }[] } }).__tasks.posted.some((m) => m.type === 'start'))
    const start = (await p.posted()).find((m) => m.type === 'start') as Extract<TasksToHost, { type: 'start' }>
    assert.deepEqual(start.form, { ...sftForm, baseModel: 'my-org/my-model' })
    await p.push({ type: 'formErrors', problems: ['dataset: /ws/exports/sft has no phoenix-manifest.json', XSS] })
    await p.page.waitForSelector('#form-errors li')
    assert.deepEqual(await p.page.$$eval('#form-errors li', (els) => els.map((e) => e.textContent)), ['dataset: /ws/exports/sft has no phoenix-manifest.json', XSS])
    assert.deepEqual(p.errors, [])
    await p.page.close()
  })

  it('metrics messages render the charts, the ETA and log lines; stop posts the run id; a finished run shows its summary', async () => {
    const p = await open()
    const id = 'dpo-20261126-102000-abcd'
    await p.push({ type: 'init', runs: [run(id, 'running', { lastStep: 20, totalSteps: 100 }), run('dpo-old', 'finished', { lastStep: 10, totalSteps: 10, checkpoints: 1, summary: { finalLoss: 0.31, accuracy: 0.94, margin: 1.2, steps: 10, durationSeconds: 65 } })], exports: [], presets, form: dpoForm, python: 'python3' })
    // The running run is selected on arrival.
    await p.page.waitForFunction(() => (window as unknown as { __tasks: { posted: { type: string }[] } }).__tasks.posted.some((m) => m.type === 'select'))
    const select = (await p.posted()).find((m) => m.type === 'select') as Extract<TasksToHost, { type: 'select' }>
    assert.equal(select.id, id)
    await p.push({ type: 'metrics', id, reset: true, points: [point(10), point(20)], eta: { step: 20, totalSteps: 100, fraction: 0.2, secondsLeft: 160, secondsPerStep: 2, text: '2m 40s left' }, log: ['10:20:00 TRL DPO of LeoLM…', XSS] })
    await p.page.waitForSelector('#chart-loss .uplot canvas')
    assert.equal(await p.page.locator('#detail .uplot').count(), 4, 'loss, margins, accuracy, learning rate')
    assert.equal(await p.page.textContent('#eta-text'), '2m 40s left')
    assert.equal(await p.page.textContent('#eta-total'), '100')
    assert.equal(await p.page.textContent('#log'), `10:20:00 TRL DPO of LeoLM…\n${XSS}`)
    // More points extend the same charts.
    await p.push({ type: 'metrics', id, reset: false, points: [point(30)], eta: { step: 30, totalSteps: 100, fraction: 0.3, secondsLeft: 140, secondsPerStep: 2, text: '2m 20s left' }, log: [] })
    await p.page.waitForFunction(() => document.querySelector('#eta-step')?.textContent === '30')
    assert.equal(await p.page.locator('#detail .uplot').count(), 4)
    const legendSteps = await p.page.$eval('#chart-loss .uplot', (el) => el.querySelectorAll('canvas').length)
    assert.equal(legendSteps, 1)
    await p.page.click('#detail .stop')
    await p.page.waitForFunction(() => (window as unknown as { __tasks: { posted: { type: string }[] } }).__tasks.posted.some((m) => m.type === 'stop'))
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'stop'), [{ type: 'stop', id }])
    // The finished run: summary, no stop button, Slurm export.
    await p.page.click('.run[data-id="dpo-old"]')
    await p.page.waitForSelector('#summary')
    assert.match((await p.page.textContent('#summary')) ?? '', /final loss\s*0\.3100[\s\S]*reward accuracy\s*0\.940[\s\S]*duration\s*1m 5s/)
    assert.equal(await p.page.locator('#detail .stop').count(), 0)
    await p.page.click('#detail .slurm')
    await p.page.waitForFunction(() => (window as unknown as { __tasks: { posted: { type: string }[] } }).__tasks.posted.some((m) => m.type === 'exportSlurm'))
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'exportSlurm'), [{ type: 'exportSlurm', id: 'dpo-old' }])
    assert.equal(await p.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined)
    assert.deepEqual(p.errors, [])
    await p.page.close()
  })
})
