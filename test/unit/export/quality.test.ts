import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { drawPlan, planPath, writePlan } from '../../../src/core/estimate/sample'
import { exportDataset } from '../../../src/core/export/export'
import { shardIdentity } from '../../../src/core/review/journal'
import { baseOptions, binarized, workspace } from './fixtures'

const ws = workspace()
after(() => ws.cleanup())

const ids = Array.from({ length: 20 }, (_, i) => `r${i}`)
const en = ws.jsonl('q/en.jsonl', ids.map((id) => binarized(id, 'en')))
const de = ws.jsonl('q/de.jsonl', ids.map((id) => binarized(id, 'de')))
const manifest = (out: string) => JSON.parse(readFileSync(join(out, 'phoenix-manifest.json'), 'utf8'))

test('the manifest says when no review sample exists', async () => {
  const out = join(ws.dir, 'no-sample')
  await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out, format: 'jsonl', testSize: 0, maxSeverity: null }))
  assert.equal(manifest(out).quality.estimated, false)
})

test('the manifest holds the sample estimate, the verdict and the residual drift of the exported set', async () => {
  const plan = await drawPlan(shardIdentity(ws.dir, de), 20, { size: 10, seed: 3 }, async (i) => ids[i])
  writePlan(planPath(ws.dir, de), plan)
  const sampled = plan.indices.map((i) => ids[i])
  // 9 sampled rows approved, 1 flagged major; one row outside the sample flagged critical (must not count).
  const outside = ids.find((id) => !sampled.includes(id))!
  await ws.review(de, 'ann', [
    ...sampled.map((id, k): [string, Parameters<typeof ws.review>[2][number][1], number] => [id, k === 0 ? { type: 'flag', address: 'chosen/1/content', reason: 'omission', severity: 'major', flagId: 'f0' } : { type: 'approve' }, k + 1]),
    [outside, { type: 'flag', address: 'prompt', reason: 'mistranslation', severity: 'critical', flagId: 'fx' }, 30],
  ])
  const out = join(ws.dir, 'with-sample')
  const rep = await exportDataset(baseOptions(ws, { source: en, target: de, kind: 'dpo', out, format: 'jsonl', testSize: 0, maxSeverity: 'major' }))
  const q = manifest(out).quality
  assert.equal(q.estimated, true)
  assert.deepEqual([q.sample.size, q.sample.reviewed, q.sample.population], [10, 10, 20])
  assert.equal(q.shardDrift.any.share, 0.1)
  assert.equal(q.shardDrift.majorOrWorse.share, 0.1)
  assert.ok(['accept', 'reject', 'undecided'].includes(q.acceptance.verdict))
  // 2 flagged records are excluded; of the 18 written, 9 were reviewed (approved) and 9 were not.
  assert.equal(rep.rows.written, 18)
  assert.equal(q.residualDrift.unreviewedShareOfExport, 0.5)
  assert.equal(q.residualDrift.any.share, 0.05)
  assert.ok(q.residualDrift.any.upper <= q.shardDrift.any.upper / 2 + 1e-4)
})
