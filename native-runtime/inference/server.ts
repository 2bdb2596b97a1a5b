/**
 * The embedded OpenAI-compatible inference server: a separate Node process hosting onnxruntime-node.
 *
 *   node --import tsx native-runtime/inference/server.ts --model DIR [--port 0] [--providers cuda,webgpu,cpu]
 *
 * Binds 127.0.0.1 only. Each start makes a random bearer token and prints one JSON line to stdout,
 * `{"event":"listening","port":…,"token":…,"provider":…,"model":…}`, for the parent to read; logs go to
 * stderr. Serves GET /v1/models, POST /v1/completions (greedy, sampling, beam search; batched), POST
 * /v1/embeddings (mean-pooled, L2-normalized last hidden states) and an unauthenticated GET /health.
 * Bad requests get {error: {message, type}} with a 4xx status and the server keeps serving.
 * SIGTERM / SIGINT: stop accepting, finish the request in progress, exit 0.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename, resolve } from 'node:path'
import { OnnxDecoder, type Decoder } from './decoder'
import { beamSearchBatch, decodeBatch, embed, type Generation, type Picker } from './generate'
import { defaultProviders, openModelSession, readModelConfig } from './session'
import { TextTokenizer } from './tokenizer'
import { mulberry32 } from './random'

export interface ServerOptions {
  modelDir: string
  port?: number
  providers?: string[]
  /** Longest prompt in tokens (default 2048, at most the model's max_position_embeddings). */
  maxPromptTokens?: number
  /** Largest request body in bytes (default 8 MiB). */
  maxBodyBytes?: number
  /** Most rows (prompts × n, or prompts × beams) decoded in one batch; larger requests run in chunks. */
  maxBatchRows?: number
  /** Most prompts (or embedding inputs) in one request (default 4096). */
  maxPrompts?: number
  servedModelName?: string
  threads?: number
  /** Largest logits tensor of one prefill call in MiB (default 256): bounds memory for long prompts × big batches. */
  prefillLogitsMiB?: number
  log?: (line: string) => void
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = status === 401 ? 'authentication_error' : status === 404 ? 'not_found_error' : status === 413 ? 'request_too_large' : 'invalid_request_error',
  ) {
    super(message)
  }
}

export interface RunningInferenceServer {
  server: Server
  port: number
  token: string
  provider: string
  model: string
  close(): Promise<void>
}

