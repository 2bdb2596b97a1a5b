import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { after, before, test } from 'node:test'
import { tinyModelDir } from '../../../native-runtime/inference/tools/tiny-model-dir'
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

test('--min-similarity with --embedding-model: similarities from the embedded server (tiny model) filter records', { timeout: 120_000 }, async () => {
  const modelDir = await tinyModelDir()
  const base = [en, de, '--kind', 'dpo', '--workspace', ws.dir, '--format=jsonl', '--test-size', '0', '--json', '--embedding-model', modelDir]
  // The tiny random model never maps a translation onto its source exactly: every pair is below 1.
  const strict = await run('export', ...base, '--out', join(ws.dir, 'sim-strict'), '--min-similarity', '1')
  assert.equal(strict.code, 0, strict.err)
  const s = JSON.parse(strict.out)
  assert.equal(s.excluded['min-similarity'], 2)
  assert.deepEqual(s.filters.minSimilarity, { threshold: 1, applied: true, withoutValue: 0, correctedRemeasured: 0, correctedJudgedOnStoredTranslation: 0 })
  const lax = await run('export', ...base, '--out', join(ws.dir, 'sim-lax'), '--min-similarity', '-1')
  assert.equal(lax.code, 0, lax.err)
  assert.equal(JSON.parse(lax.out).excluded['min-similarity'], 0)
  assert.equal(JSON.parse(lax.out).rows.train, 2)

  const bad = await run('export', de, '--kind', 'dpo', '--out', join(ws.dir, 'never2'), '--embedding-model', modelDir)
  assert.equal(bad.code, 2)
  assert.match(bad.err, /embeddings only serve --min-similarity/)
  const gone = await run('export', de, '--kind', 'dpo', '--out', join(ws.dir, 'never3'), '--min-similarity', '0.5', '--embedding-model', join(ws.dir, 'no-model'))
  assert.equal(gone.code, 2)
  assert.match(gone.err, /cannot start the embedding model .*no-model/)
})

test('the bundled CLI runs the QA engine on its worker thread (qa-worker.cjs) with the same result', { timeout: 120_000 }, async () => {
  const { execFileSync } = await import('node:child_process')
  const bin = join(import.meta.dirname, '../../../bin/phoenix.js')
  const ids = Array.from({ length: 40 }, (_, i) => `w${i}`)
  const enW = ws.jsonl('w.en.jsonl', ids.map((id) => binarized(id, 'en')))
  // every 4th answer left in English: the untranslated check (an error) excludes it
  const deW = ws.jsonl('w.de.jsonl', ids.map((id, i) => (i % 4 === 0 ? binarized(id, 'en') : binarized(id, 'de'))))
  const exportWith = (worker: string) => {
    const out = join(ws.dir, `worker-${worker}`)
    const json = execFileSync(process.execPath, [bin, 'export', enW, deW, '--kind', 'dpo', '--out', out, '--workspace', join(ws.dir, `ws-${worker}`), '--format=jsonl', '--json', '--qa-worker', worker], { encoding: 'utf8' })
    return { rep: JSON.parse(json), data: readFileSync(join(out, 'data', 'train.jsonl'), 'utf8') }
  }
  const on = exportWith('yes')
  const off = exportWith('no')
  assert.equal(on.rep.qaOnWorker, 40)
  assert.equal(off.rep.qaOnWorker, 0)
  assert.ok(on.rep.excluded['flag-severity'] >= 10, `only ${on.rep.excluded['flag-severity']} excluded`)
  assert.deepEqual(on.rep.excluded, off.rep.excluded)
  assert.equal(on.data, off.data)
})

test('the bundled CLI writes parquet on its writer thread (writer-worker.cjs) with the same bytes', { timeout: 120_000 }, async () => {
  const { execFileSync } = await import('node:child_process')
  const bin = join(import.meta.dirname, '../../../bin/phoenix.js')
  const ids = Array.from({ length: 300 }, (_, i) => `pq${i}`)
  const enP = ws.jsonl('pq.en.jsonl', ids.map((id) => binarized(id, 'en')))
  const deP = ws.jsonl('pq.de.jsonl', ids.map((id) => binarized(id, 'de')))
  const exportWith = (worker: string) => {
    const out = join(ws.dir, `writer-worker-${worker}`)
    const json = execFileSync(process.execPath, [bin, 'export', enP, deP, '--kind', 'dpo', '--out', out, '--workspace', ws.dir, '--json', '--writer-worker', worker], { encoding: 'utf8' })
    return { rep: JSON.parse(json), data: readFileSync(join(out, 'data', 'train-00000-of-00001.parquet')) }
  }
  const on = exportWith('yes')
  const off = exportWith('no')
  assert.equal(on.rep.writtenOnWorker, true)
  assert.equal(off.rep.writtenOnWorker, false)
  assert.ok(on.rep.rows.train > 200, `${on.rep.rows.train} rows`)
  assert.ok(on.data.equals(off.data), 'the same parquet bytes')
})

test('Ctrl-C stops the bundled CLI export cleanly: exit 130, nothing written, no temporary folder left', { timeout: 120_000 }, async () => {
  const { spawn } = await import('node:child_process')
  const { readdirSync } = await import('node:fs')
  const bin = join(import.meta.dirname, '../../../bin/phoenix.js')
  const ids = Array.from({ length: 60_000 }, (_, i) => `c${i}`)
  const enC = ws.jsonl('c.en.jsonl', ids.map((id) => binarized(id, 'en')))
  const deC = ws.jsonl('c.de.jsonl', ids.map((id) => binarized(id, 'de')))
  const out = join(ws.dir, 'interrupted')
  const child = spawn(process.execPath, [bin, 'export', enC, deC, '--kind', 'dpo', '--out', out, '--workspace', ws.dir, '--qa-worker', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  // interrupt once the export is writing: its temporary folder exists
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (readdirSync(ws.dir).some((n) => n.startsWith('interrupted.tmp-'))) {
        clearInterval(poll)
        child.kill('SIGINT')
        resolve()
      }
    }, 20)
  })
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  assert.equal(code, 130, err)
  assert.match(err, /export cancelled; nothing was written/)
  assert.ok(!existsSync(out))
  assert.deepEqual(readdirSync(ws.dir).filter((n) => n.startsWith('interrupted')), [])
})
