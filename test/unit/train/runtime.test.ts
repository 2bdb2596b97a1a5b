/**
 * The Python training runtime as a real child process. The run protocol (stop, resume, metrics, failures)
 * is exercised with the NumPy stand-in backend, named so in every test that uses it; the real PyTorch paths
 * (TRL's DPOTrainer and the compact trainer) run a few CPU steps on a tiny random Mistral where
 * scripts/setup-python.sh made .tmp/py, and skip with a printed reason elsewhere.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, describe, it } from 'node:test'
import { resolveRunConfig } from '../../../src/core/train/config'
import { finalizeRun, prepareResume, prepareRun, reconcileRuns, startRun } from '../../../src/core/train/launcher'
import { readMetricsFile } from '../../../src/core/train/metrics'
import { RunRegistry } from '../../../src/core/train/registry'
import type { MetricPoint } from '../../../src/core/train/types'
import { BARE_PYTHON, PYTHON, pythonWith, TRAIN_SCRIPT, tmpDir, writeDpoExport } from './helpers'

const ws = tmpDir()
after(() => fs.rmSync(ws, { recursive: true, force: true }))
const dpo = writeDpoExport(path.join(ws, 'exports', 'dpo'))
const opts = { python: PYTHON, script: TRAIN_SCRIPT }

const standin = (out: string, hp: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  resolveRunConfig(
    { dataset: dpo, outputDir: out, backend: 'numpy-standin', seed: 7, hyperparameters: { learningRate: 0.05, beta: 0.1, perDeviceTrainBatchSize: 4, gradientAccumulationSteps: 1, loggingSteps: 2, ...hp }, ...extra },
    { workspace: ws, kind: 'dpo' },
  )

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('training runtime (NumPy stand-in for PyTorch)', () => {
  it('DPO on a trivially separable set: loss falls over steps, rewards/accuracies > 0.5, metrics in the panel format (NumPy stand-in for PyTorch)', async () => {
    const reg = await RunRegistry.open(ws)
    const prepared = await prepareRun(reg, standin('runs/fit', { maxSteps: 30, saveSteps: 10 }), opts)
    const progress: MetricPoint[] = []
    const started = await startRun(reg, prepared, { pollMs: 50, onProgress: (p) => progress.push(...p.parsed.points) })
    assert.equal(started.run.status, 'running')
    const done = await started.exited
    assert.equal(done.status, 'finished', done.message)
    assert.equal(done.exitCode, 0)
    assert.deepEqual(done.checkpoints, ['checkpoint-10', 'checkpoint-20', 'checkpoint-30'])
    const m = readMetricsFile(done.metricsPath)
    assert.deepEqual(m.errors, [])
    const losses = m.points.map((p) => p.loss!)
    assert.equal(m.points.length, 15)
    assert.ok(mean(losses.slice(-3)) < mean(losses.slice(0, 3)) - 0.1, `loss should fall: ${losses.map((l) => l.toFixed(3)).join(' ')}`)
    const last = m.points[m.points.length - 1]
    assert.ok(last['rewards/accuracies']! > 0.5)
    assert.ok(last['rewards/margins']! > 0 && last['rewards/chosen']! > last['rewards/rejected']!)
    for (const k of ['epoch', 'learning_rate', 'grad_norm', 'logps/chosen', 'logps/rejected'] as const) assert.equal(typeof last[k], 'number', k)
    assert.ok(progress.length > 0, 'the watcher reported progress while the run went')
  })

  it('stop = SIGTERM leaves a checkpoint and status stopped; resume continues from its step (NumPy stand-in for PyTorch)', async () => {
    const reg = await RunRegistry.open(ws)
    const prepared = await prepareRun(reg, standin('runs/stop', { maxSteps: 60, saveSteps: 1000, loggingSteps: 1 }, { standinStepDelaySeconds: 0.04 }), opts)
    const started = await startRun(reg, prepared, { pollMs: 50 })
    const t0 = Date.now()
    while ((readMetricsFile(prepared.run.metricsPath).points.at(-1)?.step ?? 0) < 8) {
      assert.ok(Date.now() - t0 < 10_000, 'the run made no progress')
      await sleep(50)
    }
    const stopped = await started.stop(5000)
    assert.equal(stopped.status, 'stopped', stopped.message)
    assert.equal(stopped.exitCode, 0)
    assert.equal(stopped.checkpoints.length, 1)
    const at = Number(stopped.checkpoints[0].slice('checkpoint-'.length))
    assert.ok(at >= 8 && at < 60, `stopped at ${at}`)
    assert.equal(stopped.lastStep, at)

    const resumed = await prepareResume(reg, stopped.id, opts)
    assert.ok(resumed.command.args.includes('--resume'))
    const again = await startRun(reg, resumed, { pollMs: 50 })
    const done = await again.exited
    assert.equal(done.status, 'finished', done.message)
    const m = readMetricsFile(done.metricsPath)
    const starts = m.events.filter((e) => e.event === 'start')
    assert.equal(starts.length, 2)
    assert.equal(starts[1].step, at)
    assert.equal((starts[1] as { resumed_from?: string }).resumed_from, `checkpoint-${at}`)
    const afterResume = m.points.filter((p) => p.time! >= starts[1].time!)
    assert.equal(afterResume[0].step, at + 1, 'the first step after resume follows the checkpoint')
    assert.equal(m.points.at(-1)!.step, 60)
  })

  it('reconcile after a reload: a "running" run whose process is gone is settled from its status file (NumPy stand-in for PyTorch)', async () => {
    const reg = await RunRegistry.open(ws)
    const prepared = await prepareRun(reg, standin('runs/reload', { maxSteps: 4, saveSteps: 2 }), opts)
    const r = spawnSync(prepared.command.command, prepared.command.args, { cwd: prepared.cwd, encoding: 'utf8' })
    assert.equal(r.status, 0, r.stderr)
    // The window that started it is gone: the registry still says running with a dead pid.
    await reg.update(prepared.run.id, { status: 'running', pid: 2 ** 22 + 12345 })
    const changed = await reconcileRuns(reg)
    assert.deepEqual(changed.map((c) => [c.id, c.status]), [[prepared.run.id, 'finished']])
    // A running record with no files at all becomes failed, with a reason.
    const ghost = await prepareRun(reg, standin('runs/ghost', { maxSteps: 4 }), opts)
    await reg.update(ghost.run.id, { status: 'running', pid: 2 ** 22 + 12346 })
    const g = await finalizeRun(reg, ghost.run.id)
    assert.equal(g.status, 'failed')
    assert.match(g.message ?? '', /ended without a final status/)
  })

  it('refuses to start a second run into an output folder that holds one', async () => {
    const reg = await RunRegistry.open(ws)
    await assert.rejects(prepareRun(reg, standin('runs/fit', { maxSteps: 3 }), opts), /already holds a run/)
  })
})

describe('environment check (real python)', () => {
  it('torch missing → one JSON line with the pip command, exit code 3, run settled as failed', async (t) => {
    const probe = spawnSync(BARE_PYTHON, ['-c', 'import importlib.util,sys; sys.exit(0 if importlib.util.find_spec("torch") else 1)'])
    if (probe.status === 0) {
      t.skip(`torch is installed in ${BARE_PYTHON}; the missing-torch path cannot be shown here`)
      return
    }
    const bare = { python: BARE_PYTHON, script: TRAIN_SCRIPT }
    const reg = await RunRegistry.open(ws)
    const config = resolveRunConfig({ dataset: dpo, outputDir: 'runs/env', method: 'lora' }, { workspace: ws, kind: 'dpo' })
    const prepared = await prepareRun(reg, config, bare)
    const r = spawnSync(prepared.command.command, prepared.command.args, { cwd: prepared.cwd, encoding: 'utf8' })
    assert.equal(r.status, 3)
    const lines = r.stdout.trim().split('\n')
    assert.equal(lines.length, 1)
    const j = JSON.parse(lines[0])
    assert.equal(j.event, 'env-check')
    assert.equal(j.ok, false)
    assert.ok(j.missing.includes('torch') && j.missing.includes('peft'))
    assert.match(j.pip, / -m pip install .*torch.*peft/)
    const started = await startRun(reg, await prepareRun(reg, { ...config, outputDir: path.join(ws, 'runs/env2') }, bare))
    const done = await started.exited
    assert.equal(done.status, 'failed')
    assert.equal(done.exitCode, 3)
    assert.match(done.message ?? '', /missing Python packages: torch.*pip install/)
  })
})

for (const trainer of ['compact', 'trl'] as const) {
  describe(`${trainer === 'trl' ? "TRL's DPOTrainer" : 'compact PyTorch trainer'} (twin of the NumPy stand-in test)`, () => {
    it(`5 real DPO steps (${trainer}) on a tiny random Mistral, CPU`, async (t) => {
      const { python, reason } = pythonWith(trainer === 'trl' ? ['torch', 'transformers', 'accelerate', 'trl'] : ['torch', 'transformers', 'accelerate'], 'the GPU run is scripts/gpu/device-run.sh')
      if (!python) return t.skip(reason)
      const model = path.join(ws, `tiny-mistral-${trainer}`)
      const mk = spawnSync(python, [path.join(path.dirname(TRAIN_SCRIPT), '..', '..', 'scripts', 'gpu', 'dpo-smoke.py'), 'make-model', model], { encoding: 'utf8' })
      assert.equal(mk.status, 0, mk.stderr)
      const reg = await RunRegistry.open(ws)
      const config = resolveRunConfig(
        { dataset: dpo, outputDir: `runs/torch-${trainer}`, baseModel: model, trainer, hyperparameters: { maxSteps: 5, learningRate: 1e-3, beta: 0.1, perDeviceTrainBatchSize: 4, gradientAccumulationSteps: 1, loggingSteps: 1, saveSteps: 5, bf16: false, gradientCheckpointing: false, maxLength: 64, maxPromptLength: 32 } },
        { workspace: ws, kind: 'dpo' },
      )
      const done = await (await startRun(reg, await prepareRun(reg, config, { python, script: TRAIN_SCRIPT }))).exited
      assert.equal(done.status, 'finished', done.message)
      const m = readMetricsFile(done.metricsPath)
      assert.deepEqual(m.points.map((p) => p.step), [1, 2, 3, 4, 5])
      for (const p of m.points) assert.equal(typeof p['rewards/accuracies'], 'number')
      // Step 1 has a zero margin (policy == reference); the trivially separable set pulls them apart.
      assert.ok(m.points.at(-1)!['rewards/margins']! > m.points[0]!['rewards/margins']!, JSON.stringify(m.points.map((p) => p['rewards/margins'])))
      assert.ok(m.points.at(-1)!.loss! < m.points[0]!.loss!)
      const log = fs.readFileSync(path.join(path.dirname(done.metricsPath), 'train.log'), 'utf8')
      assert.match(log, trainer === 'trl' ? /TRL DPO/ : /compact DPO/)
    })
  })
}
