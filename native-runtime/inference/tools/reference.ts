/**
 * An independent reference for the tiny model: a plain-TypeScript LLaMA forward pass in float64 over the
 * weights read straight from onnx/model.onnx_data (no ONNX Runtime, no KV cache: every step recomputes the
 * whole sequence), with greedy and beam-search generation written the way transformers' generate() does
 * them. Its outputs are the golden file the server is tested against.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { externalTensors } from './onnx-graph'
import type { TinyLlamaConfig } from './make-tiny-llama'

type Mat = { rows: number; cols: number; data: Float32Array }

interface Layer {
  inNorm: Float32Array
  q: Mat
  k: Mat
  v: Mat
  o: Mat
  postNorm: Float32Array
  gate: Mat
  up: Mat
  down: Mat
}

export class ReferenceLlama {
  readonly cfg: TinyLlamaConfig
  private readonly embed: Mat
  private readonly layers: Layer[]
  private readonly norm: Float32Array
  private readonly lmHead: Mat
  private readonly invFreq: Float64Array

  constructor(modelDir: string) {
    this.cfg = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as TinyLlamaConfig
    const tensors = externalTensors(readFileSync(join(modelDir, 'onnx', 'model.onnx')))
    const cache = new Map<string, Buffer>()
    const get = (name: string): Mat => {
      const t = tensors.get(name)
      if (!t) throw new Error(`${modelDir}: model.onnx has no external tensor ${name}`)
      let file = cache.get(t.location)
      if (!file) cache.set(t.location, (file = readFileSync(join(modelDir, 'onnx', t.location))))
      const bytes = file.subarray(t.offset, t.offset + t.length)
      const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
      return { rows: t.dims[0]!, cols: t.dims[1] ?? 1, data }
    }
    const vec = (name: string): Float32Array => get(name).data
    this.embed = get('model.embed_tokens.weight')
    this.layers = []
    for (let l = 0; l < this.cfg.num_hidden_layers; l++) {
      const p = `model.layers.${l}`
      this.layers.push({
        inNorm: vec(`${p}.input_layernorm.weight`),
        q: get(`${p}.self_attn.q_proj.weight`),
        k: get(`${p}.self_attn.k_proj.weight`),
        v: get(`${p}.self_attn.v_proj.weight`),
        o: get(`${p}.self_attn.o_proj.weight`),
        postNorm: vec(`${p}.post_attention_layernorm.weight`),
        gate: get(`${p}.mlp.gate_proj.weight`),
        up: get(`${p}.mlp.up_proj.weight`),
        down: get(`${p}.mlp.down_proj.weight`),
      })
    }
    this.norm = vec('model.norm.weight')
    this.lmHead = get('lm_head.weight')
    const D = this.cfg.hidden_size / this.cfg.num_attention_heads
    this.invFreq = new Float64Array(D / 2)
    for (let i = 0; i < D / 2; i++) this.invFreq[i] = 1 / Math.fround(Math.pow(this.cfg.rope_theta, Math.fround((2 * i) / D)))
  }

  /** Final-norm hidden states of every position of one unpadded sequence (positions 0..n-1). */
  hidden(ids: readonly number[]): Float64Array[] {
    const { hidden_size: H, num_attention_heads: NH, num_key_value_heads: KV, rms_norm_eps: eps } = this.cfg
    const D = H / NH
    const R = NH / KV
    const n = ids.length
    const x: Float64Array[] = ids.map((id) => {
      if (id < 0 || id >= this.embed.rows) throw new RangeError(`token id ${id} outside the vocabulary`)
      return Float64Array.from(this.embed.data.subarray(id * H, (id + 1) * H))
    })
    for (const layer of this.layers) {
      const q: Float64Array[] = []
      const k: Float64Array[] = []
      const v: Float64Array[] = []
      for (let t = 0; t < n; t++) {
        const h = rmsNorm(x[t]!, layer.inNorm, eps)
        q.push(this.rope(matVec(layer.q, h), t, NH, D))
        k.push(this.rope(matVec(layer.k, h), t, KV, D))
        v.push(matVec(layer.v, h))
      }
      const scale = 1 / Math.sqrt(D)
      for (let t = 0; t < n; t++) {
        const attn = new Float64Array(NH * D)
        for (let hd = 0; hd < NH; hd++) {
          const kvh = Math.floor(hd / R)
          const scores = new Float64Array(t + 1)
          let max = -Infinity
          for (let s = 0; s <= t; s++) {
            let dot = 0
            for (let i = 0; i < D; i++) dot += q[t]![hd * D + i]! * k[s]![kvh * D + i]!
            scores[s] = dot * scale
            max = Math.max(max, scores[s]!)
          }
          let sum = 0
          for (let s = 0; s <= t; s++) sum += scores[s] = Math.exp(scores[s]! - max)
          for (let s = 0; s <= t; s++) {
            const p = scores[s]! / sum
            for (let i = 0; i < D; i++) attn[hd * D + i] += p * v[s]![kvh * D + i]!
          }
        }
        addInPlace(x[t]!, matVec(layer.o, attn))
      }
      for (let t = 0; t < n; t++) {
        const h = rmsNorm(x[t]!, layer.postNorm, eps)
        const gate = matVec(layer.gate, h)
        const up = matVec(layer.up, h)
        for (let i = 0; i < gate.length; i++) gate[i] = (gate[i]! / (1 + Math.exp(-gate[i]!))) * up[i]!
        addInPlace(x[t]!, matVec(layer.down, gate))
      }
    }
    return x.map((row) => rmsNorm(row, this.norm, eps))
  }

  /** Logits of the next token after `ids`. */
  nextLogits(ids: readonly number[]): Float64Array {
    const hidden = this.hidden(ids)
    return matVec(this.lmHead, hidden[hidden.length - 1]!)
  }

  private rope(x: Float64Array, pos: number, heads: number, D: number): Float64Array {
    const out = new Float64Array(x.length)
    const half = D / 2
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < half; i++) {
        // transformers computes the angle in float32.
        const angle = Math.fround(pos * this.invFreq[i]!)
        const c = Math.cos(angle)
        const s = Math.sin(angle)
        const a = x[h * D + i]!
        const b = x[h * D + half + i]!
        out[h * D + i] = a * c - b * s
        out[h * D + half + i] = b * c + a * s
      }
    }
    return out
  }
}

