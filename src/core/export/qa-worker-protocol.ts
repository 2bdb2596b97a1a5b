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

/** Records to judge: the English row's index and the translated texts as they will be exported (packed). */
export interface QaWorkerRequest {
  id: number
  items: [englishIndex: number, target: PackedUnits][]
}

/**
 * A record's translated texts as they cross to the worker: address, text, address, text … with a text that
 * an earlier unit of the record already has sent as that unit's position. Preference rows repeat their texts
 * (the prompt four times, the chosen answer twice): sent once each, the export benchmark's 62k records copy
 * 108 MB instead of 225, in ~0.5 CPU-s instead of ~1.3 (serialize and deserialize). Roles stay behind: the
 * pairs take the English side's.
 */
export type PackedUnits = (string | number)[]

export function packUnits(units: readonly TextUnit[]): PackedUnits {
  const out: PackedUnits = []
  for (let i = 0; i < units.length; i++) {
    const text = units[i].text
    let j = 0
    while (j < i && units[j].text !== text) j++
    out.push(units[i].address, j < i ? j : text)
  }
  return out
}

export function unpackUnits(packed: PackedUnits): TextUnit[] {
  const units: TextUnit[] = []
  for (let k = 0; k < packed.length; k += 2) {
    const text = packed[k + 1]
    units.push({ address: packed[k] as string, text: typeof text === 'number' ? units[text].text : text })
  }
  return units
}

export type QaWorkerReply =
  /** Started; the language identifier it loaded (null: none asked for). */
  | { ready: string | null }
  | { id: number; hits: (QaHit[] | null)[] }
  | { id: number; error: string }
  /** It could not start. */
  | { error: string }
