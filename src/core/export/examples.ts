/**
 * Training examples from reviewed rows, in the shapes TRL's trainers read.
 *
 * DPO (preference): `prompt` = the messages up to and including the last user turn, `chosen` and
 * `rejected` = one assistant message each. SFT: `messages` = the whole conversation.
 */
import type { PickValue } from '../review/events'
import type { Row, SchemaKind } from '../records/types'
import { unitHash } from './split'
import type { ExclusionReason } from './types'

export interface Msg {
  content: string
  role: string
}

/** A message of an example and the row address its text came from (for length ratios). */
export interface SourcedMsg extends Msg {
  address: string
}

export interface DpoExample {
  prompt: SourcedMsg[]
  chosen: SourcedMsg
  rejected: SourcedMsg
  scoreChosen: number | null
  scoreRejected: number | null
  /** The order came from a reviewer (pick or resolution), not from the scores. */
  humanPick: boolean
  swapped: boolean
  /** Raw rows without a pick: chosen and rejected were drawn by H4's rule. */
  byRule: boolean
}

export interface SftExample {
  prompt: string
  messages: SourcedMsg[]
}

export type Built<T> = { ok: T } | { excluded: ExclusionReason }

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : null)

function messagesOf(row: Row, list: string): SourcedMsg[] | null {
  const v = row[list]
  if (!Array.isArray(v)) return null
  const out: SourcedMsg[] = []
  for (let i = 0; i < v.length; i++) {
    const m = v[i] as Row | null
    if (!m || typeof m.content !== 'string' || typeof m.role !== 'string') return null
    out.push({ content: m.content, role: m.role, address: `${list}/${i}/content` })
  }
  return out
}

/** TRL's conversational prompt: an optional system message, then user/assistant turns from user to user. */
export function promptShapeOk(prompt: readonly Msg[]): boolean {
  let i = prompt[0]?.role === 'system' ? 1 : 0
  if (i >= prompt.length) return false
  for (let k = 0; i < prompt.length; i++, k++) if (prompt[i].role !== (k % 2 === 0 ? 'user' : 'assistant')) return false
  return prompt[prompt.length - 1].role === 'user'
}

/** TRL's conversational SFT example: optional system, then user/assistant turns ending with the assistant. */
export function conversationShapeOk(messages: readonly Msg[]): boolean {
  const start = messages[0]?.role === 'system' ? 1 : 0
  if (messages.length - start < 2) return false
  for (let i = start, k = 0; i < messages.length; i++, k++) if (messages[i].role !== (k % 2 === 0 ? 'user' : 'assistant')) return false
  return messages[messages.length - 1].role === 'assistant'
}

const blank = (s: string) => s.trim().length === 0

function checkDpo(ex: DpoExample): Built<DpoExample> {
  if (!promptShapeOk(ex.prompt) || ex.chosen.role !== 'assistant' || ex.rejected.role !== 'assistant') return { excluded: 'bad-conversation' }
  if (ex.prompt.some((m) => blank(m.content)) || blank(ex.chosen.content) || blank(ex.rejected.content)) return { excluded: 'empty-text' }
  return { ok: ex }
}

function pickVerdict(pick: PickValue): Built<never> | null {
  if (pick.verdict === 'tie') return { excluded: 'pick-tie' }
  if (pick.verdict === 'unusable') return { excluded: 'pick-unusable' }
  return null
}

/**
 * A binarized row: the pair as stored, or swapped when the final pick is {chosen: 1, rejected: 0}.
 * The prompt is chosen's conversation without its last turn (H4 stores the same prompt in rejected).
 */
export function dpoFromBinarized(row: Row, pick: PickValue | null): Built<DpoExample> {
  if (pick) {
    const v = pickVerdict(pick)
    if (v) return v
    const ok = (pick.chosen === 0 && pick.rejected === 1) || (pick.chosen === 1 && pick.rejected === 0)
    if (!ok) return { excluded: 'pick-invalid' }
  }
  const chosen = messagesOf(row, 'chosen')
  const rejected = messagesOf(row, 'rejected')
  if (!chosen || !rejected || chosen.length < 2 || rejected.length < 2) return { excluded: 'bad-conversation' }
  const swapped = pick?.chosen === 1
  const a = chosen[chosen.length - 1]
  const b = rejected[rejected.length - 1]
  const sa = num(row.score_chosen)
  const sb = num(row.score_rejected)
  return checkDpo({
    prompt: chosen.slice(0, -1),
    chosen: swapped ? b : a,
    rejected: swapped ? a : b,
    scoreChosen: swapped ? sb : sa,
    scoreRejected: swapped ? sa : sb,
    humanPick: pick !== null,
    swapped,
    byRule: false,
  })
}

/**
 * A raw UltraFeedback row: the reviewer's pick by completion index, or H4's rule when nobody picked:
 * the completion with the best overall_score is chosen, one of the others (all scored lower) is rejected
 * at random, seeded per record. Several completions sharing the best score are a tie and skipped.
 */
export function dpoFromRaw(row: Row, pick: PickValue | null, promptId: string, seed: number): Built<DpoExample> {
  const completions = Array.isArray(row.completions) ? (row.completions as (Row | null)[]) : []
  const instruction = typeof row.instruction === 'string' ? row.instruction : null
  if (instruction === null) return { excluded: 'bad-conversation' }
  const response = (i: number) => {
    const r = completions[i]?.response
    return typeof r === 'string' ? r : null
  }
  const score = (i: number) => num(completions[i]?.overall_score)
  let ci: number
  let ri: number
  let byRule = false
  if (pick) {
    const v = pickVerdict(pick)
    if (v) return v
    ci = pick.chosen!
    ri = pick.rejected!
    if (response(ci) === null || response(ri) === null) return { excluded: 'pick-invalid' }
  } else {
    const scored = completions.map((_, i) => i).filter((i) => response(i) !== null && score(i) !== null)
    if (scored.length < 2) return { excluded: 'no-rejected-candidate' }
    const best = Math.max(...scored.map((i) => score(i)!))
    const top = scored.filter((i) => score(i) === best)
    if (top.length > 1) return { excluded: 'tie-best-score' }
    const others = scored.filter((i) => score(i)! < best)
    ci = top[0]
    ri = others[Math.floor(unitHash(seed, 'h4-rejected', promptId) * others.length)]
    byRule = true
  }
  const msg = (i: number): SourcedMsg => ({ content: response(i)!, role: 'assistant', address: `completions/${i}/response` })
  return checkDpo({
    prompt: [{ content: instruction, role: 'user', address: 'instruction' }],
    chosen: msg(ci),
    rejected: msg(ri),
    scoreChosen: score(ci),
    scoreRejected: score(ri),
    humanPick: pick !== null,
    swapped: false,
    byRule,
  })
}

/** An UltraChat (or plain `messages`) row as an SFT conversation. */
export function sftFromRow(row: Row, kind: SchemaKind): Built<SftExample> {
  const messages = messagesOf(row, 'messages')
  if (!messages || !conversationShapeOk(messages)) return { excluded: 'bad-conversation' }
  if (messages.some((m) => blank(m.content))) return { excluded: 'empty-text' }
  const firstUser = messages.find((m) => m.role === 'user')!
  const prompt = kind === 'ultrachat' && typeof row.prompt === 'string' ? row.prompt : firstUser.content
  if (blank(prompt)) return { excluded: 'empty-text' }
  return { ok: { prompt, messages } }
}
