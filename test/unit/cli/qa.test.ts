import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { main } from '../../../src/cli/phoenix'

const samples = join(import.meta.dirname, '../../../samples')

async function run(...argv: string[]): Promise<{ code: number; lines: Record<string, unknown>[]; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') })
  const lines = argv.includes('--json') ? out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []
  return { code, lines, out, err }
}

interface Drift {
  file: string
  prompt_id: string
  address: string
  kind: string
}

describe('phoenix qa', () => {
  it('flags every deliberate drift of the samples at its record and address (mode a)', async () => {
    const drift = (JSON.parse(readFileSync(join(samples, 'drift.json'), 'utf8')) as Drift[]).filter((d) => d.file.startsWith('ultrachat/de.jsonl'))
    assert.ok(drift.length >= 6)
    const r = await run('qa', join(samples, 'ultrachat/en.jsonl'), join(samples, 'ultrachat/de.jsonl'), '--json')
    assert.equal(r.code, 0)
    for (const d of drift) {
      const hit = r.lines.find((f) => f.prompt_id === d.prompt_id && f.address === d.address)
      assert.ok(hit, `drift "${d.kind}" at ${d.prompt_id.slice(0, 8)} ${d.address} was not flagged`)
      assert.ok(typeof hit.line === 'number' && typeof hit.message === 'string' && hit.message.length > 10)
    }
    assert.match(r.err, /32 records, \d+ flags: /)
  })

  it('exits 1 when --fail-on is met and 0 when it is not', async () => {
    const src = join(samples, 'ultrachat/en.jsonl')
    const tgt = join(samples, 'ultrachat/de.jsonl')
    assert.equal((await run('qa', src, tgt, '--fail-on', 'error')).code, 1)
    // The source against itself: nothing is translated, so "identical" flags are warnings or errors, but no code or number drift.
    const same = await run('qa', src, src, '--json')
    assert.ok(same.lines.every((f) => f.check !== 'code' && f.check !== 'numbers'))
  })

  it('reads one shard with original fields (mode b)', async () => {
    const r = await run('qa', join(samples, 'ultrachat/de-with-original.jsonl'), '--json')
    assert.equal(r.code, 0)
    assert.match(r.err, /10 records/)
  })

  it('exits 2 on unreadable input or a shard without originals, naming the file', async () => {
    const bad = await run('qa', join(samples, 'broken/truncated.parquet'), '--json')
    assert.equal(bad.code, 2)
    assert.match(bad.err, /truncated\.parquet/)
    const noOriginal = await run('qa', join(samples, 'ultrachat/de.jsonl'))
    assert.equal(noOriginal.code, 2)
    assert.match(noOriginal.err, /no "original" field/)
    assert.equal((await run('qa', 'a', '--fail-on', 'sometimes')).code, 2)
  })
})
