/**
 * Batched decoding over a Decoder with KV cache.
 *
 * - Prompts of different lengths share a batch by left padding: attention_mask 0 on the pads and
 *   position_ids counting only real tokens (as transformers' generate() does), so a row's tokens do not
 *   depend on what it is batched with.
 * - Greedy / sampling: rows that finish (EOS, stop string) leave the batch; their cache rows are dropped.
 * - Beam search (transformers' semantics, see tools/reference.ts): K rows per prompt; each step the cache
 *   rows are gathered by the beam each new hypothesis came from; prompts that are done leave the batch.
 */
import { gatherKv, gatherMaskAppend, kvToHost, releaseKv, type Decoder, type Kv, type StepResult } from './decoder'

export interface Generation {
  tokens: number[]
  finish: 'stop' | 'length'
  /** Set when a stop string ended the text: the text before it. */
  text?: string
  /** Beam search: sum of the tokens' log-probabilities divided by length ** length_penalty (else 0). */
  score: number
}

export type Picker =
  | { kind: 'greedy' }
  | { kind: 'sample'; temperature: number; topP: number; random: () => number }

export interface DecodeOptions {
  maxNew: number
  eosIds: readonly number[]
  padId: number
  /** Stop strings: checked on the decoded text of the generated tokens after each step. */
  stop?: readonly string[]
  decode?: (ids: number[]) => string
  signal?: AbortSignal
  /** Largest [rows, seq, vocab] logits tensor one prefill call may return (default 256 MiB); more rows run in groups. */
  prefillLogitsBytes?: number
}

interface Prefill {
  result: StepResult
  mask: BigInt64Array
  width: number
}

/** Largest logits tensor one prefill may return: the graph's logits cover every position ([B, S, V]). */
const PREFILL_LOGITS_BYTES = 256 * 1024 * 1024

async function prefill(dec: Decoder, prompts: readonly (readonly number[])[], padId: number, logitsBytes = PREFILL_LOGITS_BYTES): Promise<Prefill> {
  const B = prompts.length
  const S = Math.max(...prompts.map((p) => p.length))
  const ids = new BigInt64Array(B * S).fill(BigInt(padId))
  const mask = new BigInt64Array(B * S)
  // Pads get position 1, as transformers' `attention_mask.cumsum(-1) - 1` then `masked_fill(mask == 0, 1)`.
  const pos = new BigInt64Array(B * S).fill(1n)
  prompts.forEach((p, b) => {
    const off = b * S + S - p.length
    p.forEach((id, i) => {
      ids[off + i] = BigInt(id)
      mask[off + i] = 1n
      pos[off + i] = BigInt(i)
    })
  })
  // Rows in groups so the full-sequence logits stay within budget; all groups share the padded width S,
  // so their caches concatenate along the batch.
  const group = Math.max(1, Math.floor(logitsBytes / (S * dec.config.vocabSize * 4)))
  if (group >= B) {
    const result = await dec.step({ batch: B, seq: S, inputIds: ids, attentionMask: mask, positionIds: pos, past: null })
    return { result, mask, width: S }
  }
  const parts: StepResult[] = []
  for (let b = 0; b < B; b += group) {
    const n = Math.min(group, B - b)
    const rows = (a: BigInt64Array) => a.subarray(b * S, (b + n) * S)
    const part = await dec.step({ batch: n, seq: S, inputIds: rows(ids), attentionMask: rows(mask), positionIds: rows(pos), past: null })
    parts.push({ ...part, present: await kvToHost(part.present) })
  }
  const cat = <A extends Float32Array | Uint16Array>(arrays: A[]): A => {
    const length = arrays.reduce((a, x) => a + x.length, 0)
    const out = (arrays[0] instanceof Uint16Array ? new Uint16Array(length) : new Float32Array(length)) as A
    let at = 0
    for (const x of arrays) {
      out.set(x, at)
      at += x.length
    }
    return out
  }
  const result: StepResult = {
    logits: cat(parts.map((p) => p.logits)),
    present: parts[0]!.present.map((kv, i) => ({ data: cat(parts.map((p) => p.present[i]!.data)), dims: [B, kv.dims[1], kv.dims[2], kv.dims[3]] })),
  }
  if (parts.every((p) => p.hidden)) result.hidden = cat(parts.map((p) => p.hidden!))
  return { result, mask, width: S }
}

function aborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('generation aborted')
}

/** log(sum(exp(row))) in float64. */
function logSumExp(logits: Float32Array, off: number, V: number): number {
  let max = -Infinity
  for (let i = 0; i < V; i++) if (logits[off + i]! > max) max = logits[off + i]!
  let sum = 0
  for (let i = 0; i < V; i++) sum += Math.exp(logits[off + i]! - max)
  return max + Math.log(sum)
}

/** Index of the largest value of a row (the first of equals, like torch.argmax). */
function argmax(values: Float32Array, off: number, V: number): number {
  let best = 0
  let max = values[off]!
  for (let i = 1; i < V; i++) {
    if (values[off + i]! > max) {
      max = values[off + i]!
      best = i
    }
  }
  return best
}

