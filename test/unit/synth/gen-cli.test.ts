import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { generateShardFile, parseGenArgs } from '../../../src/cli/gen'
import { openShard } from '../../../src/core/records/open'
import { pairShards } from '../../../src/core/records/pairing'
import { tempDir } from './helpers'

const t = tempDir()
after(t.cleanup)

describe('gen', () => {
  it('stops a JSONL shard at about the requested size, on a whole row', async () => {
    const path = t.path('sized.jsonl')
    const r = await generateShardFile({ kind: 'ultrachat', bytes: 300_000, out: path })
    assert.equal(r.format, 'jsonl')
    assert.equal(statSync(path).size, r.bytes)
    assert.ok(r.bytes >= 300_000 && r.bytes < 300_000 + 200_000, String(r.bytes))
    const lines = readFileSync(path, 'utf8').split('\n')
    assert.equal(lines.pop(), '')
    assert.equal(lines.length, r.rows)
    lines.forEach((l) => JSON.parse(l))
  })

  it('writes English and German shards that pair completely, in either format', async () => {
    const en = await generateShardFile({ kind: 'ultrafeedback-binarized', rows: 40, seed: 8, out: t.path('en.parquet'), rowGroupSize: 16 })
    const de = await generateShardFile({ kind: 'ultrafeedback-binarized', rows: 40, seed: 8, lang: 'de', out: t.path('de.jsonl') })
    assert.equal(en.format, 'parquet')
    assert.equal(de.format, 'jsonl')
    const p = await pairShards(await openShard(en.path), await openShard(de.path))
    assert.equal(p.pairs.length, 40)
    assert.equal(p.missingInSource.length + p.missingInTarget.length, 0)
  })

  it('explains bad arguments', () => {
    const bad: [string[], RegExp][] = [
      [[], /--kind is required/],
      [['--kind', 'ultrachat'], /--rows N or --bytes B/],
      [['--kind', 'sharegpt', '--rows', '3'], /unknown --kind "sharegpt"/],
      [['--kind', 'ultrachat', '--rows', '-3'], /must be a whole number|at least 0/],
      [['--kind', 'ultrachat', '--rows', 'ten'], /--rows must be a whole number/],
      [['--kind', 'ultrachat', '--rows', '3', '--format', 'csv'], /unknown --format "csv"/],
      [['--kind', 'ultrachat', '--rows', '3', '--lang', 'fr'], /unknown --lang "fr"/],
      [['--kind', 'ultrachat', '--rows', '3', '--format', 'parquet'], /parquet output needs --out/],
      [['--kind', 'ultrachat', '--bytes', '1m', '--out', 'x.parquet'], /--bytes applies to jsonl/],
      [['--kind', 'ultrachat', '--rows', '3', '--colour'], /unknown option --colour/],
      [['--kind', 'ultrachat', '--rows'], /--rows needs a value/],
    ]
    for (const [argv, re] of bad) assert.throws(() => parseGenArgs(argv), re, argv.join(' '))
    assert.deepEqual(parseGenArgs(['--kind=ultrachat', '--bytes', '2m', '--seed', '5', '--lang', 'de']), {
      kind: 'ultrachat',
      rows: undefined,
      bytes: 2 * 1024 * 1024,
      format: 'jsonl',
      lang: 'de',
      seed: 5,
      out: undefined,
      rowGroupSize: undefined,
    })
    assert.equal(parseGenArgs(['--kind', 'ultrachat', '--rows', '2', '--out', 'a.parquet']).format, 'parquet')
  })
})
