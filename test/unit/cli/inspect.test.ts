import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { main } from '../../../src/cli/phoenix'

const samples = join(import.meta.dirname, '../../../samples')
const broken = join(samples, 'broken')

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') })
  return { code, out, err }
}

const json = async (file: string) => {
  const r = await run('inspect', file, '--json')
  return { code: r.code, report: JSON.parse(r.out), err: r.err }
}

describe('phoenix inspect', () => {
  it('names every sample kind and counts rows', async () => {
    const cases: [string, string, number][] = [
      ['ultrachat/en.jsonl', 'ultrachat', 32],
      ['ultrachat/de.parquet', 'ultrachat', 32],
      ['ultrachat/de-with-original.jsonl', 'ultrachat', 10],
      ['ultrafeedback-binarized/en.jsonl', 'ultrafeedback-binarized', 15],
      ['ultrafeedback-raw/en.jsonl', 'ultrafeedback-raw', 8],
    ]
    for (const [file, kind, rows] of cases) {
      const { code, report } = await json(join(samples, file))
      assert.equal(code, 0, file)
      assert.equal(report.kind, kind, file)
      assert.equal(report.rows, rows, file)
      assert.equal(report.format, file.endsWith('.parquet') ? 'parquet' : 'jsonl')
      assert.deepEqual(report.errors, [], file)
      assert.ok(report.text.all.count > rows && report.text.all.max > 0)
    }
  })

  it('matches the documented outcome of every broken sample', async () => {
    const expected = JSON.parse(readFileSync(join(broken, 'expected.json'), 'utf8')) as { file: string; rows?: number; validRows?: number; errors?: { line: number }[] }[]
    for (const e of expected) {
      const file = join(broken, e.file)
      if (e.file === 'truncated.parquet') {
        const r = await run('inspect', file, '--json')
        assert.equal(r.code, 2)
        assert.match(r.err, /truncated\.parquet: not a readable parquet file/)
        continue
      }
      const { code, report } = await json(file)
      assert.equal(report.rows, e.rows, e.file)
      if (e.validRows !== undefined) {
        assert.equal(code, 0, e.file)
        assert.equal(report.validRows, e.validRows, e.file)
        assert.deepEqual(report.errors.map((x: { line: number }) => x.line), e.errors!.map((x) => x.line), e.file)
      } else {
        // Nothing usable: exit 2 with an error that says why.
        assert.equal(code, 2, e.file)
        assert.ok(report.errors.length > 0)
      }
    }
    const unknown = (await json(join(broken, 'unknown-schema.jsonl'))).report
    assert.match(unknown.errors.map((x: { message: string }) => x.message).join('\n'), /found fields \[text, label\]/)
    assert.match((await json(join(broken, 'wrong-types.jsonl'))).report.errors[0].message, /prompt_id" should be a string, found a number/)
  })

  it('prints a readable report and exits 2 for a missing file or bad usage', async () => {
    const ok = await run('inspect', join(broken, 'malformed-line.jsonl'))
    assert.equal(ok.code, 0)
    assert.match(ok.out, /rows: +5 \(4 valid, 1 with errors\)/)
    assert.match(ok.out, /line 3: invalid JSON/)
    const missing = await run('inspect', join(broken, 'nope.jsonl'))
    assert.equal(missing.code, 2)
    assert.match(missing.err, /nope\.jsonl: file not found/)
    assert.equal((await run('inspect')).code, 2)
    assert.equal((await run('inspect', 'a', '--bogus')).code, 2)
  })

  it('runs as the installed `phoenix` binary', () => {
    const bin = join(import.meta.dirname, '../../../bin/phoenix.js')
    const out = execFileSync(process.execPath, [bin, 'inspect', join(samples, 'ultrachat/en.jsonl'), '--json'], { encoding: 'utf8' })
    assert.equal(JSON.parse(out).rows, 32)
    const bad = spawnSync(process.execPath, [bin, 'inspect', join(broken, 'truncated.parquet')], { encoding: 'utf8' })
    assert.equal(bad.status, 2)
  })
})
