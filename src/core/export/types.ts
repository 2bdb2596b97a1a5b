/** Options, reasons and the report of an export (see export.ts for the flow, DESIGN in the dataset card). */
import type { Severity } from '../review/events'
import type { AcceptanceCriterion } from '../estimate/estimate'
import type { SchemaKind } from '../records/types'
import type { SimilarityProvider } from '../qa/types'

export type ExportKind = 'dpo' | 'sft'
export type ExportFormat = 'parquet' | 'jsonl'
/** TRL's two DPO layouts: message lists with an explicit prompt, or plain strings. */
export type DpoFormat = 'conversational' | 'string'

/**
 * Why a record was left out. Each excluded record counts under exactly one reason: the first that
 * applies, in this order (structure, then review decisions, then the pair, then the shape TRL needs,
 * then the quality filters).
 */
export const EXCLUSION_REASONS = [
  'invalid-row',
  'duplicate-prompt-id',
  'missing-source',
  'missing-translation',
  'not-approved',
  'approval-conflict',
  'flag-severity',
  'pick-conflict',
  'pick-tie',
  'pick-unusable',
  'pick-invalid',
  'tie-best-score',
  'no-rejected-candidate',
  'bad-conversation',
  'empty-text',
  'multi-turn-prompt',
  'min-similarity',
  'length-ratio',
  'min-margin',
] as const
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number]

export const EXCLUSION_HELP: Record<ExclusionReason, string> = {
  'invalid-row': 'row unreadable or not of the shard schema',
  'duplicate-prompt-id': 'a second row with a prompt_id already exported (the first wins)',
  'missing-source': 'translated row without its English source row (two-shard mode)',
  'missing-translation': 'English source row without a translated row (two-shard mode)',
  'not-approved': '--approved-only and the record is not approved',
  'approval-conflict': '--approved-only and reviewers disagree on approval without a resolution',
  'flag-severity': 'an unresolved flag at or above --max-severity',
  'pick-conflict': 'reviewers picked differently and nobody resolved it',
  'pick-tie': 'the pick (or resolution) says tie',
  'pick-unusable': 'the pick (or resolution) says unusable',
  'pick-invalid': 'the pick names a completion the row does not have',
  'tie-best-score': 'no pick and several completions share the best overall_score (H4 skips ties)',
  'no-rejected-candidate': 'no pick and no other scored completion to reject',
  'bad-conversation': 'roles do not give the shape TRL needs',
  'empty-text': 'a text of the example is empty',
  'multi-turn-prompt': '--dpo-format string cannot hold a prompt of several messages',
  'min-similarity': 'similarity below --min-similarity',
  'length-ratio': 'target/source length ratio deviates more than --max-ratio-deviation',
  'min-margin': 'score margin below --min-margin',
}

export interface ExportOptions {
  /** The English shard in two-shard mode (a); absent for one shard (mode b or translation only). */
  source?: string
  /** The translated shard (or the one shard with `original` fields). */
  target: string
  kind: ExportKind
  format: ExportFormat
  dpoFormat: DpoFormat
  out: string
  /** Root of `.phoenix/journal`. */
  workspace: string
  seed: number
  /** Share of records (by hash) that go to the test split; 0 writes no test split. */
  testSize: number
  approvedOnly: boolean
  /** Exclude records with an unresolved flag at or above this severity; null: no flag filter. */
  maxSeverity: Severity | null
  /**
   * Which automatic QA flags are unresolved: every flag the QA engine raises on the current texts that no
   * reviewer dismissed (default), or only flags a reviewer confirmed (no engine run). See qa-flags.ts.
   */
  qaFlags?: 'not-dismissed' | 'confirmed'
  minSimilarity?: number
  maxRatioDeviation?: number
  /** The target/source character ratio expected for a good translation (German from English: 1.2). */
  expectedRatio: number
  minMargin?: number
  engine?: string
  model?: string
  sourceLang: string
  targetLang: string
  license: string
  /**
   * Similarity of a record's translation to its source, where one is known (e.g. the QA engine's
   * embedding check). Without it `minSimilarity` is reported as not applied.
   */
  similarity?: (promptId: string) => number | undefined
  /**
   * Embeds the texts of records a reviewer corrected, whose stored similarity no longer describes them
   * (the same model `similarity` came from). Without it such records keep the stored translation's value
   * and the manifest counts them.
   */
  similarityProvider?: SimilarityProvider
  /**
   * Run the QA engine on a worker thread when nothing is cached: true / false force it; by default only
   * for translations of 16 MB and more (a worker takes a moment to start).
   */
  qaWorker?: boolean
  /**
   * Write the data files (parquet encoding, JSON lines) on a worker thread while this one reads and filters; undefined: for
   * translations of 16 MB and more. The bytes written are the same either way.
   */
  writerWorker?: boolean
  rowGroupSize?: number
  /** Called every 1,000 rows of the translation read (and once at the end) with the rows read and written. */
  onProgress?: (p: { read: number; written: number }) => void
  /** Aborting stops the export at the next row: nothing is written and a previous set stays as it was. */
  signal?: AbortSignal
  /** Shard acceptance rule for the sample-based quality estimate in the manifest (default: major < 5% at 95%). */
  acceptance?: AcceptanceCriterion
}

export type ExportMode = 'paired-shards' | 'original-fields' | 'translation-only'

export interface FilterReport {
  approvedOnly: boolean
  maxSeverity: Severity | null
  qaFlags: {
    mode: 'not-dismissed' | 'confirmed' | 'off'
    note?: string
    configFile?: string
    languageId?: string
    /** The checks the engine ran: those whose flags can reach the severity limit, and those that explain others. */
    checks?: string[]
    records: number
    /** Flags at or above the severity limit (the only ones that can exclude a record). */
    flags: number
    dismissed: number
  }
  minSimilarity: {
    threshold: number | null
    applied: boolean
    note?: string
    withoutValue: number
    /** Corrected records whose corrected texts were embedded. */
    correctedRemeasured: number
    /** Corrected records judged on their stored translation's similarity (no embedding provider given). */
    correctedJudgedOnStoredTranslation: number
  }
  lengthRatio: { expected: number; maxDeviation: number | null; applied: boolean; note?: string; notComputable: number }
  minMargin: { threshold: number | null; applied: boolean; exemptHumanPicks: number; notComputable: number }
}

export interface ExportReport {
  out: string
  kind: ExportKind
  schema: SchemaKind
  mode: ExportMode
  format: ExportFormat
  dpoFormat: DpoFormat | null
  seed: number
  testSize: number
  rows: { read: number; written: number; train: number; test: number }
  excluded: Record<ExclusionReason, number>
  excludedTotal: number
  filters: FilterReport
  /** Counts that explain the output without excluding anything (swaps, edits applied, H4 picks …). */
  stats: Record<string, number>
  /** Records the QA engine judged on its worker thread (how, not what: kept out of the manifest). */
  qaOnWorker: number
  /** Whether the English side's ids and lengths came from the previous export's cache (how, not what). */
  englishFromCache: boolean
  /** Whether the data files were written by the writer worker thread (how, not what). */
  writtenOnWorker: boolean
  /** First problems met (bad rows, edits that point nowhere), for the user to look at. */
  warnings: string[]
  files: string[]
}

/** A user-fixable problem with the arguments or inputs: the CLI prints it and exits 2. */
export class ExportArgumentError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ExportArgumentError'
  }
}

/** The export was stopped through its `signal`. */
export class ExportCancelled extends Error {
  constructor() {
    super('export cancelled; nothing was written')
    this.name = 'ExportCancelled'
  }
}
