/**
 * The inference server as a real child process (launch.ts → server.ts on onnxruntime-node's CPU provider)
 * over the tiny seeded model, against the golden outputs of the independent float64 reference.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startServer, type ServerHandle } from '../../../native-runtime/inference/launch'
import { buildTinyLlama } from '../../../native-runtime/inference/tools/make-tiny-llama'

interface GoldenPrompt {
  prompt: string
  input_ids: number[]
  greedy: { tokens: number[]; text: string; finish_reason: string }
  beam: { tokens: number[]; text: string; all: Array<{ tokens: number[]; score: number }> }
}
const golden = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/tiny-llama-golden.json'), 'utf8')) as {
  model: { seed: number; weights_sha256: string }
  max_new_tokens: number
  num_beams: number
  prompts: GoldenPrompt[]
}

let dir: string
let server: ServerHandle
const logs: string[] = []

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'phoenix-'))
  const built = buildTinyLlama(path.join(dir, 'tiny-llama'), { seed: golden.model.seed })
  assert.equal(built.weightsSha256, golden.model.weights_sha256, 'the builder no longer makes the weights the golden file was computed from')
  server = await startServer({ modelDir: built.dir, providers: ['cpu'], args: ['--max-body-bytes', '3000000'], onLog: (l) => logs.push(l) })
})
after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function call(method: string, route: string, body?: unknown, token: string | null = server.token): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token !== null) headers.authorization = `Bearer ${token}`
  const res = await fetch(server.url + route, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) })
  return { status: res.status, json: await res.json() }
}

const complete = (body: Record<string, unknown>) => call('POST', '/v1/completions', { model: 'tiny-llama', ...body })

describe('inference server (real process, tiny model, cpu)', { timeout: 60_000 }, () => {
  it('lists the model on /v1/models and says which provider runs it', async () => {
    const { status, json } = await call('GET', '/v1/models')
    assert.equal(status, 200)
    assert.equal(json.object, 'list')
    assert.deepEqual(json.data.map((m: { id: string }) => m.id), ['tiny-llama'])
    assert.equal(json.data[0].provider, 'cpu')
    assert.equal(server.provider, 'cpu')
    assert.equal(server.model, 'tiny-llama')
  })

  it('greedy completions of 20 prompts in one batch reproduce the golden token ids exactly', async () => {
    const { status, json } = await complete({ prompt: golden.prompts.map((p) => p.prompt), max_tokens: golden.max_new_tokens, temperature: 0, return_token_ids: true })
    assert.equal(status, 200, JSON.stringify(json))
    assert.equal(json.object, 'text_completion')
    assert.equal(json.choices.length, golden.prompts.length)
    golden.prompts.forEach((g, i) => {
      const c = json.choices[i]
      assert.equal(c.index, i)
      assert.deepEqual(c.prompt_token_ids, g.input_ids, `prompt ${i} tokenized differently`)
      assert.deepEqual(c.token_ids, g.greedy.tokens, `prompt ${i}: ${JSON.stringify(g.prompt)}`)
      assert.equal(c.text, g.greedy.text)
      assert.equal(c.finish_reason, g.greedy.finish_reason)
      assert.equal(c.logprobs, null)
    })
    const promptTokens = golden.prompts.reduce((a, p) => a + p.input_ids.length, 0)
    const completionTokens = golden.prompts.reduce((a, p) => a + p.greedy.tokens.length, 0)
    assert.deepEqual(json.usage, { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens })
  })

  it('gives each prompt alone the same tokens as in the batch', async () => {
    for (const g of golden.prompts.filter((_, i) => i % 2 === 0)) {
      const { json } = await complete({ prompt: g.prompt, max_tokens: golden.max_new_tokens, temperature: 0, return_token_ids: true })
      assert.deepEqual(json.choices[0].token_ids, g.greedy.tokens, JSON.stringify(g.prompt))
    }
  })

  it('beam search (5 beams) of all prompts in one batch reproduces every golden hypothesis in order', async () => {
    const K = golden.num_beams
    const { status, json } = await complete({ prompt: golden.prompts.map((p) => p.prompt), max_tokens: golden.max_new_tokens, temperature: 0, use_beam_search: true, best_of: K, n: K, return_token_ids: true })
    assert.equal(status, 200, JSON.stringify(json))
    assert.equal(json.choices.length, golden.prompts.length * K)
    golden.prompts.forEach((g, i) => {
      for (let j = 0; j < K; j++) {
        const c = json.choices[i * K + j]
        assert.equal(c.index, i * K + j)
        assert.deepEqual(c.token_ids, g.beam.all[j]!.tokens, `prompt ${i} beam ${j}`)
      }
      assert.equal(json.choices[i * K].text, g.beam.text)
    })
  })

  it('beam search of one prompt with n=1 returns the best hypothesis (beam width from best_of)', async () => {
    for (const i of [0, 9, 17]) {
      const g = golden.prompts[i]!
      const { json } = await complete({ prompt: [g.prompt], max_tokens: golden.max_new_tokens, temperature: 0, use_beam_search: true, best_of: 5, n: 1, return_token_ids: true })
      assert.equal(json.choices.length, 1)
      assert.deepEqual(json.choices[0].token_ids, g.beam.tokens, `prompt ${i}`)
    }
  })

  it('small batch and prefill limits (chunks, prefill in row groups) still give the golden tokens', async () => {
    // --max-batch-rows 3: 20 prompts run as 7 chunks sorted by length; a 5 MiB prefill budget holds the
    // logits of one or two rows, so each chunk's prefill runs in groups whose caches are concatenated.
    const small = await startServer({ modelDir: path.join(dir, 'tiny-llama'), providers: ['cpu'], args: ['--max-batch-rows', '3', '--prefill-logits-mib', '5'] })
    try {
      const res = await fetch(small.url + '/v1/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${small.token}` },
        body: JSON.stringify({ prompt: golden.prompts.map((p) => p.prompt), max_tokens: 8, temperature: 0, return_token_ids: true }),
      })
      const json = (await res.json()) as { choices: Array<{ token_ids: number[] }> }
      golden.prompts.forEach((g, i) => assert.deepEqual(json.choices[i]!.token_ids, g.greedy.tokens.slice(0, 8), `prompt ${i}`))
    } finally {
      await small.stop()
    }
  })

  it('stops at a stop string (text cut before it, finish_reason stop) and at max_tokens (length)', async () => {
    const g = golden.prompts[0]!
    const stop = g.greedy.text.slice(8, 12)
    const cut = g.greedy.text.indexOf(stop)
    const { json } = await complete({ prompt: g.prompt, max_tokens: 16, temperature: 0, stop: [stop, 'never-there'] })
    assert.equal(json.choices[0].finish_reason, 'stop')
    assert.equal(json.choices[0].text, g.greedy.text.slice(0, cut))
    const one = await complete({ prompt: g.prompt, max_tokens: 1, temperature: 0, return_token_ids: true })
    assert.deepEqual(one.json.choices[0].token_ids, g.greedy.tokens.slice(0, 1))
    assert.equal(one.json.choices[0].finish_reason, 'length')
  })

  it('samples with temperature and top_p: n choices per prompt, the same seed gives the same text', async () => {
    const body = { prompt: ['Hello', 'Once upon a time'], max_tokens: 8, temperature: 0.8, top_p: 0.9, n: 3, seed: 7, return_token_ids: true }
    const a = await complete(body)
    const b = await complete(body)
    assert.equal(a.status, 200)
    assert.equal(a.json.choices.length, 6)
    assert.deepEqual(a.json.choices.map((c: { index: number }) => c.index), [0, 1, 2, 3, 4, 5])
    assert.deepEqual(a.json.choices, b.json.choices)
    for (const c of a.json.choices) assert.equal(c.token_ids.length, 8)
    const texts = new Set(a.json.choices.map((c: { text: string }) => c.text))
    assert.ok(texts.size > 1, 'sampled choices should differ')
  })

  it('embeds texts: one unit-length vector per input, deterministic, independent of the batch', async () => {
    const inputs = ['Hello', 'Translate this from English to German:\nEnglish: The cat sat.\nGerman:', 'Grüße 😀']
    const { status, json } = await call('POST', '/v1/embeddings', { model: 'tiny-llama', input: inputs })
    assert.equal(status, 200, JSON.stringify(json))
    assert.equal(json.object, 'list')
    assert.equal(json.data.length, 3)
    for (const [i, d] of json.data.entries()) {
      assert.equal(d.index, i)
      assert.equal(d.object, 'embedding')
      assert.equal(d.embedding.length, 64)
      const norm = Math.hypot(...(d.embedding as number[]))
      assert.ok(Math.abs(norm - 1) < 1e-5, `norm ${norm}`)
    }
    assert.ok(json.usage.prompt_tokens > 0)
    const again = await call('POST', '/v1/embeddings', { model: 'tiny-llama', input: inputs })
    assert.deepEqual(again.json.data, json.data)
    const alone = await call('POST', '/v1/embeddings', { input: inputs[1] })
    const cosine = (alone.json.data[0].embedding as number[]).reduce((a, x, k) => a + x * json.data[1].embedding[k], 0)
    assert.ok(cosine > 0.99999, `batched vs alone cosine ${cosine}`)
    const other = (json.data[0].embedding as number[]).reduce((a, x, k) => a + x * json.data[2].embedding[k], 0)
    assert.ok(other < 0.999, 'different texts should not embed to the same vector')
  })

  it('answers bad requests with 4xx JSON errors and keeps serving', async () => {
    const cases: Array<[string, Promise<{ status: number; json: any }>, number, RegExp]> = [
      ['unknown model', complete({ model: 'gpt-4', prompt: 'a' }), 404, /model `gpt-4` does not exist/],
      ['empty prompt', complete({ prompt: '' }), 400, /"prompt" is empty/],
      ['empty prompt in a list', complete({ prompt: ['a', ''] }), 400, /"prompt"\[1\] is empty/],
      ['empty list', complete({ prompt: [] }), 400, /non-empty/],
      ['prompt of numbers', complete({ prompt: [1, 2] }), 400, /must be a string/],
      ['missing prompt', complete({}), 400, /"prompt"/],
      ['1 MB prompt', complete({ prompt: 'x'.repeat(1024 * 1024) }), 413, /at least \d+ tokens: more than the 2048 allowed/],
      ['3000-token prompt', complete({ prompt: 'a '.repeat(3000) }), 413, /has \d+ tokens, more than the 2048 allowed/],
      ['body over --max-body-bytes', complete({ prompt: 'y'.repeat(3_100_000) }), 413, /request body of \d+ bytes is larger than the 3000000 allowed/],
      ['context overflow', complete({ prompt: 'Hello', max_tokens: 4095 }), 400, /more than the model's context of 4096/],
      ['bad max_tokens', complete({ prompt: 'a', max_tokens: -1 }), 400, /"max_tokens" must be an integer/],
      ['bad n', complete({ prompt: 'a', n: 0 }), 400, /"n" must be an integer/],
      ['best_of < n', complete({ prompt: 'a', n: 3, best_of: 2 }), 400, /"best_of" \(2\) must be at least "n" \(3\)/],
      ['bad temperature', complete({ prompt: 'a', temperature: 'hot' }), 400, /"temperature" must be a number/],
      ['bad stop', complete({ prompt: 'a', stop: 5 }), 400, /"stop" must be a string/],
      ['streaming', complete({ prompt: 'a', stream: true }), 400, /"stream" is not supported/],
      ['malformed JSON', call('POST', '/v1/completions', '{"prompt": "a"'), 400, /not valid JSON/],
      ['JSON array body', call('POST', '/v1/completions', '[1]'), 400, /must be a JSON object/],
      ['empty embedding input', call('POST', '/v1/embeddings', { input: [] }), 400, /"input" must be a non-empty/],
      ['unknown embedding model', call('POST', '/v1/embeddings', { model: 'x', input: 'a' }), 404, /does not exist/],
      ['missing token', call('GET', '/v1/models', undefined, null), 401, /bearer token/],
      ['wrong token', call('POST', '/v1/completions', { prompt: 'a' }, 'not-the-token'), 401, /bearer token/],
      ['wrong method', call('GET', '/v1/completions'), 405, /takes POST/],
      ['unknown route', call('GET', '/v1/chat'), 404, /no route/],
    ]
    for (const [what, pending, status, message] of cases) {
      const { status: got, json } = await pending
      assert.equal(got, status, `${what}: ${JSON.stringify(json)}`)
      assert.equal(typeof json.error?.type, 'string', what)
      assert.match(json.error.message, message, what)
    }
    const models = await call('GET', '/v1/models')
    assert.equal(models.status, 200)
    const g = golden.prompts[3]!
    const after = await complete({ prompt: g.prompt, max_tokens: 4, temperature: 0, return_token_ids: true })
    assert.deepEqual(after.json.choices[0].token_ids, g.greedy.tokens.slice(0, 4))
    const health = await call('GET', '/health', undefined, null)
    assert.equal(health.status, 200)
  })

  it('logs on stderr which provider is in use', () => {
    assert.ok(logs.some((l) => /using execution provider cpu/.test(l)), logs.join('\n'))
  })

  it('shuts down on SIGTERM with exit code 0 (stop()), after finishing the request in progress', async () => {
    const pending = complete({ prompt: golden.prompts.map((p) => p.prompt), max_tokens: 16, temperature: 0, use_beam_search: true, best_of: 5, return_token_ids: true })
    await new Promise((r) => setTimeout(r, 300))
    const exit = await server.stop()
    const { status, json } = await pending
    assert.equal(status, 200, 'the request in progress still gets its answer')
    assert.deepEqual(json.choices[0].token_ids, golden.prompts[0]!.beam.tokens)
    assert.equal(exit.code, 0)
    assert.equal(exit.expected, true)
    assert.ok(exit.stderrTail.some((l) => /SIGTERM, shutting down/.test(l)))
    await assert.rejects(fetch(server.url + '/health'))
  })
})
