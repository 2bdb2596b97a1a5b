import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, describe, it } from 'node:test'
import { estimateEta, formatDuration } from '../../../src/core/train/eta'
import { MetricsTail, parseMetrics } from '../../../src/core/train/metrics'
import { tmpDir } from './helpers'

const dir = tmpDir()
after(() => fs.rmSync(dir, { recursive: true, force: true }))

const line = (o: unknown) => JSON.stringify(o) + '\n'

describe('metrics.jsonl parsing', () => {
  it('reads metric and event lines with every DPO field; keeps a partial last line for later', () => {
    const full = line({ event: 'start', step: 0, total_steps: 100, time: 10 }) + line({ step: 10, epoch: 0.1, time: 20, loss: 0.69, learning_rate: 5e-7, grad_norm: 1.5, 'rewards/chosen': 0.01, 'rewards/rejected': -0.01, 'rewards/accuracies': 0.6, 'rewards/margins': 0.02, 'logps/chosen': -120, 'logps/rejected': -130, extra: 'x' })
    const partial = '{"step": 20, "loss": 0.6'
    const p = parseMetrics(full + partial)
    assert.equal(p.events.length, 1)
    assert.equal(p.points.length, 1)
    assert.deepEqual(p.points[0], { step: 10, epoch: 0.1, time: 20, loss: 0.69, learning_rate: 5e-7, grad_norm: 1.5, 'rewards/chosen': 0.01, 'rewards/rejected': -0.01, 'rewards/accuracies': 0.6, 'rewards/margins': 0.02, 'logps/chosen': -120, 'logps/rejected': -130 })
    assert.equal(p.rest, partial)
    assert.deepEqual(p.errors, [])
    const q = parseMetrics('5, "time": 30}\n', p.rest, 1 + p.lines)
    assert.deepEqual(q.points, [{ step: 20, loss: 0.65, time: 30 }])
  })

  it('reports a broken complete line with its line number and reads on', () => {
    const p = parseMetrics(line({ step: 1, loss: 1 }) + 'garbage\n' + line({ step: 2, loss: 0.9 }) + line({ event: 'end', status: 'weird' }))
    assert.deepEqual(p.points.map((x) => x.step), [1, 2])
    assert.deepEqual(p.errors.map((e) => e.line), [2, 4])
  })

  it('MetricsTail follows a growing file, across a line split between two writes', () => {
    const f = path.join(dir, 'metrics.jsonl')
    const tail = new MetricsTail(f)
    assert.equal(tail.poll().points.length, 0, 'missing file reads as empty')
    fs.writeFileSync(f, line({ step: 1, loss: 1 }) + '{"step": 2, "lo')
    assert.deepEqual(tail.poll().points.map((p) => p.step), [1])
    fs.appendFileSync(f, 'ss": 0.5}\n' + line({ step: 3, loss: 0.25 }))
    assert.deepEqual(tail.poll().points.map((p) => [p.step, p.loss]), [[2, 0.5], [3, 0.25]])
    assert.deepEqual(tail.poll().points, [])
    fs.writeFileSync(f, line({ step: 1, loss: 2 }))
    assert.deepEqual(tail.poll().points.map((p) => p.loss), [2], 'a file that shrank is read from the start')
  })
})

describe('ETA', () => {
  it('from the recent step rate since the last (re)start', () => {
    const events = [{ event: 'start' as const, step: 0, total_steps: 100, time: 0 }, { event: 'start' as const, step: 40, total_steps: 100, time: 1000 }]
    // Before the restart 1 s/step; after it 2 s/step: only the latter counts.
    const points = [...Array.from({ length: 4 }, (_, i) => ({ step: (i + 1) * 10, time: (i + 1) * 10 })), { step: 50, time: 1020 }, { step: 60, time: 1040 }]
    const eta = estimateEta(points, events)
    assert.equal(eta.secondsPerStep, 2)
    assert.equal(eta.secondsLeft, 80)
    assert.equal(eta.fraction, 0.6)
    assert.equal(estimateEta(points, events, 1050).secondsLeft, 70)
    assert.equal(estimateEta([], []).secondsLeft, null)
    assert.equal(formatDuration(3725), '1h 02m')
    assert.equal(formatDuration(65), '1m 05s')
  })
})
