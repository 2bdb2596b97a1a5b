/**
 * Execution-provider fallback (real onnxruntime-node, where the CUDA provider is not installed, and a fake
 * session factory), the launcher's crash callback and start failures, and the tokenizer's BOS handling.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { spawn } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { ServerStartError, startServer } from '../../../native-runtime/inference/launch'
import { defaultProviders, openModelSession, openWithFallback } from '../../../native-runtime/inference/session'
import { TextTokenizer } from '../../../native-runtime/inference/tokenizer'
import { buildTinyLlama } from '../../../native-runtime/inference/tools/make-tiny-llama'

let dir: string
let modelDir: string

const ortDir = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'))
const cudaInstalled = existsSync(path.join(ortDir, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'))

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'phoenix-'))
  modelDir = buildTinyLlama(path.join(dir, 'tiny'), {}).dir
})
after(() => rmSync(dir, { recursive: true, force: true }))

describe('execution provider fallback', () => {
  it('orders GPU providers first and cpu last on each platform', () => {
    assert.deepEqual(defaultProviders('linux'), ['cuda', 'webgpu', 'cpu'])
    assert.deepEqual(defaultProviders('win32'), ['cuda', 'webgpu', 'dml', 'cpu'])
    assert.deepEqual(defaultProviders('darwin'), ['coreml', 'webgpu', 'cpu'])
  })

  it('falls back from providers that fail to open to cpu (real onnxruntime-node) and logs it', { skip: cudaInstalled && 'the CUDA provider is installed here' }, async () => {
    const log: string[] = []
    const opened = await openModelSession(modelDir, ['cuda', 'no-such-provider', 'cpu'], (l) => log.push(l))
    try {
      assert.equal(opened.provider, 'cpu')
      assert.deepEqual(opened.failures.map((f) => f.provider), ['cuda', 'no-such-provider'])
      assert.match(log[0]!, /execution provider cuda failed: .+; trying the next one/)
      assert.match(log[1]!, /execution provider no-such-provider failed/)
      assert.equal(log[2], 'inference: using execution provider cpu (after cuda, no-such-provider failed)')
      assert.ok(opened.session.inputNames.includes('past_key_values.1.value'))
    } finally {
      await opened.session.release()
    }
  })

  it('tries each provider alone, in order, and reports every failure when none opens (fake factory)', async () => {
    const tried: string[] = []
    const factory = async (p: string): Promise<string> => {
      tried.push(p)
      if (p !== 'third') throw new Error(`${p} is broken\nsecond line`)
      return `session on ${p}`
    }
    const log: string[] = []
    const ok = await openWithFallback(['first', 'second', 'third', 'fourth'], factory, (l) => log.push(l))
    assert.equal(ok.session, 'session on third')
    assert.deepEqual(tried, ['first', 'second', 'third'])
    assert.equal(log[0], 'inference: execution provider first failed: first is broken; trying the next one')
    await assert.rejects(openWithFallback(['a', 'b'], factory, () => undefined), /no execution provider could open the model: a: a is broken; b: b is broken/)
    await assert.rejects(openWithFallback([], factory, () => undefined), /no execution providers/)
  })
})

describe('launcher (real server process)', { timeout: 60_000 }, () => {
  it('starts with cuda,cpu on a machine without CUDA, says cpu, and reports a crash through onExit', { skip: cudaInstalled && 'the CUDA provider is installed here' }, async () => {
    const lines: string[] = []
    const server = await startServer({ modelDir, providers: ['cuda', 'cpu'], onLog: (l) => lines.push(l) })
    assert.equal(server.provider, 'cpu')
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.ok(lines.some((l) => /execution provider cuda failed/.test(l)), lines.join('\n'))
    assert.ok(lines.some((l) => /using execution provider cpu \(after cuda failed\)/.test(l)))
    const crashed = new Promise<{ code: number | null; signal: string | null; expected: boolean }>((resolve) => server.onExit(resolve))
    server.onExit(() => {
      throw new Error('a throwing callback must not reach the caller')
    })
    process.kill(server.pid, 'SIGKILL')
    const exit = await crashed
    assert.equal(exit.signal, 'SIGKILL')
    assert.equal(exit.expected, false)
    const again = await server.stop()
    assert.equal(again.signal, 'SIGKILL', 'stop() after a crash resolves with the crash')
  })

  it('rejects the start with the server error when the model folder is unusable', async () => {
    const err = await startServer({ modelDir: path.join(dir, 'missing'), providers: ['cpu'] }).then(
      () => assert.fail('should not start'),
      (e: unknown) => e,
    )
    assert.ok(err instanceof ServerStartError)
    assert.match(err.message, /exited before listening \(code 1.*no config\.json in the model folder/)
  })

  it('never outlives its parent: the server exits when the process that launched it is killed', async () => {
    const launch = pathToFileURL(path.resolve(import.meta.dirname, '../../../native-runtime/inference/launch.ts')).href
    const script = `import(${JSON.stringify(launch)}).then((m) => m.startServer({ modelDir: ${JSON.stringify(modelDir)}, providers: ['cpu'] })).then((s) => console.log('PID ' + s.pid))`
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const pid = await new Promise<number>((resolve, reject) => {
      let out = ''
      parent.stdout.on('data', (c) => {
        out += c
        const m = /PID (\d+)/.exec(out)
        if (m) resolve(Number(m[1]))
      })
      parent.on('exit', (code) => reject(new Error(`parent exited ${code} before the server listened`)))
    })
    assert.ok(alive(pid))
    parent.kill('SIGKILL')
    const deadline = Date.now() + 15_000
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const orphan = alive(pid)
    if (orphan) process.kill(pid, 'SIGKILL')
    assert.equal(orphan, false, 'the server outlived its parent')
  })

  it('rejects when aborted before the server listens', async () => {
    const ctrl = new AbortController()
    const pending = startServer({ modelDir, providers: ['cpu'], signal: ctrl.signal })
    ctrl.abort(new Error('user cancelled'))
    await assert.rejects(pending, /user cancelled/)
  })
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('tokenizer', () => {
  it('adds BOS and no EOS like transformers, and decodes without special tokens', () => {
    const tok = TextTokenizer.load(modelDir)
    const ids = tok.encode('Hello world')
    assert.equal(ids[0], 1)
    assert.notEqual(ids[ids.length - 1], 2)
    assert.equal(tok.bosId, 1)
    assert.equal(tok.eosId, 2)
    assert.equal(tok.decode([1, ...ids.slice(1), 2]), 'Hello world')
    assert.equal(tok.decode(tok.encode('  two spaces, Grüße 😀\nnext line')), '  two spaces, Grüße 😀\nnext line')
    assert.ok(tok.maxTokenChars >= 1 && tok.maxTokenChars <= 64)
  })
})
