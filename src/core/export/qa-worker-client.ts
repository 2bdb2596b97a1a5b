/**
 * The export's side of its QA worker (qa-worker.ts): records go out in batches, hits come back in the order
 * sent (started by worker-spawn.ts).
 * Where no worker can start, or it would judge differently (another language identifier loaded), the
 * export runs the engine itself.
 */
import type { Worker } from 'node:worker_threads'
import type { TextUnit } from '../records/address'
import type { QaHit } from './qa-flags'
import { packUnits, type PackedUnits, type QaWorkerInit, type QaWorkerReply, type QaWorkerRequest } from './qa-worker-protocol'
import { spawnExportWorker } from './worker-spawn'

/** Records per message: large enough that messaging costs little, small enough to keep both threads busy. */
const BATCH = 64

/** The worker could not judge as the export would: the export runs again with the engine in process. */
export class QaWorkerUnusable extends Error {}

type Pending = { resolve: (h: QaHit[] | null) => void; reject: (e: Error) => void }[]

export class QaWorkerClient {
  private items: [englishIndex: number, target: PackedUnits][] = []
  private readonly waiting: Pending = []
  private readonly sent = new Map<number, Pending>()
  private nextId = 1
  private flushScheduled = false
  private failure: Error | undefined

  private constructor(
    private readonly worker: Worker,
    languageId: string | undefined,
  ) {
    let ready = false
    worker.on('message', (m: QaWorkerReply) => {
      if ('ready' in m) {
        ready = true
        if ((m.ready ?? undefined) !== languageId) fail(new QaWorkerUnusable(`the QA worker loaded ${m.ready ?? 'no'} language identifier, the export ${languageId ?? 'none'}`))
        return
      }
      if (!('id' in m)) return fail(new QaWorkerUnusable(`the QA worker did not start: ${m.error}`))
      const p = this.sent.get(m.id)
      this.sent.delete(m.id)
      if (!p) return
      if ('error' in m) p.forEach((x) => x.reject(new Error(`QA worker: ${m.error}`)))
      else p.forEach((x, i) => x.resolve(m.hits[i]))
    })
    const fail = (e: Error) => {
      this.failure ??= e
      for (const p of [...this.sent.values(), this.waiting]) p.forEach((x) => x.reject(this.failure!))
      this.sent.clear()
      this.waiting.length = 0
    }
    worker.on('error', (e) => fail(ready ? e : new QaWorkerUnusable(`the QA worker did not start: ${e.message}`)))
    worker.on('exit', (code) => fail(ready ? new Error(`QA worker exited with code ${code}`) : new QaWorkerUnusable(`the QA worker exited with code ${code} before it started`)))
  }

  /**
   * A worker for an export whose language identifier is `languageId`; undefined where none can start.
   * Records can be sent at once: they wait in its queue while it loads. Should it fail to load, or load
   * another language identifier, its hits reject with QaWorkerUnusable (the export then runs the engine itself).
   */
  static start(init: QaWorkerInit, languageId: string | undefined): QaWorkerClient | undefined {
    const worker = spawnExportWorker('qa-worker', init)
    return worker ? new QaWorkerClient(worker, languageId) : undefined
  }

  /** The hits of one record (null: nothing paired), once the worker has judged it. */
  hits(englishIndex: number, target: TextUnit[]): Promise<QaHit[] | null> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.items.push([englishIndex, packUnits(target)])
      this.waiting.push({ resolve, reject })
      if (this.items.length >= BATCH) this.flush()
      else if (!this.flushScheduled) {
        // a partial batch goes out once the export's thread yields to I/O, so nothing waits on it for long
        this.flushScheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  /** Sends the records queued so far. */
  private flush(): void {
    this.flushScheduled = false
    if (!this.items.length) return
    const id = this.nextId++
    this.sent.set(id, this.waiting.splice(0))
    this.worker.postMessage({ id, items: this.items } satisfies QaWorkerRequest)
    this.items = []
  }

  async close(): Promise<void> {
    this.failure ??= new Error('QA worker closed')
    await this.worker.terminate()
  }
}
