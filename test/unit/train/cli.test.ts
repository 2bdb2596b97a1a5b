import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, describe, it } from 'node:test'
import { main } from '../../../src/cli/phoenix'
import { RunRegistry } from '../../../src/core/train/registry'
import { PYTHON, TRAIN_SCRIPT, tmpDir, writeDpoExport } from './helpers'

const ws = tmpDir()
after(() => fs.rmSync(ws, { recursive: true, force: true }))
writeDpoExport(path.join(ws, 'dpo'))

async function cli(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

function configFile(name: string, body: unknown): string {
  const f = path.join(ws, name)
  fs.writeFileSync(f, JSON.stringify(body))
  return f
}

describe('phoenix train', () => {
  it('--dry-run prints the argv list and the resolved config, and writes nothing', async () => {
    const f = configFile('zero3.json', { dataset: 'dpo', outputDir: 'runs/z3', launcher: 'deepspeed-zero3', numGpus: 8, method: 'lora' })
    const r = await cli(['train', 'dpo', '--config', f, '--dry-run', '--workspace', ws, '--python', '/opt/py/bin/python'])
    assert.equal(r.code, 0, r.err)
    const j = JSON.parse(r.out)
    const out = path.join(ws, 'runs', 'z3')
    assert.deepEqual(j.argv.slice(0, 5), ['/opt/py/bin/python', '-m', 'accelerate.commands.launch', '--config_file', path.join(out, 'accelerate-zero3.yaml')])
    assert.deepEqual(j.argv.slice(-3), [TRAIN_SCRIPT, '--config', path.join(out, 'phoenix-config.json')])
    assert.equal(j.config.hyperparameters.beta, 0.01)
    assert.equal(j.config.metricsPath, path.join(out, 'metrics.jsonl'))
    assert.equal(fs.existsSync(out), false)
    assert.equal(fs.existsSync(path.join(ws, '.phoenix', 'runs.json')), false)
  })

  it('exits 2 naming the file and field for a bad config', async () => {
    const f = configFile('bad.json', { dataset: 'dpo', outputDir: 'o', hyperparameters: { beta: -1 } })
    const r = await cli(['train', 'dpo', '--config', f, '--workspace', ws])
    assert.equal(r.code, 2)
    assert.match(r.err, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: hyperparameters.beta must be ≥ 0, got -1$`))
  })

  it('--slurm prints the sbatch script', async () => {
    const f = configFile('acc.json', { dataset: 'dpo', outputDir: 'runs/acc', launcher: 'accelerate', numGpus: 4 })
    const r = await cli(['train', 'dpo', '--config', f, '--workspace', ws, '--slurm', '--time', '08:00:00'])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /^#SBATCH --gres=gpu:4$/m)
    assert.match(r.out, /^#SBATCH --time=08:00:00$/m)
  })

  it('runs and streams metrics until the end (NumPy stand-in for PyTorch)', async () => {
    const f = configFile('run.json', { dataset: 'dpo', outputDir: 'runs/cli', backend: 'numpy-standin', hyperparameters: { maxSteps: 6, learningRate: 0.05, beta: 0.1, perDeviceTrainBatchSize: 4, gradientAccumulationSteps: 1, loggingSteps: 2, saveSteps: 3 } })
    const r = await cli(['train', 'dpo', '--config', f, '--workspace', ws, '--python', PYTHON])
    assert.equal(r.code, 0, r.err)
    assert.deepEqual(r.out.split('\n').map((l) => /^step\s+(\d+)/.exec(l)?.[1]), ['2', '4', '6'])
    assert.match(r.err, /run dpo-\S+ finished at step 6/)
    const runs = (await RunRegistry.open(ws)).list()
    assert.equal(runs.length, 1)
    assert.deepEqual(runs[0].checkpoints, ['checkpoint-3', 'checkpoint-6'])
  })
})
