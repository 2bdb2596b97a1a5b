/**
 * QA engine throughput: all rule checks (qaRecord) over translated UltraChat-shaped conversations on one
 * core, without fastText (untranslated check on its stopword detector) and with fastText lid.176. Pairs come
 * from the seeded synthetic generator (src/core/synth, English and German rows paired by index); every 20th
 * conversation gets a half-English assistant reply so the language-id path is exercised. A pool of at most
 * 20,000 conversations is built first and cycled, so the timing measures QA, not generation.
 * Targets: ≥ 20,000 conversations/s without language id, ≥ 3,000/s with it. "Without language id" is
 * reported twice: with the untranslated check on the stopword detector, and without that check at all.
 * Each mode runs `repeats` times (default 3) and reports medians, of wall-clock conversations/s and of
 * conversations per CPU-second (user + system of this process), the figure that stays comparable when other
 * processes share the machine. `pairing` is what reading the rows costs before QA (JSON.parse of the English
 * and German row, text units paired by address), timed once over the pool, outside the QA figures.
 * Standalone: `npx tsx bench/qa.ts [conversations] [repeats]`.
 */
import { fileURLToPath } from 'node:url'
import { textUnits } from '../src/core/records/address'
import type { Row } from '../src/core/records/types'
import { defaultQaConfig, loadFastTextLanguageId, qaRecord, type QaRuntime, type QaUnit } from '../src/core/qa/index'

const POOL_MAX = 20_000

function pairUnits(a: Row, b: Row): QaUnit[] {
  const tu = new Map(textUnits(b, 'ultrachat').map((u) => [u.address, u.text]))
  return textUnits(a, 'ultrachat').map((u) => ({ address: u.address, source: u.text, target: tu.get(u.address) ?? '', role: u.role }))
}

export async function buildPool(n: number): Promise<{ pool: QaUnit[][]; source: string; pairingCpuSeconds?: number }> {
  const size = Math.min(n, POOL_MAX)
  const pool: QaUnit[][] = []
  let source = 'src/core/synth generate(ultrachat)'
  let pairingCpuSeconds: number | undefined
  try {
    const { generate } = await import('../src/core/synth/index')
    const en = generate({ kind: 'ultrachat', rows: size, seed: 7, lang: 'en' })
    const de = generate({ kind: 'ultrachat', rows: size, seed: 7, lang: 'de' })
    // the pool is built the way a shard is read: each JSONL line parsed, then paired, so that cost is known
    // too; in batches, so that only a batch of lines is held at a time
    pairingCpuSeconds = 0
    for (let i = 0; i < size; i += 1000) {
      const lines: [string, string][] = []
      for (let j = i; j < Math.min(size, i + 1000); j++) lines.push([JSON.stringify(en.next().value), JSON.stringify(de.next().value)])
      const c0 = process.cpuUsage()
      for (const [a, b] of lines) pool.push(pairUnits(JSON.parse(a) as Row, JSON.parse(b) as Row))
      const c = process.cpuUsage(c0)
      pairingCpuSeconds += (c.user + c.system) / 1e6
    }
  } catch (e) {
    source = `built-in sentences (synth unavailable: ${(e as Error).message})`
    pool.length = 0
    for (let i = 0; i < size; i++) pool.push(fallbackConversation(i))
  }
  // inject a partly untranslated assistant reply into every 20th conversation
  for (let i = 0; i < pool.length; i += 20) {
    const u = [...pool[i]].reverse().find((x) => x.role === 'assistant')
    if (u) {
      const half = Math.floor(u.source.length / 2)
      u.target = u.target.slice(0, Math.floor(u.target.length / 2)) + '\n\n' + u.source.slice(half)
    }
  }
  return { pool, source, pairingCpuSeconds }
}

