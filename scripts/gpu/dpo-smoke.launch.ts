/**
 * The GPU smoke run through the real launcher: resolveRunConfig → prepareRun (config, registry) →
 * startRun (the argument list, a child process) → metrics tailed until the end. Bundled by
 * `scripts/gpu/dpo-smoke.sh --prepare` into .tmp/gpu/launch.cjs (the GPU machine has no Node modules).
 *
 * usage: node launch.cjs WORK PYTHON REPO_ROOT   (WORK holds model/ and data/dpo/)
 */
import { join } from 'node:path'
import { argvOf } from '../../src/core/train/command'
import { resolveRunConfig } from '../../src/core/train/config'
import { prepareRun, startRun } from '../../src/core/train/launcher'
import { RunRegistry } from '../../src/core/train/registry'

async function main(): Promise<number> {
  const [work, python, root] = process.argv.slice(2)
  if (!work || !python || !root) {
    console.error('usage: node launch.cjs WORK PYTHON REPO_ROOT')
    return 2
  }
  const config = resolveRunConfig(
    {
      dataset: 'data/dpo',
      outputDir: 'runs/smoke',
      baseModel: join(work, 'model'),
      hyperparameters: { learningRate: 1e-3, maxSteps: 20, perDeviceTrainBatchSize: 8, gradientAccumulationSteps: 1, loggingSteps: 1, saveSteps: 10, bf16: true, gradientCheckpointing: false, maxLength: 64, maxPromptLength: 32, maxSeqLength: 128, beta: 0.1 },
    },
    { workspace: work, kind: 'dpo' },
  )
  const registry = await RunRegistry.open(work)
  const prepared = await prepareRun(registry, config, { python, script: join(root, 'native-runtime', 'training', 'phoenix_train.py') })
  console.log(JSON.stringify({ run: prepared.run.id, argv: argvOf(prepared.command) }))
  const started = await startRun(registry, prepared, {
    pollMs: 200,
    onProgress: ({ parsed }) => {
      for (const p of parsed.points) console.log(JSON.stringify(p))
      for (const e of parsed.errors) console.log(JSON.stringify({ metricsError: e }))
    },
  })
  const done = await started.exited
  console.log(JSON.stringify({ status: done.status, exitCode: done.exitCode, lastStep: done.lastStep, checkpoints: done.checkpoints, message: done.message }))
  return done.status === 'finished' ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e)
    process.exit(1)
  },
)
