/**
 * One forward step of an optimum-layout decoder with KV cache (inputs input_ids, attention_mask,
 * position_ids, past_key_values.{i}.key/.value; outputs logits, present.{i}.key/.value and, when the graph
 * has it, last_hidden_state), and the row gathers the batch needs: dropping finished rows and reordering
 * beams both copy whole batch rows of the cache.
 */
import * as ort from 'onnxruntime-node'
import type { ModelConfig } from './session'

/** A cache tensor [batch, kv_heads, length, head_dim] in host memory. */
export interface Kv {
  data: Float32Array
  dims: [number, number, number, number]
}

export interface StepFeeds {
  batch: number
  seq: number
  /** [batch, seq] */
  inputIds: BigInt64Array
  /** [batch, past + seq] */
  attentionMask: BigInt64Array
  /** [batch, seq] */
  positionIds: BigInt64Array
  /** 2 per layer (key, value), or null for an empty cache. */
  past: Kv[] | null
}

export interface StepResult {
  /** [batch, vocab]: logits of each row's last position. */
  logits: Float32Array
  present: Kv[]
  /** [batch, seq, hidden] when the graph outputs last_hidden_state. */
  hidden?: Float32Array
}

export interface Decoder {
  readonly config: ModelConfig
  readonly hasHidden: boolean
  step(feeds: StepFeeds): Promise<StepResult>
}

export class OnnxDecoder implements Decoder {
  readonly hasHidden: boolean

  constructor(
    private readonly session: ort.InferenceSession,
    readonly config: ModelConfig,
  ) {
    const inputs = new Set(session.inputNames)
    for (const name of ['input_ids', 'attention_mask', 'position_ids', 'past_key_values.0.key']) {
      if (!inputs.has(name)) throw new Error(`model graph has no input "${name}": export it with past key values (text-generation-with-past)`)
    }
    if (!session.outputNames.includes('logits')) throw new Error('model graph has no output "logits"')
    this.hasHidden = session.outputNames.includes('last_hidden_state')
  }

  async step(f: StepFeeds): Promise<StepResult> {
    const { numLayers, numKvHeads, headDim, vocabSize } = this.config
    const total = f.attentionMask.length / f.batch
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', f.inputIds, [f.batch, f.seq]),
      attention_mask: new ort.Tensor('int64', f.attentionMask, [f.batch, total]),
      position_ids: new ort.Tensor('int64', f.positionIds, [f.batch, f.seq]),
    }
    const empty = new Float32Array(0)
    for (let l = 0; l < numLayers; l++) {
      for (const [j, kind] of (['key', 'value'] as const).entries()) {
        const kv = f.past?.[2 * l + j]
        feeds[`past_key_values.${l}.${kind}`] = kv
          ? new ort.Tensor('float32', kv.data, kv.dims)
          : new ort.Tensor('float32', empty, [f.batch, numKvHeads, 0, headDim])
      }
    }
    const out = await this.session.run(feeds)
    const logitsT = out.logits!
    const full = logitsT.data as Float32Array
    const [, s, v] = logitsT.dims as number[]
    if (v !== vocabSize) throw new Error(`model returned logits of width ${v}, config.json says vocab_size ${vocabSize}`)
    const logits = new Float32Array(f.batch * v)
    for (let b = 0; b < f.batch; b++) logits.set(full.subarray((b * s! + s! - 1) * v, (b * s! + s!) * v), b * v)
    const present: Kv[] = []
    for (let l = 0; l < numLayers; l++) {
      for (const kind of ['key', 'value']) {
        const t = out[`present.${l}.${kind}`]
        if (!t) throw new Error(`model graph has no output present.${l}.${kind}`)
        present.push({ data: t.data as Float32Array, dims: t.dims as Kv['dims'] })
      }
    }
    const hidden = out.last_hidden_state?.data as Float32Array | undefined
    return { logits, present, ...(hidden ? { hidden } : {}) }
  }
}

/** Rows `rows` (may repeat) of each cache tensor, in that order. */
export function gatherKv(past: Kv[], rows: readonly number[]): Kv[] {
  return past.map((kv) => {
    const [, h, t, d] = kv.dims
    const size = h * t * d
    const data = new Float32Array(rows.length * size)
    rows.forEach((r, i) => data.set(kv.data.subarray(r * size, (r + 1) * size), i * size))
    return { data, dims: [rows.length, h, t, d] }
  })
}

/** Rows of a [batch, width] mask, each followed by one more 1 (the token about to be fed). */
export function gatherMaskAppend(mask: BigInt64Array, width: number, rows: readonly number[]): BigInt64Array {
  const out = new BigInt64Array(rows.length * (width + 1))
  rows.forEach((r, i) => {
    out.set(mask.subarray(r * width, (r + 1) * width), i * (width + 1))
    out[i * (width + 1) + width] = 1n
  })
  return out
}