/** Indices of the k largest values of a row, largest first (ties: lower index first, like argmax). */
export function topK(values: Float32Array, off: number, V: number, k: number): number[] {
  const idx: number[] = []
  let floor = -Infinity
  for (let i = 0; i < V; i++) {
    const v = values[off + i]!
    if (idx.length === k && v <= floor) continue
    let at = idx.length
    while (at > 0 && values[off + idx[at - 1]!]! < v) at--
    idx.splice(at, 0, i)
    if (idx.length > k) idx.pop()
    if (idx.length === k) floor = values[off + idx[k - 1]!]!
  }
  return idx
}

function sample(logits: Float32Array, off: number, V: number, p: Extract<Picker, { kind: 'sample' }>): number {
  const probs = new Float64Array(V)
  let max = -Infinity
  for (let i = 0; i < V; i++) max = Math.max(max, logits[off + i]! / p.temperature)
  let sum = 0
  for (let i = 0; i < V; i++) sum += probs[i] = Math.exp(logits[off + i]! / p.temperature - max)
  let order: number[]
  let mass = sum
  if (p.topP < 1) {
    // Nucleus: the most likely tokens until their mass reaches top_p (the token crossing it included).
    // A native sort of the probabilities finds the cut; only tokens at or above it are ordered.
    const sorted = Float64Array.from(probs).sort().reverse()
    let acc = 0
    let cut = sorted[0]!
    for (const q of sorted) {
      acc += q
      cut = q
      if (acc >= p.topP * sum) break
    }
    order = []
    mass = 0
    for (let i = 0; i < V; i++) {
      if (probs[i]! >= cut) {
        order.push(i)
        mass += probs[i]!
      }
    }
  } else {
    order = Array.from({ length: V }, (_, i) => i)
  }
  let r = p.random() * mass
  for (const i of order) {
    r -= probs[i]!
    if (r <= 0) return i
  }
  return order[order.length - 1]!
}

/**
 * Greedy or sampled continuation of every prompt (one row each; repeat a prompt for n samples).
 */
export async function decodeBatch(dec: Decoder, prompts: readonly (readonly number[])[], picker: Picker, o: DecodeOptions): Promise<Generation[]> {
  const V = dec.config.vocabSize
  const out: Generation[] = prompts.map(() => ({ tokens: [], finish: 'length', score: 0 }))
  if (prompts.length === 0 || o.maxNew <= 0) return out
  const pre = await prefill(dec, prompts, o.padId, o.prefillLogitsBytes)
  let { result, mask, width } = pre
  let past: Kv[] = result.present
  let active = prompts.map((_, i) => i)
  const count = prompts.map((p) => p.length)
  try {
    for (let step = 0; ; step++) {
      aborted(o.signal)
      const keep: number[] = []
      active.forEach((row, b) => {
        const off = b * V
        const token = picker.kind === 'greedy' ? argmax(result.logits, off, V) : sample(result.logits, off, V, picker)
        const g = out[row]!
        g.tokens.push(token)
        if (o.eosIds.includes(token)) {
          g.finish = 'stop'
          return
        }
        if (o.stop?.length && o.decode) {
          const text = o.decode(g.tokens)
          const cut = firstStop(text, o.stop)
          if (cut >= 0) {
            g.finish = 'stop'
            g.text = text.slice(0, cut)
            return
          }
        }
        keep.push(b)
      })
      if (step + 1 >= o.maxNew || keep.length === 0) break
      const rows = keep.map((b) => active[b]!)
      if (keep.length < active.length) past = gatherKv(await kvToHost(past), keep)
      mask = gatherMaskAppend(mask, width, keep)
      width++
      const ids = BigInt64Array.from(rows.map((r) => BigInt(out[r]!.tokens[out[r]!.tokens.length - 1]!)))
      const pos = BigInt64Array.from(rows.map((r) => BigInt(count[r]! + out[r]!.tokens.length - 1)))
      active = rows
      result = await dec.step({ batch: rows.length, seq: 1, inputIds: ids, attentionMask: mask, positionIds: pos, past })
      past = result.present
    }
  } finally {
    releaseKv(past)
  }
  return out
}

export function firstStop(text: string, stops: readonly string[]): number {
  let cut = -1
  for (const s of stops) {
    if (!s) continue
    const at = text.indexOf(s)
    if (at >= 0 && (cut < 0 || at < cut)) cut = at
  }
  return cut
}

export interface BeamOptions extends DecodeOptions {
  width: number
  lengthPenalty?: number
}

interface Beam {
  tokens: number[]
  logp: number
  /** Row of this beam in the current batch. */
  row: number
}

interface Group {
  prompt: readonly number[]
  running: Beam[]
  finished: Array<{ tokens: number[]; score: number }>
  done: boolean
}