const EN = ['The museum opens at 9 am and closes at 6 pm.', 'You can buy tickets online at https://example.org/tickets.', 'Children under 12 enter for free.', 'The collection includes more than 3,500 paintings.', 'Guided tours take about 90 minutes.']
const DE = ['Das Museum öffnet um 9 Uhr und schließt um 18 Uhr.', 'Tickets können Sie online unter https://example.org/tickets kaufen.', 'Kinder unter 12 Jahren haben freien Eintritt.', 'Die Sammlung umfasst mehr als 3.500 Gemälde.', 'Führungen dauern etwa 90 Minuten.']

function fallbackConversation(i: number): QaUnit[] {
  const k = 2 + (i % 4)
  const src = EN.slice(0, k).join(' ')
  const tgt = DE.slice(0, k).join(' ')
  return [
    { address: 'prompt', source: 'What are the opening hours of the museum?', target: 'Wie sind die Öffnungszeiten des Museums?' },
    { address: 'messages/0/content', source: 'What are the opening hours of the museum?', target: 'Wie sind die Öffnungszeiten des Museums?', role: 'user' },
    { address: 'messages/1/content', source: src + '\n\n' + src, target: tgt + '\n\n' + tgt, role: 'assistant' },
  ]
}

/** Wall time and CPU time of this process (CPU time stays meaningful when other processes share the core). */
function run(pool: QaUnit[][], n: number, runtime: QaRuntime, config = defaultQaConfig()): Run {
  let flags = 0
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) flags += qaRecord(pool[i % pool.length], config, runtime).length
  const c = process.cpuUsage(c0)
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (c.user + c.system) / 1e6, flags }
}

interface Run {
  seconds: number
  cpuSeconds: number
  flags: number
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function rates(runs: Run[], n: number, target: number) {
  const wall = runs.map((r) => n / r.seconds)
  const cpu = runs.map((r) => n / r.cpuSeconds)
  return {
    runs: runs.map((r) => ({ seconds: +r.seconds.toFixed(3), cpuSeconds: +r.cpuSeconds.toFixed(3) })),
    conversationsPerSecond: Math.round(median(wall)),
    conversationsPerCpuSecond: Math.round(median(cpu)),
    flags: runs[0].flags,
    target,
  }
}

export async function benchQa(opts: { conversations: number; repeats?: number }): Promise<object> {
  const n = opts.conversations
  const repeats = Math.max(1, opts.repeats ?? 3)
  const { pool, source, pairingCpuSeconds } = await buildPool(n)
  const units = pool.reduce((s, c) => s + c.length, 0)
  const chars = pool.reduce((s, c) => s + c.reduce((t, u) => t + u.source.length + u.target.length, 0), 0)
  run(pool, Math.min(n, 2000), {}) // warm-up (JIT)
  const plain: Run[] = []
  for (let i = 0; i < repeats; i++) plain.push(run(pool, n, {}))
  // the untranslated check is language id (the stopword detector without fastText): this mode leaves it out
  const noLanguageCheck = defaultQaConfig()
  noLanguageCheck.untranslated.enabled = false
  run(pool, Math.min(n, 2000), {}, noLanguageCheck)
  const withoutUntranslated: Run[] = []
  for (let i = 0; i < repeats; i++) withoutUntranslated.push(run(pool, n, {}, noLanguageCheck))
  const lid = await loadFastTextLanguageId()
  run(pool, Math.min(n, 2000), { languageId: lid })
  const withLid: Run[] = []
  for (let i = 0; i < repeats; i++) withLid.push(run(pool, n, { languageId: lid }))
  return {
    conversations: n,
    repeats,
    pool: { conversations: pool.length, source, unitsPerConversation: +(units / pool.length).toFixed(2), charsPerConversation: Math.round(chars / pool.length) },
    pairing: pairingCpuSeconds === undefined ? null : { conversationsPerCpuSecond: Math.round(pool.length / pairingCpuSeconds) },
    withoutLanguageId: rates(plain, n, 20_000),
    withoutUntranslatedCheck: rates(withoutUntranslated, n, 20_000),
    withLanguageId: rates(withLid, n, 3_000),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 200_000)
  const repeats = process.argv[3] === undefined ? undefined : Number(process.argv[3])
  console.log(JSON.stringify(await benchQa({ conversations: n, repeats }), null, 2))
}
