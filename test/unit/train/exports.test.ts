import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, describe, it } from 'node:test'
import { defaultForm, findExports, latestExport } from '../../../src/core/train/exports'
import { tmpDir, writeDpoExport, writeSftExport } from './helpers'

const ws = tmpDir()
after(() => fs.rmSync(ws, { recursive: true, force: true }))

describe('export folders for the start form', () => {
  it('finds manifests, newest first, and prefills the form with the newest export of the kind', () => {
    const old = writeDpoExport(path.join(ws, 'exports', 'dpo-v1'))
    const sft = writeSftExport(path.join(ws, 'exports', 'sft'))
    const newer = writeDpoExport(path.join(ws, 'exports', 'nested', 'dpo-v2'))
    writeDpoExport(path.join(ws, 'node_modules', 'x'))
    const t = Date.now() / 1000
    fs.utimesSync(path.join(old, 'phoenix-manifest.json'), t - 100, t - 100)
    fs.utimesSync(path.join(sft, 'phoenix-manifest.json'), t - 50, t - 50)
    fs.utimesSync(path.join(newer, 'phoenix-manifest.json'), t, t)
    const found = findExports(ws)
    assert.deepEqual(found.map((e) => [e.label, e.kind]), [[path.join('exports', 'nested', 'dpo-v2'), 'dpo'], [path.join('exports', 'sft'), 'sft'], [path.join('exports', 'dpo-v1'), 'dpo']])
    assert.equal(latestExport(found, 'dpo')?.path, newer)
    const form = defaultForm('dpo', found, new Date('2026-11-26T10:20:00Z'))
    assert.deepEqual(form, { kind: 'dpo', baseModel: 'LeoLM/leo-mistral-hessianai-7b', dataset: newer, preset: 'phoenix-dpo', method: 'full', launcher: 'single', numGpus: 1, outputDir: 'runs/dpo-20261126-1020' })
    assert.equal(defaultForm('sft', found).dataset, sft)
  })
})
