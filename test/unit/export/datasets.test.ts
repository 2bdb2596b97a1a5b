import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { exportDataset } from '../../../src/core/export/export'
import { pythonWith } from '../../python'
import { baseOptions, binarized, workspace } from './fixtures'

// Reads the folder the way a trainer does and prints what the test checks.
const LOAD = `
import json, sys, datasets
ds = datasets.load_dataset(sys.argv[1])
out = {}
for name, split in ds.items():
    row = split[0]
    out[name] = {"rows": split.num_rows, "columns": sorted(split.column_names), "features": {k: repr(v) for k, v in split.features.items()},
                 "first": {k: row[k] for k in ("prompt", "chosen", "rejected")}}
print(json.dumps(out))
`

test('datasets.load_dataset reads an exported parquet folder: splits, row counts, nested messages', async (t) => {
  const py = pythonWith(['datasets'], 'the export is read back by DuckDB in the other tests')
  if (!py.python) return t.skip(py.reason)
  const ws = workspace()
  try {
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`)
    const en = ws.jsonl('uf.en.jsonl', ids.map((id) => binarized(id, 'en')))
    const de = ws.jsonl('uf.de.jsonl', ids.map((id) => binarized(id, 'de')))
    const out = join(ws.dir, 'set')
    const rep = await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out, testSize: 0.3, qaFlags: 'confirmed' }))
    assert.ok(rep.rows.train > 0 && rep.rows.test > 0, 'both splits have rows')

    const r = spawnSync(py.python, ['-c', LOAD, out], { encoding: 'utf8', env: { ...process.env, HF_DATASETS_CACHE: join(ws.dir, 'hf-cache'), HF_HUB_OFFLINE: '1' } })
    assert.equal(r.status, 0, r.stderr)
    const got = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, { rows: number; columns: string[]; features: Record<string, string>; first: Record<string, { role: string; content: string }[]> }>
    assert.deepEqual(Object.keys(got).sort(), ['test', 'train'])
    assert.equal(got.train.rows, rep.rows.train)
    assert.equal(got.test.rows, rep.rows.test)
    for (const split of Object.values(got)) {
      assert.deepEqual(split.columns, ['chosen', 'prompt', 'prompt_id', 'rejected', 'score_chosen', 'score_rejected'])
      for (const k of ['prompt', 'chosen', 'rejected']) {
        assert.match(split.features[k], /content/, `${k} is a list of {content, role}`)
        assert.match(split.features[k], /role/)
      }
      assert.equal(split.first.prompt.length, 1)
      assert.equal(split.first.prompt[0].role, 'user')
      assert.match(split.first.prompt[0].content, /^Frage p\d+\?$/)
      for (const k of ['chosen', 'rejected']) {
        assert.equal(split.first[k].length, 1)
        assert.equal(split.first[k][0].role, 'assistant')
      }
      assert.match(split.first.chosen[0].content, /^Gute Antwort p\d+\.$/)
    }
  } finally {
    ws.cleanup()
  }
})
