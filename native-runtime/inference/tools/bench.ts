/**
 * Tokens per second of the decoding loop (prefill + KV-cache steps, onnxruntime-node) at several batch sizes.
 *
 * Usage: node --import tsx native-runtime/inference/tools/bench.ts [MODEL_DIR] [--providers cpu] [--threads N] [--new 64] [--batches 1,8,32] [--beam 5] [--kv-host]
 * --kv-host: on WebGPU, bring the KV cache back to host memory after every step (the behaviour before
 * device-resident caches), for comparison.
 * Without MODEL_DIR it builds the tiny random model into a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OnnxDecoder } from '../decoder'
import { beamSearchBatch, decodeBatch } from '../generate'
import { openModelSession, readModelConfig } from '../session'
import { TextTokenizer } from '../tokenizer'

const args = process.argv.slice(2)
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1]! : fallback
}
const positional = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'))
const tmp = positional[0] ? undefined : mkdtempSync(join(tmpdir(), 'phoenix-bench-'))
// Loaded only when needed: the GPU machine runs this bundled, without onnx-proto beside it.
const dir = positional[0] ?? (await import('./make-tiny-llama')).buildTinyLlama(join(tmp!, 'tiny')).dir
try {
  const threads = Number(opt('threads', '0')) || undefined
  const kvOnDevice = !args.includes('--kv-host')
  const opened = await openModelSession(dir, opt('providers', 'cpu').split(','), (l) => process.stderr.write(l + '\n'), threads, { kvOnDevice })
  const cfg = readModelConfig(dir)
  const dec = new OnnxDecoder(opened.session, cfg)
  const tok = TextTokenizer.load(dir)
  const maxNew = Number(opt('new', '64'))
  const beam = Number(opt('beam', '0'))
  const base = 'Translate this from English to German:\nEnglish: The committee will meet again next week to discuss the budget.\nGerman:'
  const prompt = tok.encode(base)
  // Never stop early: no EOS, so every row generates maxNew tokens.
  const o = { maxNew, eosIds: [] as number[], padId: tok.padId }
  await decodeBatch(dec, [prompt], { kind: 'greedy' }, { ...o, maxNew: 4 })
  const rows: Array<Record<string, unknown>> = []
  for (const B of opt('batches', '1,8,32').split(',').map(Number)) {
    const prompts = Array.from({ length: B }, () => prompt)
    const t0 = performance.now()
    const first = beam > 0 ? (await beamSearchBatch(dec, prompts, { ...o, width: beam }))[0]![0]! : (await decodeBatch(dec, prompts, { kind: 'greedy' }, o))[0]!
    const s = (performance.now() - t0) / 1000
    const tokens = B * maxNew * (beam > 0 ? beam : 1)
    rows.push({ batch: B, mode: beam > 0 ? `beam ${beam}` : 'greedy', prompt_tokens: prompt.length, new_tokens: tokens, seconds: +s.toFixed(3), tokens_per_s: Math.round(tokens / s), ms_per_step: +((s * 1000) / maxNew).toFixed(2), first_row_tokens: first.tokens.slice(0, 12) })
  }
  console.log(JSON.stringify({ model: dir, provider: opened.provider, kv: opened.provider === 'webgpu' && kvOnDevice ? 'device' : 'host', threads: threads ?? 'ort default', results: rows }, null, 1))
  await opened.session.release()
} finally {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
}