export async function startInferenceServer(o: ServerOptions): Promise<RunningInferenceServer> {
  const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'))
  const modelDir = resolve(o.modelDir)
  const config = readModelConfig(modelDir)
  const tokenizer = TextTokenizer.load(modelDir)
  const opened = await openModelSession(modelDir, o.providers ?? defaultProviders(), log, o.threads)
  const decoder: Decoder = new OnnxDecoder(opened.session, config)
  const eosIds = config.eosIds.length ? config.eosIds : tokenizer.eosId !== undefined ? [tokenizer.eosId] : []
  const limits = {
    maxPromptTokens: Math.min(o.maxPromptTokens ?? 2048, config.maxPositions),
    maxBodyBytes: o.maxBodyBytes ?? 8 * 1024 * 1024,
    maxBatchRows: o.maxBatchRows ?? 64,
    maxPrompts: o.maxPrompts ?? 4096,
    prefillLogitsBytes: (o.prefillLogitsMiB ?? 256) * 1024 * 1024,
  }
  const model = o.servedModelName ?? basename(modelDir)
  // A supervisor restarting a crashed server hands it the previous token, so clients keep working.
  const token = process.env.PHOENIX_INFERENCE_TOKEN || randomBytes(24).toString('base64url')
  const created = Math.floor(Date.now() / 1000)

  // One generation at a time on the one session; requests queue here, errors answer at once.
  let queue: Promise<unknown> = Promise.resolve()
  let inFlight = 0
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    inFlight++
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined).finally(() => inFlight--)
    return run
  }

  const tokenize = (prompt: string, what: string): number[] => {
    // No token is longer than maxTokenChars characters: reject a huge text before tokenizing it.
    const atLeast = Math.ceil(prompt.length / tokenizer.maxTokenChars)
    if (atLeast > limits.maxPromptTokens) {
      throw new HttpError(413, `${what} has ${prompt.length} characters, at least ${atLeast} tokens: more than the ${limits.maxPromptTokens} allowed (--max-prompt-tokens)`)
    }
    const ids = tokenizer.encode(prompt)
    if (ids.length > limits.maxPromptTokens) {
      throw new HttpError(413, `${what} has ${ids.length} tokens, more than the ${limits.maxPromptTokens} allowed (--max-prompt-tokens)`)
    }
    return ids
  }

  const checkModel = (body: Record<string, unknown>): void => {
    if (body.model !== undefined && body.model !== null && body.model !== model) {
      throw new HttpError(404, `The model \`${String(body.model)}\` does not exist; this server serves \`${model}\``)
    }
  }

  const texts = (value: unknown, field: string): string[] => {
    const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined
    if (!list || list.length === 0) throw new HttpError(400, `"${field}" must be a non-empty string or a non-empty array of strings`)
    if (list.length > limits.maxPrompts) throw new HttpError(413, `"${field}" has ${list.length} entries, more than the ${limits.maxPrompts} allowed in one request`)
    list.forEach((p, i) => {
      if (typeof p !== 'string') throw new HttpError(400, `"${field}"[${i}] must be a string, got ${p === null ? 'null' : typeof p}`)
      if (p.length === 0) throw new HttpError(400, `"${field}"${list.length > 1 ? `[${i}]` : ''} is empty`)
    })
    return list as string[]
  }

  async function completions(body: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    checkModel(body)
    const prompts = texts(body.prompt, 'prompt')
    const maxTokens = int(body.max_tokens, 'max_tokens', 16, 1, config.maxPositions)
    const n = int(body.n, 'n', 1, 1, 64)
    const beam = bool(body.use_beam_search, 'use_beam_search', false)
    const bestOf = int(body.best_of, 'best_of', n, 1, 64)
    if (bestOf < n) throw new HttpError(400, `"best_of" (${bestOf}) must be at least "n" (${n})`)
    const temperature = num(body.temperature, 'temperature', 1, 0, 100)
    const topP = num(body.top_p, 'top_p', 1, Number.MIN_VALUE, 1)
    const lengthPenalty = num(body.length_penalty, 'length_penalty', 1, -100, 100)
    const seed = body.seed === undefined || body.seed === null ? undefined : int(body.seed, 'seed', 0, 0, 2 ** 32 - 1)
    const stop = body.stop === undefined || body.stop === null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop
    if (!Array.isArray(stop) || stop.length > 16 || stop.some((s) => typeof s !== 'string')) throw new HttpError(400, '"stop" must be a string or an array of at most 16 strings')
    if (body.logprobs !== undefined && body.logprobs !== null && body.logprobs !== false) throw new HttpError(400, '"logprobs" is not supported by this server')
    if (body.stream === true) throw new HttpError(400, '"stream" is not supported by this server')
    const returnIds = body.return_token_ids === true
    const ids = prompts.map((p, i) => tokenize(p, prompts.length > 1 ? `prompt[${i}]` : 'prompt'))
    ids.forEach((p, i) => {
      if (p.length + maxTokens > config.maxPositions) {
        throw new HttpError(400, `prompt${prompts.length > 1 ? `[${i}]` : ''} (${p.length} tokens) plus max_tokens (${maxTokens}) is more than the model's context of ${config.maxPositions} tokens`)
      }
    })
    const started = Date.now()
    const common = { maxNew: maxTokens, eosIds, padId: tokenizer.padId, stop: stop as string[], decode: (t: number[]) => tokenizer.decode(t), signal, prefillLogitsBytes: limits.prefillLogitsBytes }
    const perPrompt: Generation[][] = await exclusive(async () => {
      if (beam) {
        const width = Math.max(bestOf, n)
        return chunked(ids, Math.max(1, Math.floor(limits.maxBatchRows / width)), (part) => beamSearchBatch(decoder, part, { ...common, width, lengthPenalty }))
      }
      const greedy = temperature === 0
      const picker: Picker = greedy ? { kind: 'greedy' } : { kind: 'sample', temperature, topP, random: mulberry32(seed ?? randomBytes(4).readUInt32LE()) }
      const copies = greedy ? 1 : n
      const rows = ids.flatMap((p) => Array.from({ length: copies }, () => p))
      const gens = await chunked(rows, limits.maxBatchRows, (part) => decodeBatch(decoder, part, picker, common))
      return ids.map((_, i) => Array.from({ length: n }, (_, j) => gens[i * copies + (greedy ? 0 : j)]!))
    })
    let completionTokens = 0
    const choices = perPrompt.flatMap((gens, i) =>
      gens.slice(0, n).map((g, j) => {
        completionTokens += g.tokens.length
        return {
          index: i * n + j,
          text: g.text ?? tokenizer.decode(g.tokens),
          logprobs: null,
          finish_reason: g.finish,
          ...(returnIds ? { token_ids: g.tokens, prompt_token_ids: ids[i] } : {}),
        }
      }),
    )
    const promptTokens = ids.reduce((a, p) => a + p.length, 0)
    const ms = Date.now() - started
    log(`inference: completions ${prompts.length} prompt(s) ${beam ? `beam ${Math.max(bestOf, n)}` : temperature === 0 ? 'greedy' : 'sampled'} n=${n}: ${completionTokens} tokens in ${ms} ms`)
    return {
      id: `cmpl-${randomBytes(12).toString('hex')}`,
      object: 'text_completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    }
  }

  async function embeddings(body: Record<string, unknown>): Promise<unknown> {
    checkModel(body)
    const inputs = texts(body.input, 'input')
    if (body.encoding_format !== undefined && body.encoding_format !== 'float') throw new HttpError(400, '"encoding_format" must be "float"')
    if (!decoder.hasHidden) throw new HttpError(501, `model ${model} has no last_hidden_state output, so it cannot serve embeddings (re-export it with scripts/export-alma.sh)`, 'not_implemented')
    const ids = inputs.map((p, i) => tokenize(p, inputs.length > 1 ? `input[${i}]` : 'input'))
    const vectors = await exclusive(() => chunked(ids, limits.maxBatchRows, (part) => embed(decoder, part, tokenizer.padId, limits.prefillLogitsBytes)))
    const tokens = ids.reduce((a, p) => a + p.length, 0)
    return {
      object: 'list',
      model,
      data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: Array.from(v) })),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    }
  }

  const models = () => ({
    object: 'list',
    data: [{ id: model, object: 'model', created, owned_by: 'phoenix', root: modelDir, max_model_len: config.maxPositions, provider: opened.provider }],
  })

  const tokenBytes = Buffer.from(`Bearer ${token}`)
  const authorized = (req: IncomingMessage): boolean => {
    const given = Buffer.from(req.headers.authorization ?? '')
    return given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const path = (req.url ?? '/').split('?')[0]!
    if (path === '/health' && req.method === 'GET') return { status: 'ok' }
    if (!authorized(req)) throw new HttpError(401, 'missing or wrong bearer token (Authorization: Bearer <token from the listening line>)')
    const routes: Record<string, { method: string; run: (body: Record<string, unknown>) => Promise<unknown> }> = {
      '/v1/models': { method: 'GET', run: async () => models() },
      '/v1/completions': { method: 'POST', run: (b) => completions(b, abortOnClose(res)) },
      '/v1/embeddings': { method: 'POST', run: (b) => embeddings(b) },
    }
    const route = routes[path]
    if (!route) throw new HttpError(404, `no route ${req.method} ${path}`)
    if (req.method !== route.method) throw new HttpError(405, `${path} takes ${route.method}, not ${req.method}`)
    const body = route.method === 'POST' ? await readJson(req, limits.maxBodyBytes) : {}
    return route.run(body)
  }

  const server = createServer((req, res) => {
    handle(req, res).then(
      (result) => send(res, 200, result),
      (e: unknown) => {
        if (e instanceof HttpError) return send(res, e.status, { error: { message: e.message, type: e.type, code: e.status } })
        if (res.destroyed) return
        log(`inference: request failed: ${(e as Error).stack ?? e}`)
        send(res, 500, { error: { message: `internal error: ${(e as Error).message ?? e}`, type: 'server_error', code: 500 } })
      },
    )
  })
  server.keepAliveTimeout = 5000
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(o.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail)
      ok()
    })
  })
  const port = (server.address() as AddressInfo).port

  let closing: Promise<void> | undefined
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((ok) => server.close(() => ok()))
      server.closeIdleConnections()
      const deadline = Date.now() + 30_000
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      server.closeAllConnections()
      await closed
      await opened.session.release()
    })())

  return { server, port, token, provider: opened.provider, model, close }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** Aborts when the client goes away before the response is written. */
