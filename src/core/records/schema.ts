import { createHash } from 'node:crypto'
import type { Row, SchemaKind } from './types'

/** Fields that identify each kind. Order matters: the most specific kinds are tried first. */
const SIGNATURES: ReadonlyArray<{ kind: SchemaKind; fields: readonly string[] }> = [
  { kind: 'ultrafeedback-binarized', fields: ['prompt', 'prompt_id', 'chosen', 'rejected', 'messages', 'score_chosen', 'score_rejected'] },
  { kind: 'ultrafeedback-raw', fields: ['instruction', 'models', 'completions'] },
  { kind: 'ultrachat', fields: ['prompt', 'prompt_id', 'messages'] },
  { kind: 'messages', fields: ['messages'] },
]

export const SCHEMA_FIELDS: Record<SchemaKind, readonly string[]> = Object.fromEntries(
  SIGNATURES.map((s) => [s.kind, s.fields]),
) as Record<SchemaKind, readonly string[]>

export class UnknownSchemaError extends Error {
  constructor(readonly fields: string[]) {
    super(
      `unknown record shape: found fields [${fields.join(', ')}]; expected one of ` +
        SIGNATURES.map((s) => `${s.kind} (${s.fields.join(', ')})`).join('; '),
    )
    this.name = 'UnknownSchemaError'
  }
}

/** Detects the kind from a set of field names (a parquet schema or the keys of the first rows). */
export function detectKindFromFields(fields: Iterable<string>): SchemaKind {
  const have = new Set(fields)
  for (const s of SIGNATURES) if (s.fields.every((f) => have.has(f))) return s.kind
  throw new UnknownSchemaError([...have])
}

export function detectKind(row: Row): SchemaKind {
  return detectKindFromFields(Object.keys(row))
}

/** sha256 hex of the prompt text, the way HuggingFaceH4 derives prompt_id for UltraFeedback. */
export function promptIdOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** The prompt_id of a row of any kind (raw UltraFeedback rows derive it from the English instruction). */
export function rowPromptId(row: Row, kind: SchemaKind): string | undefined {
  if (kind === 'ultrafeedback-raw') {
    // A translated raw row cannot rehash its (German) instruction: it keeps the English id or text.
    if (typeof row.prompt_id === 'string') return row.prompt_id
    const instr = row.instruction_original ?? row.instruction
    return typeof instr === 'string' ? promptIdOf(instr) : undefined
  }
  if (typeof row.prompt_id === 'string') return row.prompt_id
  if (typeof row.prompt === 'string') return promptIdOf(row.prompt)
  return undefined
}

/**
 * Checks a row against its kind and returns a list of problems (empty when the row is well formed).
 * Messages are problems, not exceptions: one bad row never stops a shard from loading.
 */
export function validateRow(row: Row, kind: SchemaKind): string[] {
  const problems: string[] = []
  const str = (k: string) => {
    if (typeof row[k] !== 'string') problems.push(`field "${k}" should be a string, found ${describe(row[k])}`)
  }
  const num = (k: string) => {
    if (typeof row[k] !== 'number' && typeof row[k] !== 'bigint') problems.push(`field "${k}" should be a number, found ${describe(row[k])}`)
  }
  const messages = (k: string) => {
    const v = row[k]
    if (!Array.isArray(v)) {
      problems.push(`field "${k}" should be a list of {role, content}, found ${describe(v)}`)
      return
    }
    v.forEach((m, i) => {
      if (!m || typeof m !== 'object') problems.push(`${k}/${i} should be an object {role, content}, found ${describe(m)}`)
      else {
        const mm = m as Record<string, unknown>
        if (typeof mm.role !== 'string') problems.push(`${k}/${i}/role should be a string, found ${describe(mm.role)}`)
        if (typeof mm.content !== 'string') problems.push(`${k}/${i}/content should be a string, found ${describe(mm.content)}`)
      }
    })
  }
  for (const f of SCHEMA_FIELDS[kind]) if (!(f in row)) problems.push(`missing field "${f}" required by ${kind}`)
  if (problems.length) return problems
  switch (kind) {
    case 'ultrachat':
      str('prompt'), str('prompt_id'), messages('messages')
      break
    case 'ultrafeedback-binarized':
      str('prompt'), str('prompt_id'), messages('chosen'), messages('rejected'), messages('messages')
      num('score_chosen'), num('score_rejected')
      break
    case 'ultrafeedback-raw': {
      str('instruction')
      if (!Array.isArray(row.models)) problems.push(`field "models" should be a list of strings, found ${describe(row.models)}`)
      const c = row.completions
      if (!Array.isArray(c)) problems.push(`field "completions" should be a list, found ${describe(c)}`)
      else
        c.forEach((x, i) => {
          const cc = (x ?? {}) as Record<string, unknown>
          if (typeof cc.response !== 'string') problems.push(`completions/${i}/response should be a string, found ${describe(cc.response)}`)
        })
      break
    }
    case 'messages':
      messages('messages')
      break
  }
  return problems
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'a list'
  return `a ${typeof v}`
}
