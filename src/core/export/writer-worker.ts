/**
 * The export's writer worker thread: turns batches of output rows into parquet row groups (encoded and
 * compressed) or JSON lines and writes them to the files the export opened, while the export's thread
 * reads, filters and builds the next rows. Started by sinks.ts through worker-spawn.ts; messages in
 * writer-worker-protocol.ts.
 */
import { parentPort } from 'node:worker_threads'
import { columnsOf, JsonlFile, ParquetFile } from './output-files'
import { unpackRows, type WriterWorkerReply, type WriterWorkerRequest } from './writer-worker-protocol'

type WriteBatch = Extract<WriterWorkerRequest, { write: number }>

interface OpenFile {
  write(batch: WriteBatch): void
  finish(): void
}

function openFile(m: Extract<WriterWorkerRequest, { open: number }>): OpenFile {
  // parquet rows come packed by the file's columns (packRows), JSON lines as they are
  const rowsOf = (b: WriteBatch) => ('packed' in b ? unpackRows(m.fields, b.packed) : b.rows)
  if (m.format === 'jsonl') {
    const file = new JsonlFile(m.fd)
    return { write: (b) => rowsOf(b).forEach((r) => file.add(r)), finish: () => file.finish() }
  }
  const file = new ParquetFile(m.fd, m.fields, m.kvMetadata)
  return { write: (b) => file.writeGroup(columnsOf(m.fields, rowsOf(b))), finish: () => file.finish() }
}

const port = parentPort!
const files = new Map<number, OpenFile>()
const reply = (m: WriterWorkerReply) => port.postMessage(m)

port.on('message', (m: WriterWorkerRequest) => {
  const file = 'open' in m ? m.open : 'write' in m ? m.write : m.finish
  try {
    if ('open' in m) files.set(m.open, openFile(m))
    else if ('write' in m) {
      files.get(m.write)!.write(m)
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
