/**
 * The export's QA worker thread: runs the QA engine on records while the export's thread reads, filters
 * and writes the others. It reads the English shard itself (rows come in file order, as the translation's
 * do) and gets each record's translated texts, corrections applied, from the export; it answers each batch
 * with the same hits the in-process gate would give (`qaHits`). Started by qa-worker-client.ts.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { qaRuntime } from '../qa/scan'
import type { QaRuntime } from '../qa/types'
import { textUnits, type TextUnit } from '../records/address'
import { openShard } from '../records/open'
import { pairTextUnits } from '../records/pairing'
import { qaHits, type QaHit } from './qa-flags'
import { SourceCursor } from './source-cursor'
import { unpackUnits, type QaWorkerInit, type QaWorkerReply, type QaWorkerRequest } from './qa-worker-protocol'

async function main(init: QaWorkerInit): Promise<void> {
  const port = parentPort!
  const shard = await openShard(init.englishPath)
  const cursor = new SourceCursor(shard, new Map())
  let runtime: QaRuntime = {}
  if (init.languageId) runtime = (await qaRuntime()).runtime
  port.postMessage({ ready: runtime.languageId?.name ?? null } satisfies QaWorkerReply)

  const judge = async (englishIndex: number, target: TextUnit[]): Promise<QaHit[] | null> => {
    const row = await cursor.at(englishIndex)
    const units = row ? pairTextUnits(textUnits(row, init.kind), target).units : []
    return units.length ? qaHits(units, init.engineConfig, runtime, init.limit) : null
  }
  // one batch at a time, in the order sent: the cursor streams forward
  let queue = Promise.resolve()
  port.on('message', (m: QaWorkerRequest) => {
    queue = queue.then(async () => {
      try {
        const hits: (QaHit[] | null)[] = []
        for (const [englishIndex, target] of m.items) hits.push(await judge(englishIndex, unpackUnits(target)))
        port.postMessage({ id: m.id, hits } satisfies QaWorkerReply)
      } catch (e) {
        port.postMessage({ id: m.id, error: (e as Error).message } satisfies QaWorkerReply)
      }
    })
  })
}

main(workerData as QaWorkerInit).catch((e: Error) => parentPort!.postMessage({ error: e.message } satisfies QaWorkerReply))
