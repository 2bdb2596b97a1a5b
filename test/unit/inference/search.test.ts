/**
 * The batched KV-cache search (generate.ts) against the reference search (tools/reference.ts) on a test
 * double of the decoder whose "KV cache" is the token history itself and whose logits are a hash of it, with
 * EOS made likely: the EOS branches (finished rows leaving the batch, finished beam hypotheses, early stop)
 * that the random tiny model never reaches. Also the real tiny model's logits against the float64 reference.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as ort from 'onnxruntime-node'
import type { Decoder, Kv, StepFeeds, StepResult } from '../../../native-runtime/inference/decoder'
import { OnnxDecoder, releaseKv } from '../../../native-runtime/inference/decoder'
import { beamSearchBatch, decodeBatch, embed } from '../../../native-runtime/inference/generate'
import { mulberry32 } from '../../../native-runtime/inference/random'
import { readModelConfig } from '../../../native-runtime/inference/session'
import { buildTinyLlama, tinyLlamaWeights, TINY_DEFAULTS } from '../../../native-runtime/inference/tools/make-tiny-llama'
import { beamSearch, greedy, ReferenceLlama, type NextLogits } from '../../../native-runtime/inference/tools/reference'
import { createHash } from 'node:crypto'

const V = 40
const EOS = 2

/** Logits after a token history: seeded by its hash; EOS raised so sequences end within a few steps. */
function logitsOf(history: readonly number[], eosBias: number): Float64Array {
  let h = 2166136261
  for (const t of history) h = Math.imul(h ^ t, 16777619) >>> 0
  const rand = mulberry32(h)
  const out = new Float64Array(V)
  for (let i = 0; i < V; i++) out[i] = Math.fround(rand() * 4)
  out[EOS] = Math.fround(out[EOS]! + eosBias)
  return out
}

/** A decoder double: its cache holds the token ids, so any row gather or reorder must keep histories intact. */
class HistoryDecoder implements Decoder {
  readonly hasHidden = false
  readonly config = { vocabSize: V, hiddenSize: 1, numLayers: 1, numHeads: 1, numKvHeads: 1, headDim: 1, maxPositions: 4096, eosIds: [EOS], bosId: 1 }
  readonly batches: number[] = []
  constructor(private readonly eosBias: number) {}

  async step(f: StepFeeds): Promise<StepResult> {
    this.batches.push(f.batch)
    const P = f.past ? f.past[0]!.dims[2] : 0
    const T = P + f.seq
    assert.equal(f.attentionMask.length, f.batch * T, 'mask width is past + new')
    const data = new Float32Array(f.batch * T)
    const logits = new Float32Array(f.batch * V)
    for (let b = 0; b < f.batch; b++) {
      for (let t = 0; t < P; t++) data[b * T + t] = f.past![0]!.data[b * P + t]!
      for (let s = 0; s < f.seq; s++) data[b * T + P + s] = Number(f.inputIds[b * f.seq + s])
      const history: number[] = []
      for (let t = 0; t < T; t++) if (f.attentionMask[b * T + t] === 1n) history.push(data[b * T + t]!)
      // Positions must count real tokens only: the last one is at history.length - 1.
      assert.equal(Number(f.positionIds[b * f.seq + f.seq - 1]), history.length - 1, 'position of the last token')
      logits.set(logitsOf(history, this.eosBias), b * V)
    }
    const kv: Kv = { data, dims: [f.batch, 1, T, 1] }
    return { logits, present: [kv, { data: data.slice(), dims: [f.batch, 1, T, 1] }] }
  }
}

/**
 * The same double with its cache "device-resident" as on WebGPU: present tensors come back as ort.Tensors
 * (CPU ones standing in for GPU buffers, which this machine lacks) with empty host data, consumed ones are
 * freed as OnnxDecoder frees them. Any gather that forgot to download, or a leaked tensor, shows.
 */
class DeviceKvDecoder implements Decoder {
  readonly hasHidden = false
  readonly created: ort.Tensor[] = []
  constructor(private readonly inner: HistoryDecoder) {}
  get config() {
    return this.inner.config
  }

