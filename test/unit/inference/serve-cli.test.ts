/**
 * `phoenix serve` as a real process (tsx on src/cli/phoenix.ts) over the tiny model, and its argument errors.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { main } from '../../../src/cli/phoenix'
import { buildTinyLlama } from '../../../native-runtime/inference/tools/make-tiny-llama'

const ROOT = path.resolve(import.meta.dirname, '../../..')
let dir: string
let modelDir: string

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'phoenix-'))
  modelDir = buildTinyLlama(path.join(dir, 'alma-tiny'), {}).dir
})
after(() => rmSync(dir, { recursive: true, force: true }))

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) })
  return { code, out, err }
}

describe('phoenix serve', { timeout: 60_000 }, () => {
  it('exits 2 with a message for missing or bad arguments', async () => {
    const none = await run(['serve'])
    assert.equal(none.code, 2)
    assert.match(none.err.join('\n'), /--model DIR is required/)
    const port = await run(['serve', '--model', modelDir, '--port', 'x'])
    assert.equal(port.code, 2)
    assert.match(port.err.join('\n'), /--port needs an integer/)
    const help = await run(['serve', '--help'])
    assert.equal(help.code, 0)
    assert.match(help.out.join('\n'), /Authorization: Bearer/)
  })

  it('exits 1 naming the folder when it holds no model', async () => {
    const r = await run(['serve', '--model', dir])
    assert.equal(r.code, 1)
    assert.match(r.err.join('\n'), /no config\.json in the model folder/)
  })

  it('serves the model on 127.0.0.1 with the printed token and stops on SIGTERM with exit 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/phoenix.ts', 'serve', '--model', modelDir, '--port', '0', '--providers', 'cpu'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (c) => (stderr += c))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const listening = await new Promise<{ port: number; token: string; provider: string; model: string }>((resolve, reject) => {
      let buf = ''
      child.stdout.on('data', (c) => {
        buf += c
        const line = buf.split('\n').find((l) => l.startsWith('{'))
        if (line) resolve(JSON.parse(line))
      })
      void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)))
    })
    try {
      assert.equal(listening.provider, 'cpu')
      assert.equal(listening.model, 'alma-tiny')
      const res = await fetch(`http://127.0.0.1:${listening.port}/v1/models`, { headers: { authorization: `Bearer ${listening.token}` } })
      assert.equal(res.status, 200)
      assert.equal(((await res.json()) as { data: Array<{ id: string }> }).data[0]!.id, 'alma-tiny')
      const denied = await fetch(`http://127.0.0.1:${listening.port}/v1/models`)
      assert.equal(denied.status, 401)
    } finally {
      child.kill('SIGTERM')
    }
    assert.equal(await exited, 0)
    assert.match(stderr, /SIGTERM, shutting down/)
  })
})
