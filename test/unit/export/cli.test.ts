import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { after, before, test } from 'node:test'
import { main } from '../../../src/cli/phoenix'
import { binarized, workspace, type Workspace } from './fixtures'

let ws: Workspace
let en: string
let de: string

before(async () => {
  ws = workspace()
  en = ws.jsonl('en.jsonl', ['a', 'b', 'c'].map((id) => binarized(id, 'en')))
  de = ws.jsonl('de.jsonl', ['a', 'b', 'c', 'd'].map((id) => binarized(id, 'de')))
  await ws.review(de, 'ann', [['b', { type: 'pick', chosen: null, rejected: null, verdict: 'tie' }, 1]])
})

after(() => ws.cleanup())

async function run(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

test('phoenix export prints written and excluded counts and exits 0', async () => {
  const out = join(ws.dir, 'set')
  // Shard paths relative to the current folder, the workspace elsewhere: the journal is still found.
  const r = await run('export', relative(process.cwd(), en), relative(process.cwd(), de), '--kind', 'dpo', '--out', out, '--workspace', ws.dir, '--format=jsonl', '--test-size', '0')
  assert.equal(r.code, 0, r.err)
  assert.match(r.out, /written:\s+train 2, test 0/)
  assert.match(r.out, /pick-tie\s+1/)
  assert.match(r.out, /missing-source\s+1/)
  assert.equal(readFileSync(join(out, 'data', 'train.jsonl'), 'utf8').trim().split('\n').length, 2)
})

test('phoenix export exits 2 with a clear message on bad arguments or unreadable input', async () => {
  const out = join(ws.dir, 'never')
  const cases: [string[], RegExp][] = [
    [[de, '--out', out], /--kind is required/],
    [[de, '--kind', 'ppo', '--out', out], /--kind must be one of dpo\|sft/],
    [[de, '--kind', 'dpo'], /--out DIR is required/],
    [[de, '--kind', 'dpo', '--out', out, '--test-size', '1.5'], /--test-size must be in \[0, 1\)/],
    [[de, '--kind', 'dpo', '--out', out, '--seed', 'x'], /--seed must be an integer/],
    [[de, '--kind', 'dpo', '--out', out, '--max-severity', 'huge'], /--max-severity must be one of/],
    [[de, '--kind', 'dpo', '--out', out, '--frobnicate'], /unknown option --frobnicate/],
    [[de, '--kind', 'sft', '--out', out], /--kind sft needs a shard of kind ultrachat or messages/],
    [[join(ws.dir, 'missing.jsonl'), '--kind', 'dpo', '--out', out], /missing\.jsonl: file not found/],
  ]
  for (const [args, message] of cases) {
    const r = await run('export', ...args)
    assert.equal(r.code, 2, args.join(' '))
    assert.match(r.err, message)
  }
  assert.ok(!existsSync(out))
})
