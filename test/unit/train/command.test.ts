import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, describe, it } from 'node:test'
import { argvOf, buildCommand, defaultTrainScript, zero3Yaml } from '../../../src/core/train/command'
import { resolveRunConfig } from '../../../src/core/train/config'
import { shellQuote, slurmScript } from '../../../src/core/train/slurm'
import { TRAIN_SCRIPT, tmpDir, writeDpoExport } from './helpers'

const ws = tmpDir()
after(() => fs.rmSync(ws, { recursive: true, force: true }))
const dpo = writeDpoExport(path.join(ws, 'dpo'))
const cfg = (extra: Record<string, unknown> = {}) => resolveRunConfig({ dataset: dpo, outputDir: 'out', ...extra }, { workspace: ws, kind: 'dpo' })

describe('command lines (argument arrays, no shell)', () => {
  it('single: python <script> --config <file>', () => {
    const cl = buildCommand(cfg(), { python: '/opt/py/bin/python', configPath: '/w/out/phoenix-config.json' })
    assert.equal(cl.command, '/opt/py/bin/python')
    assert.deepEqual(cl.args, [defaultTrainScript(), '--config', '/w/out/phoenix-config.json'])
    assert.equal(defaultTrainScript(), TRAIN_SCRIPT)
  })

  it('accelerate: python -m accelerate.commands.launch --multi_gpu --num_processes N …; resume adds --resume', () => {
    const cl = buildCommand(cfg({ launcher: 'accelerate', numGpus: 4 }), { configPath: 'c.json', script: 's.py', resume: true })
    assert.deepEqual(argvOf(cl), ['python3', '-m', 'accelerate.commands.launch', '--multi_gpu', '--num_processes', '4', '--num_machines', '1', '--mixed_precision', 'bf16', 's.py', '--config', 'c.json', '--resume'])
  })

  it('deepspeed-zero3: --config_file <zero3.yaml>, and the yaml holds ZeRO stage 3 with the process count', () => {
    const c = cfg({ launcher: 'deepspeed-zero3', numGpus: 8 })
    const cl = buildCommand(c, { configPath: 'c.json', script: 's.py', zero3Path: '/w/out/accelerate-zero3.yaml' })
    assert.deepEqual(cl.args.slice(0, 5), ['-m', 'accelerate.commands.launch', '--config_file', '/w/out/accelerate-zero3.yaml', '--num_processes'])
    assert.equal(cl.args[5], '8')
    const y = zero3Yaml(c)
    assert.match(y, /^distributed_type: DEEPSPEED$/m)
    assert.match(y, /^  zero_stage: 3$/m)
    assert.match(y, /^num_processes: 8$/m)
    assert.match(y, /^mixed_precision: bf16$/m)
  })

  it('a path with spaces and quotes stays one argument', () => {
    const cl = buildCommand(cfg(), { configPath: "/w/my 'runs'/$(rm -rf ~)/c.json", script: 's.py' })
    assert.equal(cl.args[2], "/w/my 'runs'/$(rm -rf ~)/c.json")
  })
})

describe('Slurm script', () => {
  it('has #SBATCH --gres=gpu:N, time, job name, the env setup comment and the same launch command', () => {
    const c = cfg({ launcher: 'deepspeed-zero3', numGpus: 8 })
    const s = slurmScript(c, { time: '2-00:00:00', jobName: 'phoenix dpo 7b', python: '/opt/py/bin/python', script: '/x/phoenix_train.py' })
    assert.match(s, /^#!\/bin\/bash\n/)
    assert.match(s, /^#SBATCH --gres=gpu:8$/m)
    assert.match(s, /^#SBATCH --time=2-00:00:00$/m)
    assert.match(s, /^#SBATCH --job-name=phoenix-dpo-7b$/m)
    assert.match(s, /^# Environment setup: activate the Python environment/m)
    const last = s.trim().split('\n').pop()!
    const expected = buildCommand(c, { python: '/opt/py/bin/python', script: '/x/phoenix_train.py', configPath: path.join(c.outputDir, 'phoenix-config.json'), zero3Path: path.join(c.outputDir, 'accelerate-zero3.yaml') })
    assert.equal(last, `srun ${argvOf(expected).map(shellQuote).join(' ')}`)
  })

  it('quotes arguments so bash reads back exactly the argument list', () => {
    const hostile = ["plain", "with space", "it's", '$(touch /tmp/pwned)', '`id`', 'a;b|c&d', '"dq"', '']
    const script = `printf '%s\\n' ${hostile.map(shellQuote).join(' ')}`
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' })
    assert.equal(r.stdout, hostile.map((h) => `${h}\n`).join(''))
  })

  it('rejects a malformed time limit', () => {
    assert.throws(() => slurmScript(cfg(), { time: '1 day' }), /time must be/)
  })
})
