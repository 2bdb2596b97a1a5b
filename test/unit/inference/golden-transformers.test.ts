/**
 * The golden token sequences the embedded server must reproduce (test/fixtures/tiny-llama-golden.json,
 * checked in server.test.ts) are transformers' own generate() output: this runs
 * scripts/gpu/golden-transformers.py on CPU over the same seeded weights, read from the ONNX folder the
 * server loads, and compares greedy and all five beams for the 20 prompts, alone and batched, in float64
 * and float32, plus onnxruntime's logits on our graph against PyTorch's. The same script ran on an H100
 * (CUDA float32 too): test/fixtures/tiny-llama-golden.transformers.json is that run's report.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { buildTinyLlama } from '../../../native-runtime/inference/tools/make-tiny-llama'
import { pythonWith, repoRoot } from '../../python'

interface Run { device: string; dtype: string; batched: boolean; judged: boolean; greedy_mismatches: number[]; beam_all_mismatches: number[] }
interface Report { ok: boolean; weights_match_golden: boolean; runs: Run[]; onnx?: { max_abs_logit_diff_ort_vs_torch: number; ort_kv_greedy_matches_golden: boolean } }

const tmp = mkdtempSync(path.join(os.tmpdir(), 'phoenix-golden-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

describe('golden outputs = transformers generate()', () => {
  it('greedy and beam-5 token ids for 20 prompts match LlamaForCausalLM.generate() on CPU (float64, float32)', (t) => {
    const { python, reason } = pythonWith(['torch', 'transformers', 'onnx', 'onnxruntime'], 'the recorded H100 report is test/fixtures/tiny-llama-golden.transformers.json')
    if (!python) return t.skip(reason)
    const model = buildTinyLlama(path.join(tmp, 'tiny')).dir
    const out = path.join(tmp, 'report.json')
    const r = spawnSync(python, [path.join(repoRoot, 'scripts', 'gpu', 'golden-transformers.py'), '--model', model, '--device', 'cpu', '--out', out], { cwd: repoRoot, encoding: 'utf8' })
    assert.equal(r.status, 0, r.stdout + r.stderr)
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report
    assert.equal(report.ok, true)
    assert.equal(report.weights_match_golden, true)
    const judged = report.runs.filter((x) => x.judged)
    assert.deepEqual(judged.map((x) => `${x.dtype} ${x.batched ? 'batched' : 'alone'}`), ['torch.float64 alone', 'torch.float32 alone', 'torch.float32 batched'])
    for (const x of judged) assert.deepEqual([x.greedy_mismatches, x.beam_all_mismatches], [[], []], JSON.stringify(x))
    assert.equal(report.onnx?.ort_kv_greedy_matches_golden, true)
    assert.ok(report.onnx!.max_abs_logit_diff_ort_vs_torch < 1e-4, String(report.onnx!.max_abs_logit_diff_ort_vs_torch))
  })

  it('the H100 run recorded in the fixture matched too (CUDA float32 included)', () => {
    const report = JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'tiny-llama-golden.transformers.json'), 'utf8')) as Report
    assert.equal(report.ok, true)
    const cuda = report.runs.filter((x) => x.device === 'cuda')
    assert.equal(cuda.length, 2)
    for (const x of cuda) assert.deepEqual([x.greedy_mismatches, x.beam_all_mismatches], [[], []])
  })
})