function abortOnClose(res: ServerResponse): AbortSignal {
  const ctrl = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) ctrl.abort(new Error('client closed the connection'))
  })
  return ctrl.signal
}

function readJson(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) tooLarge = true
      else chunks.push(c)
    })
    req.on('error', fail)
    req.on('end', () => {
      if (tooLarge) return fail(new HttpError(413, `request body of ${size} bytes is larger than the ${limit} allowed`))
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch (e) {
        return fail(new HttpError(400, `request body is not valid JSON: ${(e as Error).message}`))
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return fail(new HttpError(400, 'request body must be a JSON object'))
      ok(body as Record<string, unknown>)
    })
  })
}

async function chunked<T, R>(items: readonly T[], size: number, run: (part: T[]) => Promise<R[]>): Promise<R[]> {
  // Similar lengths batch together (less padding); results return in request order.
  const order = items.map((_, i) => i)
  const len = (x: T): number => (Array.isArray(x) ? x.length : 0)
  order.sort((a, b) => len(items[a]!) - len(items[b]!))
  const out = new Array<R>(items.length)
  for (let start = 0; start < order.length; start += size) {
    const idx = order.slice(start, start + size)
    const results = await run(idx.map((i) => items[i]!))
    idx.forEach((i, k) => (out[i] = results[k]!))
  }
  return out
}