function rmsNorm(x: Float64Array, w: Float32Array, eps: number): Float64Array {
  let ss = 0
  for (let i = 0; i < x.length; i++) ss += x[i]! * x[i]!
  const inv = 1 / Math.sqrt(ss / x.length + eps)
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = w[i]! * x[i]! * inv
  return out
}

function matVec(m: Mat, x: Float64Array): Float64Array {
  const out = new Float64Array(m.rows)
  for (let r = 0; r < m.rows; r++) {
    let acc = 0
    const base = r * m.cols
    for (let c = 0; c < m.cols; c++) acc += m.data[base + c]! * x[c]!
    out[r] = acc
  }
  return out
}

function addInPlace(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i]!
}

export function logSoftmax(logits: Float64Array): Float64Array {
  let max = -Infinity
  for (const v of logits) max = Math.max(max, v)
  let sum = 0
  for (const v of logits) sum += Math.exp(v - max)
  const lse = max + Math.log(sum)
  return logits.map((v) => v - lse)
}

/** Anything that gives the next token's logits after a sequence (the reference model, or a test double). */
export interface NextLogits {
  nextLogits(ids: readonly number[]): Float64Array
}

export interface GreedyResult {
  tokens: number[]
  finish: 'stop' | 'length'
  /** Smallest gap between the chosen and the runner-up logit over the steps: how robust the golden is. */
  minMargin: number
}

