/**
 * Precision/recall of the rule checks on a labeled JSONL set. Each line:
 * `{"id", "source", "target", "expect": ["<check>", ...], "config"?: {<check>: {options}}, "note"?}`;
 * `expect: []` marks a near-miss that must not flag. Scoring is per (pair, check): a check that flags a pair
 * counts once however many flags it gives. Run standalone: `npx tsx src/core/qa/evaluate.ts [file.jsonl]`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseQaConfig } from './config'
import { runQa } from './engine'
import { loadLanguageId, stopwordLanguageId } from './langid'
import { CHECK_NAMES, type CheckName, type Flag, type LanguageIdentifier } from './types'

export interface LabeledPair {
  id: string
  source: string
  target: string
  expect: CheckName[]
  config?: Record<string, unknown>
  note?: string
}

export interface Score {
  tp: number
  fp: number
  fn: number
  precision: number
  recall: number
}

export interface Mistake {
  id: string
  kind: 'missed' | 'false-alarm'
  check: CheckName
  flags: Flag[]
}

export interface Evaluation {
  file: string
  pairs: number
  mustFlag: number
  nearMisses: number
  languageId: string
  perCheck: Partial<Record<CheckName, Score>>
  overall: Score
  mistakes: Mistake[]
}

function score(tp: number, fp: number, fn: number): Score {
  return { tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) }
}

export function readLabeled(path: string): LabeledPair[] {
  const out: LabeledPair[] = []
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return
      let v: LabeledPair
      try {
        v = JSON.parse(line)
      } catch (e) {
        throw new Error(`${path}:${i + 1}: not valid JSON (${(e as Error).message})`)
      }
      if (typeof v.source !== 'string' || typeof v.target !== 'string' || !Array.isArray(v.expect)) {
        throw new Error(`${path}:${i + 1}: needs string "source", string "target" and array "expect"`)
      }
      for (const c of v.expect) if (!(CHECK_NAMES as readonly string[]).includes(c)) throw new Error(`${path}:${i + 1}: unknown check "${c}" in "expect"`)
      out.push({ ...v, id: v.id ?? `line-${i + 1}` })
    })
  return out
}

/** Scores the rule checks on `path`. Uses fastText lid.176 unless `languageId` says otherwise. */
export async function evaluateLabeled(path: string, opts: { languageId?: 'fasttext' | 'stopwords' | LanguageIdentifier } = {}): Promise<Evaluation> {
  const pairs = readLabeled(path)
  let lid: LanguageIdentifier
  if (opts.languageId === 'stopwords') lid = stopwordLanguageId
  else if (opts.languageId && typeof opts.languageId === 'object') lid = opts.languageId
  else lid = (await loadLanguageId()).languageId
  const counts = new Map<CheckName, { tp: number; fp: number; fn: number }>()
  const bump = (c: CheckName, k: 'tp' | 'fp' | 'fn') => {
    const e = counts.get(c) ?? { tp: 0, fp: 0, fn: 0 }
    e[k]++
    counts.set(c, e)
  }
  const mistakes: Mistake[] = []
  for (const p of pairs) {
    const { config, errors } = parseQaConfig(p.config ? { checks: p.config } : {}, `${path}#${p.id}`)
    if (errors.length) throw new Error(errors.join('\n'))
    const flags = runQa({ address: p.id, source: p.source, target: p.target }, config, { languageId: lid })
    const got = new Set(flags.map((f) => f.check))
    for (const c of new Set([...p.expect, ...got])) {
      const want = p.expect.includes(c)
      const has = got.has(c)
      if (want && has) bump(c, 'tp')
      else if (has) {
        bump(c, 'fp')
        mistakes.push({ id: p.id, kind: 'false-alarm', check: c, flags: flags.filter((f) => f.check === c) })
      } else {
        bump(c, 'fn')
        mistakes.push({ id: p.id, kind: 'missed', check: c, flags })
      }
    }
  }
  const perCheck: Partial<Record<CheckName, Score>> = {}
  let tp = 0
  let fp = 0
  let fn = 0
  for (const c of CHECK_NAMES) {
    const e = counts.get(c)
    if (!e) continue
    perCheck[c] = score(e.tp, e.fp, e.fn)
    tp += e.tp
    fp += e.fp
    fn += e.fn
  }
  return {
    file: path,
    pairs: pairs.length,
    mustFlag: pairs.filter((p) => p.expect.length > 0).length,
    nearMisses: pairs.filter((p) => p.expect.length === 0).length,
    languageId: lid.name,
    perCheck,
    overall: score(tp, fp, fn),
    mistakes,
  }
}

/** The per-check table as Markdown. */
export function formatEvaluation(e: Evaluation): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  const rows = Object.entries(e.perCheck).map(([c, s]) => `| ${c} | ${s!.tp} | ${s!.fp} | ${s!.fn} | ${pct(s!.precision)} | ${pct(s!.recall)} |`)
  const o = e.overall
  return [
    `${e.pairs} pairs (${e.mustFlag} must flag, ${e.nearMisses} must not), language id: ${e.languageId}`,
    '',
    '| check | TP | FP | FN | precision | recall |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    `| **overall** | ${o.tp} | ${o.fp} | ${o.fn} | ${pct(o.precision)} | ${pct(o.recall)} |`,
  ].join('\n')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2] ?? 'test/fixtures/qa-labeled.jsonl'
  for (const mode of ['fasttext', 'stopwords'] as const) {
    const e = await evaluateLabeled(file, { languageId: mode })
    console.log(formatEvaluation(e))
    for (const m of e.mistakes) console.log(`  ${m.kind} ${m.check} ${m.id}: ${m.flags.map((f) => `[${f.check}] ${f.message}`).join(' | ')}`)
    console.log()
  }
}
