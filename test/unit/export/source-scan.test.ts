import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { SourceScan } from '../../../src/core/export/source-scan'
import { JsonlShard } from '../../../src/core/records/jsonl'
import { textUnits } from '../../../src/core/records/address'
import { rowPromptId } from '../../../src/core/records/schema'
import type { SchemaKind } from '../../../src/core/records/types'
import { binarized, rawRow, workspace } from './fixtures'

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')

/** What the worker must report, read in-process with JsonlShard, rowPromptId and textUnits. */
async function expected(path: string, kind: SchemaKind) {
  const shard = await JsonlShard.open(path)
  const byId = new Map<string, { index: number; lengths: [string, number][] }>()
  const warnings: string[] = []
  for await (const r of shard.rows()) {
    const id = r.row && rowPromptId(r.row, kind)
    if (!r.row || id === undefined) {
      if (warnings.length < 5) warnings.push(`${path}: line ${r.error?.line ?? shard.lineOf(r.index)}: ${r.error?.message ?? 'row has no prompt_id and no prompt to derive one from'}`)
      continue
    }
    if (!byId.has(id)) byId.set(id, { index: r.index, lengths: textUnits(r.row, kind).map((u) => [u.address, u.text.length]) })
  }
  await shard.close()
  return { byId, warnings }
}

/** The worker's report in the reference's shape: lengths asked for by the reference's addresses. */
async function scanned(path: string, kind: SchemaKind, also: string[], want: Awaited<ReturnType<typeof expected>>) {
  const scan = SourceScan.start({ path, kind, lengths: true, hashAlso: also })
  assert.ok(scan, 'a worker starts here')
  try {
    await scan.done()
    const byId = new Map(
      [...scan.byId].map(([id, e]) => {
        const addresses = want.byId.get(id)?.lengths.map(([a]) => a) ?? []
        assert.equal(e.lengths.size, addresses.length, `${id}: number of texts`)
        return [id, { index: e.index, lengths: addresses.map((a) => [a, e.lengths.get(a)!] as [string, number]) }]
      }),
    )
    return { byId, warnings: scan.warnings, hashes: await scan.hashes }
  } finally {
    await scan.close()
  }
}

test('the worker reads a JSONL shard as JsonlShard, rowPromptId and textUnits do, odd lines included', async () => {
  const ws = workspace()
  try {
    const rows = ['\uFEFF' + JSON.stringify(binarized('a', 'en')), '', '   ', JSON.stringify(binarized('b', 'en')) + '\r', '{"prompt": "kaputt', '[1, 2]', 'null',
      JSON.stringify({ ...binarized('c', 'en'), prompt_id: 7 }), JSON.stringify({ ...binarized('x', 'en'), prompt_id: undefined, prompt: undefined }),
      JSON.stringify(binarized('a', 'en')), JSON.stringify({ ...binarized('d', 'en'), chosen: [null, 'x', { role: 'user', content: 5 }, { role: 'assistant', content: 'Fünf ünïcödé 😀' }] }), '{"oops": 1}']
    const en = join(ws.dir, 'en.jsonl')
    writeFileSync(en, rows.join('\n')) // no newline after the last line
    const other = ws.jsonl('de.jsonl', [binarized('a', 'de')])
    const want = await expected(en, 'ultrafeedback-binarized')
    const got = await scanned(en, 'ultrafeedback-binarized', [other], want)
    assert.deepEqual(got.byId, want.byId)
    assert.deepEqual(got.warnings, want.warnings)
    assert.deepEqual(got.hashes, [sha(en), sha(other)])

    const raw = ws.jsonl('raw.jsonl', [rawRow('Name three colours.', 'en', [3, 5]), { ...rawRow('Zähle bis drei.', 'en', [1, 2]), instruction_original: 'Count to three.' }, rawRow('Id given.', 'en', [1], 'given-id')])
    const wantRaw = await expected(raw, 'ultrafeedback-raw')
    const gotRaw = await scanned(raw, 'ultrafeedback-raw', [], wantRaw)
    assert.deepEqual(gotRaw.byId, wantRaw.byId)
    assert.deepEqual(gotRaw.warnings, [])
  } finally {
    ws.cleanup()
  }
})
