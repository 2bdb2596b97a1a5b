/**
 * One forward step of an optimum-layout decoder with KV cache (inputs input_ids, attention_mask,
 * position_ids, past_key_values.{i}.key/.value; outputs logits, present.{i}.key/.value and, when the graph
 * has it, last_hidden_state), and the row gathers the batch needs: dropping finished rows and reordering
 * beams both copy whole batch rows of the cache.
 */
import * as ort from 'onnxruntime-node'
import type { ModelConfig } from './session'

/**
 * A cache tensor [batch, kv_heads, length, head_dim]: float32, or float16 bits (fp16 exports). On a GPU
 * provider the session may leave it in device memory (`device`, `data` then empty) so the next step reads
 * it there: the cache is the bulk of each step's traffic and the host round trip dominated GPU decoding.
 * Row gathers need host data; `toHost` downloads it.
 */
export interface Kv {
  data: Float32Array | Uint16Array
  dims: [number, number, number, number]
  device?: ort.Tensor
}

type FloatType = 'float32' | 'float16'

/** float16 bits → float32, by table (65536 entries). */
let halfTable: Float32Array | undefined
export function halfToFloat(bits: Uint16Array): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536)
    for (let h = 0; h < 65536; h++) {
      const sign = h & 0x8000 ? -1 : 1
      const exp = (h >> 10) & 0x1f
      const frac = h & 0x3ff
      halfTable[h] = exp === 0 ? sign * frac * 2 ** -24 : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * (1 + frac / 1024) * 2 ** (exp - 15)
    }
  }
  const out = new Float32Array(bits.length)
  for (let i = 0; i < bits.length; i++) out[i] = halfTable[bits[i]!]!
  return out
}

function asFloat32(t: ort.Tensor): Float32Array {
  if (t.type === 'float32') return t.data as Float32Array
  if (t.type === 'float16') return halfToFloat(t.data as Uint16Array)
  throw new Error(`model output of type ${t.type}, expected float32 or float16`)
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
  /** One forward step. It consumes `feeds.past`: device-resident cache tensors are freed afterwards. */
  step(feeds: StepFeeds): Promise<StepResult>
}

/** The cache with host data (downloading and freeing device-resident tensors). */
export async function kvToHost(past: Kv[]): Promise<Kv[]> {
  return Promise.all(
    past.map(async (kv) => {
      if (!kv.device) return kv
      const data = (await kv.device.getData()) as Kv['data']
      kv.device.dispose()
      return { data, dims: kv.dims }
    }),
  )
}

/** Frees device-resident cache tensors that no step will consume. */
export function releaseKv(past: readonly Kv[]): void {
  for (const kv of past) if (kv.device && kv.device.location !== 'none') kv.device.dispose()
}

export class OnnxDecoder implements Decoder {
  readonly hasHidden: boolean
  /** Element type of the cache inputs (float16 in fp16 exports). */
  readonly kvType: FloatType

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
    const meta = session.inputMetadata?.find((m) => m.name === 'past_key_values.0.key')
    const type = meta && meta.isTensor ? String(meta.type) : 'float32'
    if (type !== 'float32' && type !== 'float16') throw new Error(`model cache input past_key_values.0.key is ${type}, expected float32 or float16`)
    this.kvType = type
  }

  async step(f: StepFeeds): Promise<StepResult> {
    const { numLayers, numKvHeads, headDim, vocabSize } = this.config
    const total = f.attentionMask.length / f.batch
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', f.inputIds, [f.batch, f.seq]),
      attention_mask: new ort.Tensor('int64', f.attentionMask, [f.batch, total]),
      position_ids: new ort.Tensor('int64', f.positionIds, [f.batch, f.seq]),
    }
    const empty = this.kvType === 'float16' ? new Uint16Array(0) : new Float32Array(0)
    for (let l = 0; l < numLayers; l++) {
      for (const [j, kind] of (['key', 'value'] as const).entries()) {
        const kv = f.past?.[2 * l + j]
        feeds[`past_key_values.${l}.${kind}`] = kv
          ? (kv.device ?? new ort.Tensor(this.kvType, kv.data, kv.dims))
          : new ort.Tensor(this.kvType, empty, [f.batch, numKvHeads, 0, headDim])
      }
    }
    let out: ort.InferenceSession.OnnxValueMapType
    try {
      out = await this.session.run(feeds)
    } finally {
      if (f.past) releaseKv(f.past)
    }
    const logitsT = out.logits!
    const full = asFloat32(logitsT)
    const [, s, v] = logitsT.dims as number[]
    if (v !== vocabSize) throw new Error(`model returned logits of width ${v}, config.json says vocab_size ${vocabSize}`)
    const logits = new Float32Array(f.batch * v)
    for (let b = 0; b < f.batch; b++) logits.set(full.subarray((b * s! + s! - 1) * v, (b * s! + s!) * v), b * v)
    const present: Kv[] = []
    for (let l = 0; l < numLayers; l++) {
      for (const kind of ['key', 'value']) {
        const t = out[`present.${l}.${kind}`]
        if (!t) throw new Error(`model graph has no output present.${l}.${kind}`)
        if (t.type !== this.kvType) throw new Error(`model output present.${l}.${kind} is ${t.type}, its cache input ${this.kvType}`)
        const dims = t.dims as Kv['dims']
        present.push(t.location === 'gpu-buffer' ? { data: this.kvType === 'float16' ? new Uint16Array(0) : new Float32Array(0), dims, device: t } : { data: t.data as Kv['data'], dims })
      }
    }
    const hidden = out.last_hidden_state ? asFloat32(out.last_hidden_state) : undefined
    return { logits, present, ...(hidden ? { hidden } : {}) }
  }
}

/** Rows `rows` (may repeat) of each cache tensor, in that order. */
export function gatherKv(past: Kv[], rows: readonly number[]): Kv[] {
  return past.map((kv) => {
    const [, h, t, d] = kv.dims
    const size = h * t * d
    const data = kv.data instanceof Uint16Array ? new Uint16Array(rows.length * size) : new Float32Array(rows.length * size)
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
