import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { readJournal } from '../../../src/core/review/journal'

const here = path.dirname(fileURLToPath(import.meta.url))
const child = path.join(here, 'fixtures', 'append-child.ts')
const ROUNDS = 10

interface Run {
  acked: string[]
  stderr: string
  ready: boolean
}

/** Start the appending child, SIGKILL it `delayMs` after it reported ready; collect acknowledged ids. */
function runAndKill(file: string, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, file], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let stderr = ''
    let ready = false
    let timer: NodeJS.Timeout | undefined
    const guard = setTimeout(() => p.kill('SIGKILL'), 15_000)
    p.stdout.setEncoding('utf8')
    p.stdout.on('data', (d: string) => {
      out += d
      if (!ready && out.includes('ready\n')) {
        ready = true
        timer = setTimeout(() => p.kill('SIGKILL'), delayMs)
      }
    })
    p.stderr.on('data', (d) => (stderr += d))
    p.on('error', reject)
    p.on('close', () => {
      clearTimeout(guard)
      clearTimeout(timer)
      // Only newline-terminated lines were fully printed; a cut-off id was never acknowledged to us.
      const lines = out.split('\n').slice(0, -1)
      resolve({ acked: lines.filter((l) => l !== 'ready'), stderr, ready })
    })
  })
}

test('crash: every acknowledged event survives SIGKILL at random moments', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-'))
  try {
    const file = path.join(dir, 'journal', 'crash.jsonl')
    const acked = new Set<string>()
    let knownErrors = 0
    for (let round = 0; round < ROUNDS; round++) {
      const delay = 20 + Math.floor(Math.random() * 180)
      const run = await runAndKill(file, delay)
      assert.ok(run.ready, `child did not start (round ${round}): ${run.stderr}`)
      for (const id of run.acked) acked.add(id)

      const r = await readJournal(file)
      // One kill adds at most one bad line, and only as the file's last line.
      const fresh = r.errors.slice(knownErrors)
      assert.ok(fresh.length <= 1, `round ${round}: ${JSON.stringify(fresh)}`)
      if (fresh.length) {
        assert.equal(r.tornTail, true)
        const lineCount = fs.readFileSync(file, 'utf8').split('\n').length
        assert.equal(fresh[0].line, lineCount, 'a torn line can only be the last one')
      }
      knownErrors = r.errors.length
      const present = new Set(r.events.map((e) => e.id))
      for (const id of run.acked) assert.ok(present.has(id), `round ${round}: acknowledged ${id} is missing`)
    }
    const final = await readJournal(file)
    const ids = final.events.map((e) => e.id)
    assert.equal(new Set(ids).size, ids.length, 'no event is written twice')
    for (const id of acked) assert.ok(ids.includes(id), `acknowledged ${id} is missing`)
    assert.ok(acked.size > ROUNDS, `too few events acknowledged to mean anything: ${acked.size}`)
    // Events may be durable without having been acknowledged (killed between fsync and print), never the reverse.
    assert.ok(ids.length >= acked.size)
    assert.ok(final.errors.length <= ROUNDS)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
