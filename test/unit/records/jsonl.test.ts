import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { JsonlShard } from '../../../src/core/records/jsonl'
import { ShardOpenError, type RowResult } from '../../../src/core/records/types'
import { tempDir, uc } from './tmp'

const t = tempDir()
after(t.cleanup)

async function all(s: JsonlShard): Promise<RowResult[]> {
  const out: RowResult[] = []
  for await (const r of s.rows()) out.push(r)
  return out
}

describe('JSONL reader', () => {
  it('indexes rows and reads any of them at random', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => uc(`prompt ${i}`, `id${i}`, `question ${i}`, `answer ${i}`))
    const s = await JsonlShard.open(t.file('plain.jsonl', lines.join('\n') + '\n'))
    assert.equal(s.rowCount, 500)
    for (const i of [0, 1, 250, 499, 137]) {
      const r = await s.read(i)
      assert.equal(r.row?.prompt, `prompt ${i}`)
      assert.equal(s.lineOf(i), i + 1)
    }
    await assert.rejects(s.read(500), RangeError)
    await s.close()
  })

  it('handles a BOM, CRLF, blank and whitespace lines, and a last line without newline', async () => {
    const body = '\ufeff' + uc('a', '1', 'x') + '\r\n\r\n   \t\r\n' + uc('b', '2', 'y') + '\r\n\n' + uc('c', '3', 'z')
    const s = await JsonlShard.open(t.file('messy.jsonl', body))
    assert.equal(s.rowCount, 3)
    const rows = await all(s)
    assert.deepEqual(rows.map((r) => r.row?.prompt), ['a', 'b', 'c'])
    assert.deepEqual([0, 1, 2].map((i) => s.lineOf(i)), [1, 4, 6])
    assert.ok(rows.every((r) => !r.error))
    await s.close()
  })

  it('turns a malformed line into an error entry with its line number, and the rest still loads', async () => {
    const body = [uc('a', '1', 'x'), '{"prompt": "broken', '', '[1,2]', uc('d', '4', 'w'), '42'].join('\n')
    const s = await JsonlShard.open(t.file('bad.jsonl', body))
    const rows = await all(s)
    assert.equal(rows.length, 5)
    assert.equal(rows[0].row?.prompt, 'a')
    assert.equal(rows[1].error?.line, 2)
    assert.match(rows[1].error!.message, /invalid JSON/)
    assert.equal(rows[2].error?.line, 4)
    assert.match(rows[2].error!.message, /expected a JSON object, found an array/)
    assert.equal(rows[3].row?.prompt, 'd')
    assert.equal(rows[4].error?.line, 6)
    assert.equal((await s.read(1)).error?.line, 2)
    await s.close()
  })

  it('reads rows larger than its scan chunk and block (12 MB)', async () => {
    const big = 'ä'.repeat(6 * 1024 * 1024) // 12 MB of UTF-8
    const body = [uc('small', '1', 'x'), uc('big', '2', big), uc('after', '3', 'y')].join('\n') + '\n'
    const s = await JsonlShard.open(t.file('big.jsonl', body))
    assert.equal(s.rowCount, 3)
    const r = await s.read(1)
    assert.equal((r.row?.messages as { content: string }[])[0].content.length, big.length)
    const rows = await all(s)
    assert.deepEqual(rows.map((x) => x.row?.prompt), ['small', 'big', 'after'])
    await s.close()
  })

  it('streams a sub-range', async () => {
    const s = await JsonlShard.open(t.file('range.jsonl', Array.from({ length: 20 }, (_, i) => uc(`p${i}`, `${i}`, 'x')).join('\n')))
    const got: unknown[] = []
    for await (const r of s.rows(5, 9)) got.push(r.row?.prompt)
    assert.deepEqual(got, ['p5', 'p6', 'p7', 'p8'])
    await s.close()
  })

  it('opens an empty file as zero rows and a missing file as a ShardOpenError naming the path', async () => {
    const s = await JsonlShard.open(t.file('empty.jsonl', ''))
    assert.equal(s.rowCount, 0)
    await s.close()
    await assert.rejects(JsonlShard.open(t.dir + '/nope.jsonl'), (e: unknown) => e instanceof ShardOpenError && /nope\.jsonl: file not found/.test(e.message))
  })
})

describe('JSONL reader across chunks', () => {
  it('counts exactly the lines of a file spanning several 4 MB chunks with a partial last chunk', async () => {
    const line = uc('p', 'i', 'x'.repeat(1000))
    const n = 9_001 // ~9.4 MB: two full chunks and a partial one
    const s = await JsonlShard.open(t.file('chunks.jsonl', (line + '\n').repeat(n)))
    assert.equal(s.rowCount, n)
    assert.equal(s.lineOf(n - 1), n)
    assert.equal((await s.read(n - 1)).row?.prompt, 'p')
    await s.close()
  })
})
