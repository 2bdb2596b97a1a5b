import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import type { ExportOptions } from '../../../src/core/export/types'
import { newEvent, type ReviewEventBody } from '../../../src/core/review/events'
import { Journal, journalPath, shardIdentity } from '../../../src/core/review/journal'

/** A whole millisecond, so that setting a file's time to it again restores it exactly. */
export const STAMP_TIME = new Date(Date.UTC(2026, 0, 1))

/** Sets a file's time to STAMP_TIME, or `later` ms after it (a new stamp). */
export function setStampTime(path: string, later = 0): void {
  utimesSync(path, STAMP_TIME, new Date(STAMP_TIME.getTime() + later))
}

/**
 * Rewrites a file in place with text of the same size and sets its time back to STAMP_TIME (it must have
 * that time already): size, time and inode stay what they were, only the contents differ.
 */
export function rewriteKeepingStamp(path: string, text: string): void {
  const before = statSync(path)
  writeFileSync(path, text)
  utimesSync(path, STAMP_TIME, STAMP_TIME)
  const after = statSync(path)
  assert.deepEqual([after.size, after.mtimeMs, after.ino], [before.size, before.mtimeMs, before.ino], `${path}: the rewrite kept its stamp`)
}

export interface Workspace {
  dir: string
  /** Writes rows (objects or raw lines) as a JSONL file inside the workspace. */
  jsonl(name: string, rows: (object | string)[]): string
  /** Appends review events to a reviewer's journal of `shard`, each at minute `m` of a fixed day. */
  review(shard: string, reviewer: string, events: [promptId: string, body: ReviewEventBody, minute: number][]): Promise<void>
  cleanup(): void
}

export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-'))
  return {
    dir,
    jsonl(name, rows) {
      const p = join(dir, name)
      mkdirSync(join(p, '..'), { recursive: true })
      writeFileSync(p, rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n')
      return p
    },
    async review(shard, reviewer, events) {
      const j = await Journal.open(journalPath(dir, shard, reviewer))
      try {
        const ctx = { reviewer, shard: shardIdentity(dir, shard) }
        for (const [id, body, m] of events) await j.append(newEvent(ctx, id, body, new Date(Date.UTC(2025, 0, 1, 0, m))))
      } finally {
        await j.close()
      }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

export const msg = (role: string, content: string) => ({ role, content })

/** An ultrafeedback_binarized row; `lang` tags texts so tests see which side a text came from. */
export function binarized(id: string, lang: 'en' | 'de', scores: [number, number] = [8, 4]) {
  const prompt = lang === 'en' ? `Question ${id}?` : `Frage ${id}?`
  const chosen = lang === 'en' ? `Good answer ${id}.` : `Gute Antwort ${id}.`
  const rejected = lang === 'en' ? `Bad answer ${id}.` : `Schlechte Antwort ${id}.`
  return {
    prompt,
    prompt_id: id,
    chosen: [msg('user', prompt), msg('assistant', chosen)],
    rejected: [msg('user', prompt), msg('assistant', rejected)],
    messages: [msg('user', prompt), msg('assistant', chosen)],
    score_chosen: scores[0],
    score_rejected: scores[1],
  }
}

export function rawRow(instruction: string, lang: 'en' | 'de', scores: number[], promptId?: string) {
  return {
    source: 'test',
    instruction,
    ...(promptId ? { prompt_id: promptId } : {}),
    models: scores.map((_, i) => `m${i}`),
    completions: scores.map((s, i) => ({
      model: `m${i}`,
      response: lang === 'en' ? `Response ${i} to ${instruction}` : `Antwort ${i} auf ${instruction}`,
      annotations: {},
      'fine-grained_score': s,
      overall_score: s,
    })),
  }
}

export function baseOptions(ws: Workspace, over: Partial<ExportOptions> & Pick<ExportOptions, 'target' | 'out' | 'kind'>): ExportOptions {
  return {
    format: 'parquet',
    dpoFormat: 'conversational',
    workspace: ws.dir,
    seed: 42,
    testSize: 0.1,
    approvedOnly: false,
    maxSeverity: 'critical',
    expectedRatio: 1.2,
    sourceLang: 'en',
    targetLang: 'de',
    license: 'other',
    ...over,
  }
}

/** sha256 of every file under a folder, by relative path. */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex')
    }
  }
  walk(dir)
  return out
}

type Conn = { runAndReadAll(sql: string): Promise<{ getRowObjectsJson(): Record<string, unknown>[] }> }
let conn: Promise<Conn> | undefined

/** DuckDB, as an independent reader of what we wrote. */
export function duck(): Promise<Conn> {
  conn ??= (async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api')
    const db = await DuckDBInstance.create(':memory:')
    return (await db.connect()) as unknown as Conn
  })()
  return conn
}

export async function sql(query: string): Promise<Record<string, unknown>[]> {
  return (await (await duck()).runAndReadAll(query)).getRowObjectsJson()
}

type M = { role: string; content: string }

/** TRL's conversational DPO format with an explicit prompt; returns the problem or null. */
export function trlDpoProblem(row: { prompt: M[]; chosen: M[]; rejected: M[] }): string | null {
  const p = row.prompt
  if (!Array.isArray(p) || p.length === 0) return 'prompt is not a non-empty list'
  const start = p[0].role === 'system' ? 1 : 0
  for (let i = start; i < p.length; i++) if (p[i].role !== ((i - start) % 2 === 0 ? 'user' : 'assistant')) return `prompt role ${i} is ${p[i].role}`
  if (p[p.length - 1].role !== 'user') return 'prompt does not end with a user turn'
  for (const k of ['chosen', 'rejected'] as const) {
    const c = row[k]
    if (!Array.isArray(c) || c.length !== 1 || c[0].role !== 'assistant' || typeof c[0].content !== 'string') return `${k} is not one assistant message`
  }
  for (const m of [...p, ...row.chosen, ...row.rejected]) if (Object.keys(m).sort().join() !== 'content,role') return 'message has other keys than content, role'
  return null
}
