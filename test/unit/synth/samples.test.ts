import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { textAt, textUnits } from '../../../src/core/records/address'
import { openShard } from '../../../src/core/records/open'
import { pairShards } from '../../../src/core/records/pairing'
import { detectKind, rowPromptId, validateRow } from '../../../src/core/records/schema'
import { ShardOpenError, type Row, type SchemaKind } from '../../../src/core/records/types'
import { FENCE, withoutNulls } from './helpers'

const samples = join(dirname(fileURLToPath(import.meta.url)), '../../../samples')
const KINDS: SchemaKind[] = ['ultrachat', 'ultrafeedback-binarized', 'ultrafeedback-raw']

function jsonl(rel: string): Row[] {
  return readFileSync(join(samples, rel), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Row)
}
const byId = (rows: Row[], kind: SchemaKind) => new Map(rows.map((r) => [rowPromptId(r, kind)!, r]))

interface Drift {
  file: string
  prompt_id: string
  address: string
  kind: string
  note: string
}
const drift = JSON.parse(readFileSync(join(samples, 'drift.json'), 'utf8')) as Drift[]

describe('sample workspace', () => {
  it('has only valid rows, of the kind its folder names, in every shard', () => {
    for (const kind of KINDS) {
      const files = readdirSync(join(samples, kind)).filter((f) => f.endsWith('.jsonl'))
      assert.ok(files.includes('en.jsonl') && files.includes('de.jsonl'), kind)
      for (const f of files)
        for (const [i, row] of jsonl(`${kind}/${f}`).entries()) {
          assert.equal(detectKind(row), kind, `${kind}/${f} line ${i + 1}`)
          assert.deepEqual(validateRow(row, kind), [], `${kind}/${f} line ${i + 1}`)
        }
    }
    assert.ok(jsonl('ultrachat/en.jsonl').length >= 30)
    assert.ok(jsonl('ultrafeedback-binarized/en.jsonl').length >= 15)
    const raw = jsonl('ultrafeedback-raw/en.jsonl')
    assert.ok(raw.length >= 8 && raw.every((r) => (r.completions as unknown[]).length === 4))
  })

  it('pairs every English row with its German one, address for address', async () => {
    for (const kind of KINDS) {
      const p = await pairShards(await openShard(join(samples, kind, 'en.jsonl')), await openShard(join(samples, kind, 'de.jsonl')))
      assert.equal(p.kind, kind)
      assert.equal(p.missingInSource.length + p.missingInTarget.length + p.duplicates.length, 0, kind)
      const en = byId(jsonl(`${kind}/en.jsonl`), kind)
      for (const de of jsonl(`${kind}/de.jsonl`)) {
        const e = en.get(rowPromptId(de, kind)!)!
        assert.deepEqual(textUnits(de, kind).map((u) => u.address), textUnits(e, kind).map((u) => u.address))
      }
    }
  })

  it('carries the English text next to each German message in de-with-original (mode b)', () => {
    const en = byId(jsonl('ultrachat/en.jsonl'), 'ultrachat')
    const rows = jsonl('ultrachat/de-with-original.jsonl')
    assert.ok(rows.length >= 10)
    for (const row of rows) {
      const e = en.get(row.prompt_id as string)!
      for (const u of textUnits(row, 'ultrachat').filter((u) => u.address !== 'prompt')) {
        assert.equal(u.original, textAt(e, u.address), `${row.prompt_id} ${u.address}`)
        assert.notEqual(u.text, u.original)
      }
    }
  })

  it('stores the same German rows in de.parquet as in de.jsonl', async () => {
    const shard = await openShard(join(samples, 'ultrachat/de.parquet'))
    const rows: Row[] = []
    for await (const r of shard.rows()) rows.push(withoutNulls(r.row!))
    await shard.close()
    assert.deepEqual(rows, jsonl('ultrachat/de.jsonl'))
  })

  it('lists deliberate drift that points at real, damaged texts of every kind', () => {
    const kinds = new Set(drift.map((d) => d.kind))
    for (const k of ['omitted-sentence', 'changed-number', 'untranslated', 'truncated', 'altered-code', 'first-line-only']) assert.ok(kinds.has(k), k)
    const cache = new Map<string, Map<string, Row>>()
    for (const d of drift) {
      const [folder] = d.file.split('/')
      const kind = folder as SchemaKind
      assert.ok(existsSync(join(samples, d.file)), d.file)
      const jsonlFile = d.file.replace(/\.parquet$/, '.jsonl')
      if (!cache.has(jsonlFile)) cache.set(jsonlFile, byId(jsonl(jsonlFile), kind))
      const target = cache.get(jsonlFile)!.get(d.prompt_id)
      assert.ok(target, `${d.file}: no row ${d.prompt_id}`)
      const de = textAt(target, d.address)
      assert.ok(de !== undefined, `${d.file} ${d.prompt_id}: no text at ${d.address}`)
      const en = textAt(byId(jsonl(`${folder}/en.jsonl`), kind).get(d.prompt_id)!, d.address)!
      // A wholly untranslated text is the one drift that equals its source.
      if (d.kind !== 'untranslated') assert.notEqual(de, en, `${d.file} ${d.address}`)
      else assert.ok(/\b(the|is|and|to|it)\b/.test(de), `${d.file} ${d.address}: no English left`)
      if (d.kind === 'altered-code') assert.notDeepEqual(de.match(FENCE), en.match(FENCE))
      if (d.kind === 'first-line-only') assert.ok(!de.includes('\n') && en.split('\n').length > 2)
      const sentences = (x: string) => x.split(/(?<!\d)[.!?](?:\s|$)/).filter((p) => p.trim()).length
      if (d.kind === 'omitted-sentence') assert.ok(sentences(de) < sentences(en), `${d.file} ${d.address}: as many sentences as the source`)
      if (d.kind === 'truncated') assert.ok(!/[.!?:)`"“”]$/.test(de.trimEnd()), `${d.file} ${d.address}: ends like a finished text`)
      if (d.kind === 'changed-number') assert.notDeepEqual(de.match(/\d+/g), en.replace(/(\d),(\d{3})/g, '$1.$2').match(/\d+/g))
    }
  })

  it('has broken shards that fail the way broken/expected.json says', async () => {
    const dir = join(samples, 'broken')
    const malformed = await openShard(join(dir, 'malformed-line.jsonl'))
    const results = []
    for await (const r of malformed.rows()) results.push(r)
    assert.equal(results.length, 5)
    assert.deepEqual(results.filter((r) => r.error).map((r) => r.error!.line), [3])
    await malformed.close()

    const crlf = await openShard(join(dir, 'bom-crlf.jsonl'))
    assert.equal(crlf.rowCount, 4)
    for await (const r of crlf.rows()) assert.deepEqual(validateRow(r.row!, 'ultrachat'), [])
    await crlf.close()

    const wrong = jsonl('broken/wrong-types.jsonl')
    assert.deepEqual(wrong.map((r) => validateRow(r, 'ultrachat').length > 0), [false, true, true, false])
    assert.throws(() => detectKind(jsonl('broken/unknown-schema.jsonl')[0]), /unknown record shape/)
    assert.equal(readFileSync(join(dir, 'empty.jsonl')).length, 0)
    await assert.rejects(openShard(join(dir, 'truncated.parquet')), ShardOpenError)
  })
})
