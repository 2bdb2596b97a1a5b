/**
 * A model whose cache, logits and hidden states are float16 at the graph's edges (as fp16 exports have them)
 * through the real server process: the cache round-trips as float16 bits, logits are widened to float32.
 * Float16 rounding may flip near-tied choices, so this checks agreement with the float32 golden, not identity.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { halfToFloat } from '../../../native-runtime/inference/decoder'
import { startServer, type ServerHandle } from '../../../native-runtime/inference/launch'
import { buildTinyLlama } from '../../../native-runtime/inference/tools/make-tiny-llama'

const golden = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/tiny-llama-golden.json'), 'utf8')) as {
  model: { seed: number }
  prompts: Array<{ prompt: string; greedy: { tokens: number[] }; beam: { tokens: number[] } }>
}

let dir: string
let server: ServerHandle

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'phoenix-'))
  const built = buildTinyLlama(path.join(dir, 'tiny-fp16'), { seed: golden.model.seed, io: 'float16' })
  server = await startServer({ modelDir: built.dir, providers: ['cpu'] })
})
after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function complete(body: Record<string, unknown>): Promise<{ choices: Array<{ token_ids: number[] }> }> {
  const res = await fetch(server.url + '/v1/completions', { method: 'POST', headers: { authorization: `Bearer ${server.token}` }, body: JSON.stringify(body) })
  assert.equal(res.status, 200)
  return (await res.json()) as { choices: Array<{ token_ids: number[] }> }
}

describe('float16 cache and logits (real server process)', { timeout: 60_000 }, () => {
  it('widens float16 bits exactly', () => {
    assert.deepEqual(Array.from(halfToFloat(Uint16Array.from([0x3c00, 0xc000, 0x0001, 0x7bff, 0x7c00, 0x0000]))), [1, -2, 2 ** -24, 65504, Infinity, 0])
  })

  it('greedy and beam outputs agree with the float32 golden', async () => {
    const prompts = golden.prompts.map((p) => p.prompt)
    const greedy = await complete({ prompt: prompts, max_tokens: 16, temperature: 0, return_token_ids: true })
    let firstSame = 0
    let prefix = 0
    golden.prompts.forEach((g, i) => {
      const got = greedy.choices[i]!.token_ids
      assert.equal(got.length, 16)
      if (got[0] === g.greedy.tokens[0]) firstSame++
      let k = 0
      while (k < 16 && got[k] === g.greedy.tokens[k]) k++
      prefix += k
    })
    assert.ok(firstSame >= 18, `first tokens equal for ${firstSame}/20 prompts`)
    assert.ok(prefix >= 0.85 * 320, `${prefix}/320 tokens before the first divergence`)
    const beam = await complete({ prompt: prompts, max_tokens: 16, temperature: 0, use_beam_search: true, best_of: 5, n: 1, return_token_ids: true })
    const beamSame = golden.prompts.filter((g, i) => JSON.stringify(beam.choices[i]!.token_ids) === JSON.stringify(g.beam.tokens)).length
    assert.ok(beamSame >= 16, `best beam equal for ${beamSame}/20 prompts`)
  })

  it('embeds with float16 hidden states to unit vectors', async () => {
    const res = await fetch(server.url + '/v1/embeddings', { method: 'POST', headers: { authorization: `Bearer ${server.token}` }, body: JSON.stringify({ input: ['Hello', 'Grüße'] }) })
    const json = (await res.json()) as { data: Array<{ embedding: number[] }> }
    for (const d of json.data) assert.ok(Math.abs(Math.hypot(...d.embedding) - 1) < 1e-5)
  })
})
