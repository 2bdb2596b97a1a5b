/**
 * Reviewers' corrections applied to a translated row. H4's datasets store some texts more than once
 * (binarized: `prompt`, `chosen[i]`, `rejected[i]` and `messages[i]` of the prompt turns; UltraChat:
 * `prompt` and the first user message), and a reviewer edits whichever copy they were looking at. Copies
 * that held the same text are one text here: the latest edit of any copy is applied to all of them.
 */
import { textAt, withTextAt } from '../records/address'
import type { Row, SchemaKind } from '../records/types'

/** What an edit needs here (the review state's EditEvent has it). */
export interface EditLike {
  text: string
  ts: string
  id: string
}

export interface EditResult {
  row: Row
  /** Addresses whose text changed. */
  changed: string[]
  /** Edited addresses the row does not have (the edit is ignored). */
  missing: string[]
}

const msgs = (row: Row, list: string): Row[] => (Array.isArray(row[list]) ? (row[list] as Row[]) : [])
const content = (list: string, i: number) => `${list}/${i}/content`

/** Groups of addresses that hold one text in H4's layouts; singletons are left out. */
function aliasGroups(row: Row, kind: SchemaKind): string[][] {
  const groups: string[][] = []
  const firstUser = (list: string) => msgs(row, list).findIndex((m) => m && m.role === 'user')
  if (kind === 'ultrachat') {
    const u = firstUser('messages')
    if (u >= 0) groups.push(['prompt', content('messages', u)])
  } else if (kind === 'ultrafeedback-binarized') {
    const chosen = msgs(row, 'chosen')
    const rejected = msgs(row, 'rejected')
    const u = firstUser('chosen')
    // Prompt turns: every message before the last one of chosen/rejected.
    const turns = Math.max(chosen.length, rejected.length) - 1
    for (let i = 0; i < turns; i++) {
      const g = [content('chosen', i), content('rejected', i), content('messages', i)]
      if (i === u) g.unshift('prompt')
      groups.push(g)
    }
    // H4's `messages` is the chosen conversation, so its last turn is the chosen answer.
    if (chosen.length) groups.push([content('chosen', chosen.length - 1), content('messages', chosen.length - 1)])
  }
  // Only copies that really hold the same text are joined; a differing copy keeps its own edits.
  return groups.map((g) => {
    const present = g.filter((a) => textAt(row, a) !== undefined)
    const lead = present[0]
    return lead === undefined ? [] : present.filter((a) => textAt(row, a) === textAt(row, lead))
  })
}

// By instant, then by event id, so the choice never depends on the order edits were read in.
function later(a: EditLike, b: EditLike | undefined): boolean {
  if (!b) return true
  const ta = Date.parse(a.ts)
  const tb = Date.parse(b.ts)
  return ta !== tb ? ta > tb : a.id > b.id
}

export function applyEdits(row: Row, kind: SchemaKind, edits: ReadonlyMap<string, EditLike>): EditResult {
  if (edits.size === 0) return { row, changed: [], missing: [] }
  const groupOf = new Map<string, string[]>()
  for (const g of aliasGroups(row, kind)) if (g.length > 1) for (const a of g) groupOf.set(a, g)
  const plan = new Map<string, EditLike>()
  const missing: string[] = []
  for (const [address, edit] of edits) {
    if (textAt(row, address) === undefined) {
      missing.push(address)
      continue
    }
    for (const a of groupOf.get(address) ?? [address]) if (later(edit, plan.get(a))) plan.set(a, edit)
  }
  let out = row
  const changed: string[] = []
  for (const [address, edit] of [...plan].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    if (textAt(out, address) === edit.text) continue
    if (out === row) out = structuredClone(row)
    out = withTextAtInPlace(out, address, edit.text)
    changed.push(address)
  }
  return { row: out, changed, missing }
}

// withTextAt copies the whole row per call; the row here is already our own copy.
function withTextAtInPlace(row: Row, address: string, text: string): Row {
  const parts = address.split('/')
  let cur: unknown = row
  for (let i = 0; i < parts.length - 1; i++) cur = (cur as Record<string, unknown>)[Array.isArray(cur) ? Number(parts[i]) : parts[i]]
  if (cur === null || typeof cur !== 'object') return withTextAt(row, address, text)
  const last = parts[parts.length - 1]
  ;(cur as Record<string | number, unknown>)[Array.isArray(cur) ? Number(last) : last] = text
  return row
}
