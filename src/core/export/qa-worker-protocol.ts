/** Messages between the export and its QA worker (qa-worker.ts, qa-worker-client.ts). */
import type { QaConfig } from '../qa/config'
import type { TextUnit } from '../records/address'
import type { SchemaKind } from '../records/types'
import type { Severity } from '../review/events'
import type { QaHit } from './qa-flags'

export interface QaWorkerInit {
  englishPath: string
  kind: SchemaKind
  engineConfig: QaConfig
  limit: Severity | undefined
  /** Load fastText (else the stopword detector), as the export's own gate did. */
  languageId: boolean
}

/** Records to judge: the English row's index and the translated texts as they will be exported. */
export interface QaWorkerRequest {
  id: number
  items: [englishIndex: number, target: TextUnit[]][]
}

export type QaWorkerReply =
  /** Started; the language identifier it loaded (null: none asked for). */
  | { ready: string | null }
  | { id: number; hits: (QaHit[] | null)[] }
  | { id: number; error: string }
  /** It could not start. */
  | { error: string }
