/**
 * QA engine throughput: all rule checks (qaRecord) over translated UltraChat-shaped conversations on one
 * core, without fastText (untranslated check on its stopword detector) and with fastText lid.176. Pairs come
 * from the seeded synthetic generator (src/core/synth, English and German rows paired by index); every 20th
 * conversation gets a half-English assistant reply so the language-id path is exercised. A pool of at most
 * 20,000 conversations is built first and cycled, so the timing measures QA, not generation.
 * Targets: ≥ 20,000 conversations/s without language id, ≥ 3,000/s with it.
 * Standalone: `npx tsx bench/qa.ts [conversations]`.
 */
import { fileURLToPath } from 'node:url'
import { textUnits } from '../src/core/records/address'
import type { Row } from '../src/core/records/types'
import { defaultQaConfig, loadFastTextLanguageId, qaRecord, type QaRuntime, type QaUnit } from '../src/core/qa/index'

const POOL_MAX = 20_000

async function buildPool(n: number): Promise<{ pool: QaUnit[][]; source: string }> {
  const size = Math.min(n, POOL_MAX)
  const pool: QaUnit[][] = []
  let source = 'src/core/synth generate(ultrachat)'
  try {
    const { generate } = await import('../src/core/synth/index')
    const en = generate({ kind: 'ultrachat', rows: size, seed: 7, lang: 'en' })
    const de = generate({ kind: 'ultrachat', rows: size, seed: 7, lang: 'de' })
    for (let i = 0; i < size; i++) {
      const a = en.next().value as Row
      const b = de.next().value as Row
      const tu = new Map(textUnits(b, 'ultrachat').map((u) => [u.address, u.text]))
      pool.push(textUnits(a, 'ultrachat').map((u) => ({ address: u.address, source: u.text, target: tu.get(u.address) ?? '', role: u.role })))
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
  return { pool, source }
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
function run(pool: QaUnit[][], n: number, runtime: QaRuntime): { seconds: number; cpuSeconds: number; flags: number } {
  const config = defaultQaConfig()
  let flags = 0
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) flags += qaRecord(pool[i % pool.length], config, runtime).length
  const c = process.cpuUsage(c0)
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (c.user + c.system) / 1e6, flags }
}

function rates(r: { seconds: number; cpuSeconds: number; flags: number }, n: number, target: number) {
  return {
    seconds: +r.seconds.toFixed(3),
    cpuSeconds: +r.cpuSeconds.toFixed(3),
    conversationsPerSecond: Math.round(n / r.seconds),
    conversationsPerCpuSecond: Math.round(n / r.cpuSeconds),
    flags: r.flags,
    target,
  }
}

export async function benchQa(opts: { conversations: number }): Promise<object> {
  const n = opts.conversations
  const { pool, source } = await buildPool(n)
  const units = pool.reduce((s, c) => s + c.length, 0)
  const chars = pool.reduce((s, c) => s + c.reduce((t, u) => t + u.source.length + u.target.length, 0), 0)
  run(pool, Math.min(n, 2000), {}) // warm-up (JIT)
  const plain = run(pool, n, {})
  const lid = await loadFastTextLanguageId()
  run(pool, Math.min(n, 2000), { languageId: lid })
  const withLid = run(pool, n, { languageId: lid })
  return {
    conversations: n,
    pool: { conversations: pool.length, source, unitsPerConversation: +(units / pool.length).toFixed(2), charsPerConversation: Math.round(chars / pool.length) },
    withoutLanguageId: rates(plain, n, 20_000),
    withLanguageId: rates(withLid, n, 3_000),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 200_000)
  console.log(JSON.stringify(await benchQa({ conversations: n }), null, 2))
}
