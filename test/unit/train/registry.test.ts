import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, describe, it } from 'node:test'
import { resolveRunConfig } from '../../../src/core/train/config'
import { RunRegistry, registryPath } from '../../../src/core/train/registry'
import { tmpDir, writeDpoExport } from './helpers'

const ws = tmpDir()
after(() => fs.rmSync(ws, { recursive: true, force: true }))

describe('run registry (lowdb, .phoenix/runs.json)', () => {
  it('creates, updates and lists runs in a real file another instance reads back', async () => {
    const dpo = writeDpoExport(path.join(ws, 'dpo'))
    const config = resolveRunConfig({ dataset: dpo, outputDir: 'out' }, { workspace: ws, kind: 'dpo' })
    const a = await RunRegistry.open(ws)
    const run = await a.create(config, { metrics: '/m', status: '/s', config: '/c' }, ['python3', 'x.py'])
    assert.match(run.id, /^dpo-\d{8}-\d{6}-[0-9a-f]{4}$/)
    assert.equal(run.status, 'queued')
    await a.update(run.id, { status: 'running', pid: 1234 })
    await a.update(run.id, (r) => ({ checkpoints: [...r.checkpoints, 'checkpoint-10'], lastStep: 10 }))

    const onDisk = JSON.parse(fs.readFileSync(registryPath(ws), 'utf8'))
    assert.equal(onDisk.runs[0].status, 'running')
    assert.equal(onDisk.runs[0].pid, 1234)

    const b = await RunRegistry.open(ws)
    assert.deepEqual(b.get(run.id)?.checkpoints, ['checkpoint-10'])
    // A write from b is seen by a after refresh, and a's next update does not undo it.
    await b.update(run.id, { message: 'from b' })
    await a.update(run.id, { lastStep: 20 })
    const c = await RunRegistry.open(ws)
    assert.equal(c.get(run.id)?.message, 'from b')
    assert.equal(c.get(run.id)?.lastStep, 20)
    await assert.rejects(a.update('nope', {}), /no run nope/)
  })

  it('drops malformed records from a hand-edited file', async () => {
    const w = path.join(ws, 'w2')
    fs.mkdirSync(path.join(w, '.phoenix'), { recursive: true })
    fs.writeFileSync(registryPath(w), JSON.stringify({ version: 1, runs: [{ id: 'x', status: 'bogus' }, null] }))
    assert.deepEqual((await RunRegistry.open(w)).list(), [])
  })
})