  async step(f: StepFeeds): Promise<StepResult> {
    for (const kv of f.past ?? []) if (kv.device) assert.notEqual(kv.device.location, 'none', 'a freed cache tensor was fed again')
    const past = f.past?.map((kv) => (kv.device ? { data: kv.device.data as Float32Array, dims: kv.dims } : kv)) ?? null
    const r = await this.inner.step({ ...f, past })
    if (f.past) releaseKv(f.past)
    const present = r.present.map((kv) => {
      const device = new ort.Tensor('float32', kv.data as Float32Array, kv.dims)
      this.created.push(device)
      return { data: new Float32Array(0), dims: kv.dims, device }
    })
    return { ...r, present }
  }
}

const reference = (eosBias: number): NextLogits => ({ nextLogits: (ids) => logitsOf(ids, eosBias) })

function prompts(n: number, seed: number): number[][] {
  const rand = mulberry32(seed)
  return Array.from({ length: n }, () => [1, ...Array.from({ length: 1 + Math.floor(rand() * 9) }, () => 3 + Math.floor(rand() * (V - 3)))])
}

describe('device-resident KV cache (CPU tensors standing in for WebGPU buffers)', () => {
  it('greedy with rows leaving the batch and beam search give the host-cache results; every cache tensor is freed', async () => {
    const ps = prompts(10, 5)
    const o = { maxNew: 12, eosIds: [EOS], padId: 0 }
    const dev = new DeviceKvDecoder(new HistoryDecoder(0.3))
    assert.deepEqual(await decodeBatch(dev, ps, { kind: 'greedy' }, o), await decodeBatch(new HistoryDecoder(0.3), ps, { kind: 'greedy' }, o))
    assert.deepEqual(await beamSearchBatch(dev, ps, { ...o, width: 3 }), await beamSearchBatch(new HistoryDecoder(0.3), ps, { ...o, width: 3 }))
    assert.ok(dev.created.length > 20)
    assert.deepEqual(dev.created.filter((t) => t.location !== 'none').length, 0, 'cache tensors left allocated')
  })
})

describe('batched KV-cache search vs the reference search (decoder test double, EOS likely)', () => {
  it('greedy: same tokens and finish reasons; finished rows leave the batch', async () => {
    const ps = prompts(12, 1)
    const dec = new HistoryDecoder(0.3)
    const got = await decodeBatch(dec, ps, { kind: 'greedy' }, { maxNew: 12, eosIds: [EOS], padId: 0 })
    let stopped = 0
    ps.forEach((p, i) => {
      const want = greedy(reference(0.3), p, 12, EOS)
      assert.deepEqual(got[i]!.tokens, want.tokens, `prompt ${i}`)
      assert.equal(got[i]!.finish, want.finish)
      if (want.finish === 'stop') stopped++
    })
    assert.ok(stopped >= 3 && stopped < 12, `${stopped} prompts hit EOS: the test needs both kinds`)
    assert.ok(dec.batches.some((b, i) => i > 0 && b < dec.batches[i - 1]!), `batch sizes ${dec.batches.join(',')}`)
  })

  it('beam search: same finished hypotheses, order and scores, with EOS hypotheses and early stops', async () => {
    for (const [K, eosBias] of [
      [3, 1.0],
      [5, 2.0],
      [4, 0.5],
    ] as const) {
      const ps = prompts(8, K * 10)
      const dec = new HistoryDecoder(eosBias)
      const got = await beamSearchBatch(dec, ps, { width: K, maxNew: 10, eosIds: [EOS], padId: 0 })
      let eosHyps = 0
      ps.forEach((p, i) => {
        const want = beamSearch(reference(eosBias), p, K, 10, EOS)
        assert.deepEqual(got[i]!.map((h) => h.tokens), want.beams.map((h) => h.tokens), `K=${K} prompt ${i}`)
        got[i]!.forEach((h, j) => assert.ok(Math.abs(h.score - want.beams[j]!.score) < 1e-9, `K=${K} prompt ${i} beam ${j} score`))
        for (const h of got[i]!) {
          assert.equal(h.finish, h.tokens[h.tokens.length - 1] === EOS ? 'stop' : 'length')
          if (h.finish === 'stop') eosHyps++
        }
      })
      assert.ok(eosHyps > 0, `K=${K}: some hypotheses should end in EOS`)
      assert.ok(dec.batches.length < 11, `K=${K}: ${dec.batches.length} steps; early stop or max length`)
    }
  })

  it('a zero max_new gives empty generations without running the decoder past the prefill', async () => {
    const dec = new HistoryDecoder(0)
    const got = await decodeBatch(dec, prompts(2, 3), { kind: 'greedy' }, { maxNew: 0, eosIds: [EOS], padId: 0 })
    assert.deepEqual(got.map((g) => g.tokens), [[], []])
    assert.equal(dec.batches.length, 0)
  })

  it('aborts between steps when the signal fires', async () => {
    const ctrl = new AbortController()
    const dec = new HistoryDecoder(-100)
    const slow: Decoder = {
      config: dec.config,
      hasHidden: false,
      step: async (f) => {
        if (dec.batches.length === 3) ctrl.abort(new Error('client closed the connection'))
        return dec.step(f)
      },
    }
    await assert.rejects(decodeBatch(slow, prompts(2, 4), { kind: 'greedy' }, { maxNew: 50, eosIds: [EOS], padId: 0, signal: ctrl.signal }), /client closed/)
    assert.ok(dec.batches.length <= 5)
  })
})