function int(v: unknown, field: string, fallback: number, min: number, max: number): number {
  if (v === undefined || v === null) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new HttpError(400, `"${field}" must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`)
  return v
}

function num(v: unknown, field: string, fallback: number, min: number, max: number): number {
  if (v === undefined || v === null) return fallback
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new HttpError(400, `"${field}" must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`)
  return v
}

function bool(v: unknown, field: string, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback
  if (typeof v !== 'boolean') throw new HttpError(400, `"${field}" must be true or false, got ${JSON.stringify(v)}`)
  return v
}

export const SERVER_USAGE = `usage: server.ts --model DIR [--port P] [--providers cuda,webgpu,cpu] [--max-prompt-tokens N]
       [--max-body-bytes N] [--max-batch-rows N] [--served-model-name NAME] [--threads N] [--prefill-logits-mib M] [--exit-with-parent]`

/** Parses server arguments; a string is the error to print. */
export function parseServerArgs(argv: string[]): (ServerOptions & { exitWithParent: boolean }) | string {
  const o: ServerOptions & { exitWithParent: boolean } = { modelDir: '', exitWithParent: false }
  const intArg = (v: string | undefined, name: string, min: number): number | string => {
    const x = Number(v)
    return v !== undefined && Number.isInteger(x) && x >= min ? x : `${name} needs an integer ≥ ${min}, got ${v ?? 'nothing'}`
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const v = argv[i + 1]
    const take = (): string | undefined => {
      i++
      return v
    }
    let r: number | string | undefined
    switch (a) {
      case '--model':
        o.modelDir = take() ?? ''
        break
      case '--port':
        if (typeof (r = intArg(take(), a, 0)) === 'string') return r
        if (r > 65535) return `--port must be at most 65535, got ${r}`
        o.port = r
        break
      case '--providers': {
        const list = (take() ?? '').split(',').map((s) => s.trim()).filter(Boolean)
        if (list.length === 0) return '--providers needs a comma-separated list, e.g. cuda,webgpu,cpu'
        o.providers = list
        break
      }
      case '--max-prompt-tokens':
        if (typeof (r = intArg(take(), a, 1)) === 'string') return r
        o.maxPromptTokens = r
        break
      case '--max-body-bytes':
        if (typeof (r = intArg(take(), a, 1)) === 'string') return r
        o.maxBodyBytes = r
        break
      case '--max-batch-rows':
        if (typeof (r = intArg(take(), a, 1)) === 'string') return r
        o.maxBatchRows = r
        break
      case '--prefill-logits-mib': {
        const x = Number(take())
        if (!(x > 0)) return '--prefill-logits-mib needs a positive number'
        o.prefillLogitsMiB = x
        break
      }
      case '--threads':
        if (typeof (r = intArg(take(), a, 1)) === 'string') return r
        o.threads = r
        break
      case '--served-model-name':
        o.servedModelName = take()
        if (!o.servedModelName) return '--served-model-name needs a name'
        break
      case '--exit-with-parent':
        o.exitWithParent = true
        break
      default:
        return `unknown argument ${a}`
    }
  }
  if (!o.modelDir) return '--model DIR is required'
  return o
}

async function main(): Promise<void> {
  const parsed = parseServerArgs(process.argv.slice(2))
  if (typeof parsed === 'string') {
    process.stderr.write(`inference: ${parsed}\n${SERVER_USAGE}\n`)
    process.exit(2)
  }
  let running: RunningInferenceServer
  try {
    running = await startInferenceServer(parsed)
  } catch (e) {
    process.stderr.write(`inference: cannot start: ${(e as Error).message ?? e}\n`)
    process.exit(1)
  }
  const { port, token, provider, model } = running
  process.stdout.write(JSON.stringify({ event: 'listening', port, token, provider, model, pid: process.pid }) + '\n')
  process.stderr.write(`inference: listening on http://127.0.0.1:${port} (model ${model}, provider ${provider})\n`)
  const shutdown = (why: string): void => {
    process.stderr.write(`inference: ${why}, shutting down\n`)
    running.close().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`inference: shutdown failed: ${(e as Error).message}\n`)
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
  if (parsed.exitWithParent) {
    // The parent holds our stdin: when it dies, the pipe closes and we go too, never orphaned.
    process.stdin.on('end', () => shutdown('parent gone'))
    process.stdin.on('error', () => shutdown('parent gone'))
    process.stdin.resume()
  }
}

if (process.argv[1] && /server(\.ts|\.js|\.cjs|\.mjs)?$/.test(process.argv[1]) && /inference/.test(process.argv[1])) {
  void main()
}
