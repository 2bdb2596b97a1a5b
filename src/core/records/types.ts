/** Shapes of the Hugging Face datasets Phoenix works on, and of a shard as the rest of the core sees it. */

export type ShardFormat = 'jsonl' | 'parquet'

/** Schema kinds, named after the datasets they come from. */
export type SchemaKind = 'ultrachat' | 'ultrafeedback-binarized' | 'ultrafeedback-raw' | 'messages'

export interface Message {
  role: string
  content: string
  /** Pairing mode (b): the English text kept next to its translation in the same message. */
  original?: string
}

/** HuggingFaceH4/ultrachat_200k */
export interface UltraChatRow {
  prompt: string
  prompt_id: string
  messages: Message[]
}

/** HuggingFaceH4/ultrafeedback_binarized */
export interface UltraFeedbackBinarizedRow {
  prompt: string
  prompt_id: string
  chosen: Message[]
  rejected: Message[]
  messages: Message[]
  score_chosen: number
  score_rejected: number
}

export interface UltraFeedbackCompletion {
  model: string
  response: string
  annotations: Record<string, unknown>
  'fine-grained_score': number
  overall_score: number
  custom_system_prompt?: string
  principle?: string
  critique?: string
  /** Pairing mode (b) for raw rows. */
  original?: string
}

/** openbmb/UltraFeedback (no id column: prompt_id is derived as sha256 hex of the instruction). */
export interface UltraFeedbackRawRow {
  source?: string
  instruction: string
  models: string[]
  completions: UltraFeedbackCompletion[]
  correct_answers?: string[]
  incorrect_answers?: string[]
  /** Pairing mode (b) for raw rows: the English instruction. */
  instruction_original?: string
}

/** A decoded row. Readers return plain JSON-like objects; schema code narrows them. */
export type Row = Record<string, unknown>

/** A problem with one row. JSONL rows carry their 1-based line, parquet rows their 0-based row index. */
export interface RowError {
  line?: number
  row?: number
  message: string
}

export interface RowResult {
  /** 0-based position among the shard's rows (blank JSONL lines are not rows). */
  index: number
  row?: Row
  error?: RowError
}

/** An opened shard file with random access to its rows. */
export interface Shard {
  readonly path: string
  readonly format: ShardFormat
  readonly rowCount: number
  /** Read one row; resolves to an error entry instead of throwing for a malformed row. */
  read(index: number): Promise<RowResult>
  /** Stream rows in order, [start, end). Bounded memory: at most one batch decoded at a time. */
  rows(start?: number, end?: number): AsyncIterable<RowResult>
  close(): Promise<void>
}

/** The shard could not be read at all (missing, not a shard, corrupt footer): exit code 2 territory. */
export class ShardOpenError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`)
    this.name = 'ShardOpenError'
  }
}
