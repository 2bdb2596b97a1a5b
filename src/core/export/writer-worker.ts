/**
 * The export's writer worker thread: turns batches of output rows into parquet row groups (encoded and
 * compressed) or JSON lines and writes them to the files the export opened, while the export's thread
 * reads, filters and builds the next rows. Started by sinks.ts through worker-spawn.ts; messages in
 * writer-worker-protocol.ts.
 */
import { parentPort } from 'node:worker_threads'
import { columnsOf, JsonlFile, ParquetFile, type Fields } from './output-files'
import { unpackRows, type WriterWorkerReply, type WriterWorkerRequest } from './writer-worker-protocol'

interface OpenFile {
  write(rows: Record<string, unknown>[]): void
  finish(): void
  /** A parquet file's columns, which its packed rows are read by. */
  fields?: Fields
}

function openFile(m: Extract<WriterWorkerRequest, { open: number }>): OpenFile {
  if (m.format === 'jsonl') {
    const file = new JsonlFile(m.fd)
    return { write: (rows) => rows.forEach((r) => file.add(r)), finish: () => file.finish() }
  }
  const file = new ParquetFile(m.fd, m.fields, m.kvMetadata)
  return { write: (rows) => file.writeGroup(columnsOf(m.fields, rows)), finish: () => file.finish(), fields: m.fields }
}

const port = parentPort!
const files = new Map<number, OpenFile>()
const reply = (m: WriterWorkerReply) => port.postMessage(m)

port.on('message', (m: WriterWorkerRequest) => {
  const file = 'open' in m ? m.open : 'write' in m ? m.write : m.finish
  try {
    if ('open' in m) files.set(m.open, openFile(m))
    else if ('write' in m) {
      const f = files.get(m.write)!
      f.write('packed' in m ? unpackRows(f.fields!, m.packed) : m.rows)
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
