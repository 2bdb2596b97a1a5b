/**
 * The export's parquet worker thread: encodes and compresses row groups and writes them to the files the
 * export opened, while the export's thread reads, filters and builds the next rows. Started by sinks.ts
 * through worker-spawn.ts; messages in parquet-worker-protocol.ts.
 */
import { parentPort } from 'node:worker_threads'
import { ParquetFile } from './parquet-file'
import type { ParquetWorkerReply, ParquetWorkerRequest } from './parquet-worker-protocol'

const port = parentPort!
const files = new Map<number, ParquetFile>()
const reply = (m: ParquetWorkerReply) => port.postMessage(m)

port.on('message', (m: ParquetWorkerRequest) => {
  const file = 'open' in m ? m.open : 'write' in m ? m.write : m.finish
  try {
    if ('open' in m) files.set(m.open, new ParquetFile(m.fd, m.fields, m.kvMetadata))
    else if ('write' in m) {
      files.get(m.write)!.writeGroup(m.columns)
      reply({ written: m.write })
    } else {
      files.get(m.finish)!.finish()
      files.delete(m.finish)
      reply({ finished: m.finish })
    }
  } catch (e) {
    reply({ error: (e as Error).message, file })
  }
})
reply({ ready: true })
