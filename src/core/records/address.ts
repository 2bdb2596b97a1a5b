import type { Row, SchemaKind } from './types'

/**
 * A translatable text of a record and its stable address, e.g. `prompt`, `messages/3/content`,
 * `chosen/1/content`, `completions/2/response`. Translation, QA, review and export all refer to texts by it.
 */
export interface TextUnit {
  address: string
  text: string
  /** Speaker role for message texts; undefined for prompts, instructions and completions. */
  role?: string
  /** Pairing mode (b): the English text stored next to the translation. */
  original?: string
}

const MESSAGE_LISTS: Record<SchemaKind, readonly string[]> = {
  ultrachat: ['messages'],
  'ultrafeedback-binarized': ['chosen', 'rejected', 'messages'],
  'ultrafeedback-raw': [],
  messages: ['messages'],
}

/** Every translatable text of a row, in document order. Non-string values are skipped, not invented. */
export function textUnits(row: Row, kind: SchemaKind): TextUnit[] {
  const units: TextUnit[] = []
  const push = (address: string, text: unknown, role?: string, original?: unknown) => {
    if (typeof text !== 'string') return
    const u: TextUnit = { address, text }
    if (role !== undefined) u.role = role
    if (typeof original === 'string') u.original = original
    units.push(u)
  }
  if (kind === 'ultrafeedback-raw') {
    push('instruction', row.instruction, undefined, row.instruction_original)
    const completions = Array.isArray(row.completions) ? row.completions : []
    completions.forEach((c, i) => {
      const cc = (c ?? {}) as Record<string, unknown>
      push(`completions/${i}/response`, cc.response, undefined, cc.original)
    })
    return units
  }
  if (kind !== 'messages') push('prompt', row.prompt)
  for (const list of MESSAGE_LISTS[kind]) {
    const msgs = Array.isArray(row[list]) ? (row[list] as unknown[]) : []
    msgs.forEach((m, i) => {
      const mm = (m ?? {}) as Record<string, unknown>
      push(`${list}/${i}/content`, mm.content, typeof mm.role === 'string' ? mm.role : undefined, mm.original)
    })
  }
  return units
}

function walk(row: Row, address: string): { parent: Record<string, unknown> | unknown[]; key: string | number } | undefined {
  const parts = address.split('/')
  let cur: unknown = row
  for (let i = 0; i < parts.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return undefined
    const p = Array.isArray(cur) ? Number(parts[i]) : parts[i]
    cur = (cur as Record<string | number, unknown>)[p]
  }
  if (cur === null || typeof cur !== 'object') return undefined
  const last = parts[parts.length - 1]
  return { parent: cur as Record<string, unknown>, key: Array.isArray(cur) ? Number(last) : last }
}

/** The text at an address, or undefined when the row has none there. */
export function textAt(row: Row, address: string): string | undefined {
  const w = walk(row, address)
  if (!w) return undefined
  const v = (w.parent as Record<string | number, unknown>)[w.key]
  return typeof v === 'string' ? v : undefined
}

/** Returns a copy of the row with the text at `address` replaced. Throws if the address does not exist. */
export function withTextAt(row: Row, address: string, text: string): Row {
  const copy = structuredClone(row)
  const w = walk(copy, address)
  if (!w || typeof (w.parent as Record<string | number, unknown>)[w.key] !== 'string') {
    throw new Error(`no text at address "${address}"`)
  }
  ;(w.parent as Record<string | number, unknown>)[w.key] = text
  return copy
}