export function greedy(model: NextLogits, prompt: readonly number[], maxNew: number, eos: number): GreedyResult {
  const ids = [...prompt]
  const tokens: number[] = []
  let minMargin = Infinity
  for (let step = 0; step < maxNew; step++) {
    const logits = model.nextLogits(ids)
    let best = 0
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i
    let second = -Infinity
    for (let i = 0; i < logits.length; i++) if (i !== best) second = Math.max(second, logits[i]!)
    minMargin = Math.min(minMargin, logits[best]! - second)
    tokens.push(best)
    ids.push(best)
    if (best === eos) return { tokens, finish: 'stop', minMargin }
  }
  return { tokens, finish: 'length', minMargin }
}

export interface BeamHypothesis {
  tokens: number[]
  /** Sum of token log-probabilities divided by generated length ** length_penalty. */
  score: number
}

export interface BeamResult {
  /** Finished hypotheses, best first (num_beams of them). */
  beams: BeamHypothesis[]
  /** Smallest score gap at the cut between kept and dropped candidates over the steps. */
  minMargin: number
}

/**
 * transformers' beam search (generate(num_beams=K, do_sample=False), early_stopping=False): each step takes
 * the top 2K continuations of all running beams by cumulative log-probability; continuations ending in EOS
 * (or reaching max_new_tokens) that rank within the top K become finished hypotheses scored
 * sum_logprobs / generated_len ** length_penalty; the best K of the rest keep running. Generation for the
 * prompt ends when K hypotheses are finished and no running beam can beat the worst of them.
 */
export function beamSearch(model: NextLogits, prompt: readonly number[], K: number, maxNew: number, eos: number, lengthPenalty = 1): BeamResult {
  let running: Array<{ tokens: number[]; logp: number }> = [{ tokens: [], logp: 0 }]
  let finished: BeamHypothesis[] = []
  let minMargin = Infinity
  for (let step = 0; step < maxNew; step++) {
    const candidates: Array<{ tokens: number[]; logp: number; token: number }> = []
    for (const beam of running) {
      const lp = logSoftmax(model.nextLogits([...prompt, ...beam.tokens]))
      // Only a beam's best 2K tokens can enter the overall top 2K.
      for (const token of topIndices(lp, 2 * K)) candidates.push({ tokens: beam.tokens, logp: beam.logp + lp[token]!, token })
    }
    candidates.sort((a, b) => b.logp - a.logp)
    const top = candidates.slice(0, 2 * K)
    if (candidates.length > 2 * K) minMargin = Math.min(minMargin, top[2 * K - 1]!.logp - candidates[2 * K]!.logp)
    const genLen = step + 1
    const last = step === maxNew - 1
    const next: typeof running = []
    top.forEach((c, rank) => {
      const hits = c.token === eos || last
      if (hits) {
        if (rank < K) finished.push({ tokens: [...c.tokens, c.token], score: c.logp / genLen ** lengthPenalty })
      } else if (next.length < K) next.push({ tokens: [...c.tokens, c.token], logp: c.logp })
    })
    if (top.length > K) minMargin = Math.min(minMargin, top[K - 1]!.logp - top[K]!.logp)
    finished.sort((a, b) => b.score - a.score)
    finished = finished.slice(0, K)
    running = next
    if (last) break
    if (finished.length === K && running.length > 0 && running[0]!.logp / genLen ** lengthPenalty <= finished[K - 1]!.score) break
  }
  return { beams: finished, minMargin }
}

function topIndices(values: Float64Array, k: number): number[] {
  const idx: number[] = []
  for (let i = 0; i < values.length; i++) {
    if (idx.length < k) {
      idx.push(i)
      idx.sort((a, b) => values[b]! - values[a]!)
    } else if (values[i]! > values[idx[k - 1]!]!) {
      idx[k - 1] = i
      idx.sort((a, b) => values[b]! - values[a]!)
    }
  }
  return idx
}
