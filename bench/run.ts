/**
 * `npm run bench`: every benchmark, each compared with a peer on this machine in the same run where one
 * exists. Results go to bench/results/<name>.json. Pick some with `npm run bench -- shards qa`.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'

type Bench = () => Promise<object>

const BENCHES: Record<string, () => Promise<Bench>> = {
  shards: async () => (await import('./shards')).benchShards,
  journal: async () => (await import('./journal')).benchJournal,
  export: async () => (await import('./export')).benchExport,
  'review-nav': async () => (await import('./review-nav')).benchReviewNav,
  qa: async () => {
    const { benchQa } = await import('./qa')
    return () => benchQa({ conversations: Number(process.env.PHOENIX_BENCH_QA_CONVERSATIONS ?? 200_000) })
  },
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const names = wanted.length ? wanted : Object.keys(BENCHES)
const outDir = join(import.meta.dirname, 'results')
mkdirSync(outDir, { recursive: true })
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), node: process.version }

for (const name of names) {
  const load = BENCHES[name]
  if (!load) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`)
    process.exitCode = 2
    continue
  }
  console.error(`bench ${name} …`)
  const result = await (await load())()
  const record = { name, date: new Date().toISOString(), machine, result }
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(record, null, 2) + '\n')
  console.log(JSON.stringify(record, null, 2))
}
