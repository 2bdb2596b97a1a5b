import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { tinyModelDir } from '../../../native-runtime/inference/tools/tiny-model-dir'
import { SupervisedServer } from '../../../native-runtime/inference/supervisor'

describe('supervised embedded server', { timeout: 120_000 }, () => {
  let server: SupervisedServer | undefined
  after(() => server?.stop())

  it('restarts a killed server on the same port with the same token, and reports the crash', async () => {
    const crashes: boolean[] = []
    let restarted!: () => void
    const back = new Promise<void>((r) => (restarted = r))
    server = await SupervisedServer.start({ modelDir: await tinyModelDir(), onCrash: (_e, restarting) => crashes.push(restarting), onRestart: () => restarted() })
    const url = server.url
    const models = async () => (await fetch(`${server!.url}/v1/models`, { headers: { authorization: `Bearer ${server!.apiKey}` } })).status
    assert.equal(await models(), 200)
    const first = server.pid
    process.kill(first, 'SIGKILL')
    await back
    assert.deepEqual(crashes, [true])
    assert.notEqual(server.pid, first)
    assert.equal(server.url, url, 'same port')
    assert.equal(await models(), 200, 'same token still accepted')
  })
})