describe('tiny model: ONNX graph vs the float64 reference', () => {
  let dir: string
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'phoenix-'))))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('builds byte-identical folders from a seed, weights in the recipe order (what the Python check regenerates)', () => {
    const a = buildTinyLlama(path.join(dir, 'a'))
    const b = buildTinyLlama(path.join(dir, 'b'))
    assert.equal(a.weightsSha256, b.weightsSha256)
    assert.deepEqual(readFileSync(path.join(dir, 'a/onnx/model.onnx')), readFileSync(path.join(dir, 'b/onnx/model.onnx')))
    const h = createHash('sha256')
    for (const w of tinyLlamaWeights(TINY_DEFAULTS)) h.update(new Uint8Array(w.data.buffer))
    assert.equal(h.digest('hex'), a.weightsSha256)
    const other = buildTinyLlama(path.join(dir, 'c'), { seed: 7 })
    assert.notEqual(other.weightsSha256, a.weightsSha256)
    const config = JSON.parse(readFileSync(path.join(dir, 'a/config.json'), 'utf8'))
    assert.deepEqual(config.architectures, ['LlamaForCausalLM'])
    assert.equal(config.num_key_value_heads, 2)
    assert.equal(config.tie_word_embeddings, false)
  })

  it('names inputs and outputs as optimum does, and matches the reference logits and hidden states', async () => {
    const modelDir = path.join(dir, 'a')
    const session = await ort.InferenceSession.create(path.join(modelDir, 'onnx/model.onnx'), { executionProviders: ['cpu'] })
    try {
      assert.deepEqual(session.inputNames, ['input_ids', 'attention_mask', 'position_ids', 'past_key_values.0.key', 'past_key_values.0.value', 'past_key_values.1.key', 'past_key_values.1.value'])
      assert.deepEqual([...session.outputNames].sort(), ['last_hidden_state', 'logits', 'present.0.key', 'present.0.value', 'present.1.key', 'present.1.value'])
      const ref = new ReferenceLlama(modelDir)
      const ids = [1, 4335, 10020, 456, 477, 4300, 298, 5567, 28747, 13, 27871]
      const dec = new OnnxDecoder(session, readModelConfig(modelDir))
      // Left-padded next to a longer row, cache built in two steps: the last position still matches.
      const ids2 = [...ids, 1234, 99, 7]
      const result = await decodeBatch(dec, [ids, ids2], { kind: 'greedy' }, { maxNew: 1, eosIds: [], padId: 0 })
      assert.equal(result.length, 2)
      const feeds = { batch: 1, seq: ids.length, inputIds: BigInt64Array.from(ids.map(BigInt)), attentionMask: new BigInt64Array(ids.length).fill(1n), positionIds: BigInt64Array.from(ids.map((_, i) => BigInt(i))), past: null }
      const out = await dec.step(feeds)
      const want = ref.nextLogits(ids)
      let worst = 0
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i]! - out.logits[i]!))
      assert.ok(worst < 1e-4, `max |logit difference| ${worst}`)
      const hidden = ref.hidden(ids)
      const last = hidden[hidden.length - 1]!
      for (let i = 0; i < last.length; i++) assert.ok(Math.abs(last[i]! - out.hidden![(ids.length - 1) * 64 + i]!) < 1e-4)
      const [e] = await embed(dec, [ids], 0)
      const mean = new Float64Array(64)
      for (const row of hidden) for (let i = 0; i < 64; i++) mean[i] += row[i]! / hidden.length
      const norm = Math.hypot(...mean)
      for (let i = 0; i < 64; i++) assert.ok(Math.abs(e![i]! - mean[i]! / norm) < 1e-5)
    } finally {
      await session.release()
    }
  })
})
