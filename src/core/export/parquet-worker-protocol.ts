/** Messages between the export's sinks (sinks.ts) and its parquet worker thread (parquet-worker.ts). */
import type { Columns, Fields } from './parquet-file'

export type ParquetWorkerRequest =
  /** A new file on `fd` (opened by the export, which fsyncs and closes it after `finished`). */
  | { open: number; fd: number; fields: Fields; kvMetadata: Record<string, string> }
  | { write: number; columns: Columns }
  | { finish: number }

export type ParquetWorkerReply =
  | { ready: true }
  | { written: number }
  | { finished: number }
  /** A file could not be written (`file` undefined: the worker could not start). */
  | { error: string; file?: number }
