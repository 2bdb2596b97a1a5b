/** Messages between the export's sinks (sinks.ts) and its writer worker thread (writer-worker.ts). */
import type { ExportFormat } from './types'
import type { Fields } from './output-files'

export type WriterWorkerRequest =
  /** A new file on `fd` (opened by the export, which fsyncs and closes it after `finished`). */
  | { open: number; format: ExportFormat; fd: number; fields: Fields; kvMetadata: Record<string, string> }
  /** Rows in output order; for parquet, one row group. */
  | { write: number; rows: Record<string, unknown>[] }
  | { finish: number }

export type WriterWorkerReply =
  | { ready: true }
  | { written: number }
  | { finished: number }
  /** A file could not be written (`file` undefined: the worker could not start). */
  | { error: string; file?: number }
