/**
 * ONNX Runtime sessions for a model folder in the optimum layout, with our own execution-provider fallback:
 * ORT does not fall back by itself (asking for ['cuda', 'cpu'] fails outright when the CUDA provider is not
 * installed), so each provider is tried alone, in order, and the first session that opens is used.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'

/** Platform order: GPUs first, cpu last. */
export function defaultProviders(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'win32') return ['cuda', 'webgpu', 'dml', 'cpu']
  if (platform === 'darwin') return ['coreml', 'webgpu', 'cpu']
  return ['cuda', 'webgpu', 'cpu']
}

export interface OpenedSession<S> {
  session: S
  provider: string
  /** Why each provider before the one in use failed. */
  failures: Array<{ provider: string; error: string }>
}

export type SessionFactory<S> = (provider: string) => Promise<S>

/** Tries `providers` in order; logs each failure and the provider in use. Throws when none opens. */
export async function openWithFallback<S>(providers: readonly string[], factory: SessionFactory<S>, log: (line: string) => void): Promise<OpenedSession<S>> {
  if (providers.length === 0) throw new Error('no execution providers to try')
  const failures: Array<{ provider: string; error: string }> = []
  for (const provider of providers) {
    try {
      const session = await factory(provider)
      const note = failures.length ? ` (after ${failures.map((f) => f.provider).join(', ')} failed)` : ''
      log(`inference: using execution provider ${provider}${note}`)
      return { session, provider, failures }
    } catch (e) {
      const error = firstLine(e)
      failures.push({ provider, error })
      log(`inference: execution provider ${provider} failed: ${error}; trying the next one`)
    }
  }
  throw new Error(`no execution provider could open the model: ${failures.map((f) => `${f.provider}: ${f.error}`).join('; ')}`)
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e)
  const line = text.split('\n').find((l) => l.trim()) ?? text
  return line.length > 300 ? line.slice(0, 300) + '…' : line
}

export interface ModelConfig {
  vocabSize: number
  hiddenSize: number
  numLayers: number
  numHeads: number
  numKvHeads: number
  headDim: number
  maxPositions: number
  eosIds: number[]
  bosId: number | undefined
}

export function readModelConfig(modelDir: string): ModelConfig {
  const file = join(modelDir, 'config.json')
  if (!existsSync(file)) throw new Error(`${file}: no config.json in the model folder`)
  const c = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  const num = (key: string, fallback?: number): number => {
    const v = c[key] ?? fallback
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${file}: "${key}" must be a number`)
    return v
  }
  const heads = num('num_attention_heads')
  const hidden = num('hidden_size')
  let eos: number[] = []
  const genFile = join(modelDir, 'generation_config.json')
  const gen = existsSync(genFile) ? (JSON.parse(readFileSync(genFile, 'utf8')) as Record<string, unknown>) : {}
  for (const v of [gen.eos_token_id, c.eos_token_id]) {
    if (typeof v === 'number') eos = [v]
    else if (Array.isArray(v)) eos = v.filter((x): x is number => typeof x === 'number')
    if (eos.length) break
  }
  return {
    vocabSize: num('vocab_size'),
    hiddenSize: hidden,
    numLayers: num('num_hidden_layers'),
    numHeads: heads,
    numKvHeads: num('num_key_value_heads', heads),
    headDim: num('head_dim', hidden / heads),
    maxPositions: num('max_position_embeddings', 4096),
    eosIds: eos,
    bosId: typeof c.bos_token_id === 'number' ? c.bos_token_id : undefined,
  }
}

/** The decoder graph's file: onnx/model.onnx (optimum's layout) or model.onnx at the top. */
export function modelFile(modelDir: string): string {
  for (const f of [join(modelDir, 'onnx', 'model.onnx'), join(modelDir, 'model.onnx'), join(modelDir, 'decoder_model_merged.onnx')]) {
    if (existsSync(f)) return f
  }
  throw new Error(`${modelDir}: no onnx/model.onnx (export the model with scripts/export-alma.sh)`)
}

export async function openModelSession(
  modelDir: string,
  providers: readonly string[],
  log: (line: string) => void,
  threads?: number,
  o: { kvOnDevice?: boolean } = {},
): Promise<OpenedSession<ort.InferenceSession>> {
  const file = modelFile(modelDir)
  // On WebGPU the KV cache stays in GPU memory between steps (decoder.ts Kv.device); the CPU provider's
  // outputs are host memory anyway.
  const onDevice = (provider: string) => provider === 'webgpu' && o.kvOnDevice !== false
  const presentNames = () => {
    const layers = readModelConfig(modelDir).numLayers
    return Array.from({ length: layers }, (_, l) => [`present.${l}.key`, `present.${l}.value`]).flat()
  }
  return openWithFallback(
    providers,
    (provider) =>
      ort.InferenceSession.create(file, {
        executionProviders: [provider as 'cpu'],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
        ...(threads ? { intraOpNumThreads: threads } : {}),
        ...(onDevice(provider) ? { preferredOutputLocation: Object.fromEntries(presentNames().map((n) => [n, 'gpu-buffer' as const])) } : {}),
      }),
    log,
  )
}
