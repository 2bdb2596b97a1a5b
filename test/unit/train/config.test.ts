import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, describe, it } from 'node:test'
import { datasetProblems, loadRunConfigFile, resolveRunConfig } from '../../../src/core/train/config'
import { DEFAULT_BASE_MODEL, PRESETS, defaultPreset, presetById } from '../../../src/core/train/presets'
import { TrainConfigError } from '../../../src/core/train/types'
import { tmpDir, writeDpoExport, writeSftExport } from './helpers'

const ws = tmpDir()
after(() => fs.rmSync(ws, { recursive: true, force: true }))
const dpo = writeDpoExport(path.join(ws, 'exports', 'dpo'))
const sft = writeSftExport(path.join(ws, 'exports', 'sft'))

function problemsOf(fn: () => unknown): string[] {
  try {
    fn()
  } catch (e) {
    assert.ok(e instanceof TrainConfigError, `expected TrainConfigError, got ${e}`)
    return e.problems
  }
  assert.fail('expected an error')
}

describe('presets (PHOENIX / Zephyr recipe)', () => {
  it('SFT: lr 2e-5, 1 epoch, max_seq_length 2048, cosine, warmup 0.1, bf16', () => {
    const h = defaultPreset('sft').hyperparameters
    assert.deepEqual([h.learningRate, h.numTrainEpochs, h.maxSeqLength, h.lrScheduler, h.warmupRatio, h.bf16], [2e-5, 1, 2048, 'cosine', 0.1, true])
  })
  it('DPO: lr 5e-7, beta 0.01, 1 epoch, max_length 1024, max_prompt_length 512; the alternative beta 0.1 for 3 epochs', () => {
    const h = defaultPreset('dpo').hyperparameters
    assert.deepEqual([h.learningRate, h.beta, h.numTrainEpochs, h.maxLength, h.maxPromptLength, h.lrScheduler, h.warmupRatio, h.bf16], [5e-7, 0.01, 1, 1024, 512, 'cosine', 0.1, true])
    const alt = presetById('phoenix-dpo-beta0.1')!.hyperparameters
    assert.deepEqual([alt.beta, alt.numTrainEpochs, alt.learningRate], [0.1, 3, 5e-7])
    assert.equal(PRESETS.length, 3)
  })
})

describe('resolveRunConfig', () => {
  it('fills a minimal DPO config from the preset and resolves paths against the workspace', () => {
    const c = resolveRunConfig({ dataset: 'exports/dpo', outputDir: 'runs/a' }, { workspace: ws, kind: 'dpo' })
    assert.equal(c.baseModel, DEFAULT_BASE_MODEL)
    assert.equal(c.dataset, dpo)
    assert.equal(c.outputDir, path.join(ws, 'runs', 'a'))
    assert.equal(c.preset, 'phoenix-dpo')
    assert.equal(c.hyperparameters.beta, 0.01)
    assert.deepEqual([c.method, c.launcher, c.numGpus, c.seed, c.backend, c.trainer], ['full', 'single', 1, 42, 'torch', 'auto'])
  })

  it('overrides hyperparameters and LoRA settings, keeps the rest of the preset', () => {
    const c = resolveRunConfig(
      { kind: 'dpo', preset: 'phoenix-dpo-beta0.1', dataset: dpo, outputDir: 'o', method: 'lora', lora: { r: 64, targetModules: ['q_proj', 'v_proj'] }, launcher: 'deepspeed-zero3', numGpus: 8, hyperparameters: { perDeviceTrainBatchSize: 2, gradientAccumulationSteps: 8 } },
      { workspace: ws },
    )
    assert.equal(c.hyperparameters.beta, 0.1)
    assert.equal(c.hyperparameters.numTrainEpochs, 3)
    assert.equal(c.hyperparameters.perDeviceTrainBatchSize, 2)
    assert.deepEqual(c.lora, { r: 64, alpha: 16, dropout: 0.05, targetModules: ['q_proj', 'v_proj'] })
  })

  it('collects every problem at once, each naming its field', () => {
    const p = problemsOf(() =>
      resolveRunConfig(
        { kind: 'dpo', dataset: dpo, outputDir: 'o', method: 'qlora', launcher: 'deepspeed-zero3', numGpus: 0, learningRate: 1, hyperparameters: { learningRate: -1, beta: 0, maxPromptLength: 2000, lrScheduler: 'step' }, lora: { dropout: 1 } },
        { workspace: ws },
      ),
    )
    const text = p.join('\n')
    for (const needle of ['unknown field "learningRate"', 'numGpus must be ≥ 1', 'hyperparameters.learningRate must be > 0', 'hyperparameters.beta must be > 0', 'maxPromptLength (2000) must be below maxLength', 'lrScheduler must be one of', 'lora.dropout', 'qlora']) {
      assert.ok(text.includes(needle), `missing "${needle}" in:\n${text}`)
    }
  })

  it('refuses several GPUs with the single launcher, and a config whose kind contradicts the command', () => {
    assert.match(problemsOf(() => resolveRunConfig({ dataset: dpo, outputDir: 'o', numGpus: 4 }, { workspace: ws, kind: 'dpo' })).join(), /launcher "single" runs one process/)
    assert.match(problemsOf(() => resolveRunConfig({ kind: 'sft', dataset: sft, outputDir: 'o' }, { workspace: ws, kind: 'dpo' })).join(), /kind is "sft" in the file but the command says dpo/)
  })

  it('checks the dataset folder: existence, manifest, kind, train files', () => {
    assert.match(problemsOf(() => resolveRunConfig({ dataset: sft, outputDir: 'o' }, { workspace: ws, kind: 'dpo' })).join(), /is a sft export, a dpo run needs a dpo export/)
    assert.match(datasetProblems(path.join(ws, 'nope'), 'dpo').join(), /does not exist/)
    const bare = path.join(ws, 'bare')
    fs.mkdirSync(bare)
    assert.deepEqual(datasetProblems(bare, 'sft').length, 2)
    // Without the check (the panel's form while typing), paths are only resolved.
    assert.equal(resolveRunConfig({ dataset: 'bare', outputDir: 'o' }, { workspace: ws, kind: 'sft', checkFiles: false }).dataset, bare)
  })

  it('refuses control characters that could forge lines in a Slurm script', () => {
    assert.match(problemsOf(() => resolveRunConfig({ dataset: dpo, outputDir: 'o', baseModel: 'x\n#SBATCH --gres=gpu:64' }, { workspace: ws, kind: 'dpo' })).join(), /baseModel must not contain control characters/)
  })

  it('keeps the NumPy stand-in to what it can do', () => {
    const p = problemsOf(() => resolveRunConfig({ dataset: dpo, outputDir: 'o', backend: 'numpy-standin', method: 'lora' }, { workspace: ws, kind: 'dpo' }))
    assert.match(p.join(), /numpy-standin .*method must be full/)
  })

  it('names the file when loading a config file', () => {
    const f = path.join(ws, 'bad.json')
    fs.writeFileSync(f, '{"kind": "dpo",')
    assert.throws(() => loadRunConfigFile(f, { workspace: ws }), (e: Error) => e instanceof TrainConfigError && e.message.startsWith(`${f}: not valid JSON`))
  })
})