/**
 * Beam search for every prompt, all prompts' beams in one batch. Returns per prompt its finished
 * hypotheses, best first (`width` of them).
 */
export async function beamSearchBatch(dec: Decoder, prompts: readonly (readonly number[])[], o: BeamOptions): Promise<Generation[][]> {
  const V = dec.config.vocabSize
  const K = o.width
  const lp = o.lengthPenalty ?? 1
  if (prompts.length === 0) return []
  if (o.maxNew <= 0) return prompts.map(() => [{ tokens: [], finish: 'length', score: 0 }])
  const { result: first, mask: mask0, width: width0 } = await prefill(dec, prompts, o.padId, o.prefillLogitsBytes)
  let result = first
  let mask = mask0
  let width = width0
  let past: Kv[] = result.present
  const groups: Group[] = prompts.map((prompt, g) => ({ prompt, running: [{ tokens: [], logp: 0, row: g }], finished: [], done: false }))
  try {
    for (let step = 0; ; step++) {
      aborted(o.signal)
      const genLen = step + 1
      const last = step + 1 >= o.maxNew
      const lse = new Map<number, number>()
      for (const group of groups) {
        if (group.done) continue
        const candidates: Array<{ beam: Beam; token: number; logp: number }> = []
        for (const beam of group.running) {
          const off = beam.row * V
          const z = lse.get(beam.row) ?? logSumExp(result.logits, off, V)
          lse.set(beam.row, z)
          for (const token of topK(result.logits, off, V, 2 * K)) candidates.push({ beam, token, logp: beam.logp + result.logits[off + token]! - z })
        }
        candidates.sort((a, b) => b.logp - a.logp)
        const next: Beam[] = []
        candidates.slice(0, 2 * K).forEach((c, rank) => {
          const tokens = [...c.beam.tokens, c.token]
          if (o.eosIds.includes(c.token) || last) {
            if (rank < K) group.finished.push({ tokens, score: c.logp / genLen ** lp })
          } else if (next.length < K) {
            next.push({ tokens, logp: c.logp, row: c.beam.row })
          }
        })
        group.finished.sort((a, b) => b.score - a.score)
        group.finished.length = Math.min(group.finished.length, K)
        group.running = next
        const worst = group.finished[K - 1]?.score
        group.done = last || next.length === 0 || (worst !== undefined && next[0]!.logp / genLen ** lp <= worst)
      }
      const live = groups.filter((g) => !g.done)
      if (live.length === 0) break
      // Next batch: every live beam, its cache row gathered from the beam it extends.
      const rows: number[] = []
      const ids: bigint[] = []
      const pos: bigint[] = []
      for (const group of live) {
        for (const beam of group.running) {
          rows.push(beam.row)
          ids.push(BigInt(beam.tokens[beam.tokens.length - 1]!))
          pos.push(BigInt(group.prompt.length + beam.tokens.length - 1))
          beam.row = rows.length - 1
        }
      }
      past = gatherKv(await kvToHost(past), rows)
      mask = gatherMaskAppend(mask, width, rows)
      width++
      result = await dec.step({ batch: rows.length, seq: 1, inputIds: BigInt64Array.from(ids), attentionMask: mask, positionIds: BigInt64Array.from(pos), past })
      past = result.present
    }
  } finally {
    releaseKv(past)
  }
  return groups.map((g) =>
    g.finished.map((h) => {
      const eos = h.tokens.length > 0 && o.eosIds.includes(h.tokens[h.tokens.length - 1]!)
      const gen: Generation = { tokens: h.tokens, finish: eos ? 'stop' : 'length', score: h.score }
      if (o.stop?.length && o.decode) {
        const text = o.decode(h.tokens)
        const cut = firstStop(text, o.stop)
        if (cut >= 0) {
          gen.text = text.slice(0, cut)
          gen.finish = 'stop'
        }
      }
      return gen
    }),
  )
}

/** Mean of the last hidden states over real tokens, L2-normalized: one vector per input. */
export async function embed(dec: Decoder, inputs: readonly (readonly number[])[], padId: number, prefillLogitsBytes?: number): Promise<Float32Array[]> {
  if (!dec.hasHidden) throw new Error('the model graph has no last_hidden_state output, so it cannot serve embeddings')
  const H = dec.config.hiddenSize
  const { result, mask, width } = await prefill(dec, inputs, padId, prefillLogitsBytes)
  releaseKv(result.present)
  const hidden = result.hidden!
  return inputs.map((_, b) => {
    const v = new Float64Array(H)
    let n = 0
    for (let s = 0; s < width; s++) {
      if (mask[b * width + s] !== 1n) continue
      n++
      const off = (b * width + s) * H
      for (let i = 0; i < H; i++) v[i] += hidden[off + i]!
    }
    let norm = 0
    for (let i = 0; i < H; i++) norm += (v[i]! / n) ** 2
    norm = Math.sqrt(norm) || 1
    return Float32Array.from(v, (x) => x / n / norm)
  })
}
