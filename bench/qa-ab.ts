/**
 * A/B of the QA engine: the working tree against a git revision, on the same pool of generated
 * conversations, interleaved in one process (round by round, the order alternating), so that the ratio holds
 * even when this machine's speed drifts by 2× over minutes, which medians of separate runs do not survive.
 * Both sides are copies of their sources loaded the same way: with the working tree imported in place and
 * the revision from a copy, the same code measured ~4% slower in place. Checks first that both versions
 * give the same flags on every conversation of the pool; `npx tsx bench/qa-ab.ts HEAD` on a clean tree
 * shows what is left of such a bias (speedup ~1).
 * `npx tsx bench/qa-ab.ts <revision> [conversations per round = 4000] [rounds = 30] [--without-language-id]`;
 * prints JSON with the median per-round speedup (B over A, > 1: the working tree is faster). With
 * `--without-language-id` both run without the untranslated check, as the 20,000/s target is measured.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type * as Qa from '../src/core/qa/index'
import { buildPool } from './qa'

const withoutLanguageId = process.argv.includes('--without-language-id')
const [rev = 'HEAD', perRound = '4000', roundsArg = '30'] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const root = join(import.meta.dirname, '..')
// inside the repository, so that the old sources resolve this checkout's node_modules
const dir = join(root, '.tmp', `qa-ab-${process.pid}`)
mkdirSync(dir, { recursive: true })
try {
  const tar = execFileSync('git', ['-C', root, 'archive', rev, 'src'], { maxBuffer: 1 << 30 })
  execFileSync('tar', ['-x', '-C', dir], { input: tar })
  cpSync(join(root, 'src'), join(dir, 'tree', 'src'), { recursive: true })
  const A = (await import(join(dir, 'src/core/qa/index.ts'))) as typeof Qa
  const B = (await import(join(dir, 'tree', 'src/core/qa/index.ts'))) as typeof Qa
  const { pool } = await buildPool(20_000)
  const ca = A.defaultQaConfig()
  const cb = B.defaultQaConfig()
  if (withoutLanguageId) ca.untranslated.enabled = cb.untranslated.enabled = false
  for (let i = 0; i < pool.length; i++) {
    const a = JSON.stringify(A.qaRecord(pool[i], ca, {}))
    const b = JSON.stringify(B.qaRecord(pool[i], cb, {}))
    if (a !== b) throw new Error(`conversation ${i}: ${rev} flags ${a}, the working tree ${b}`)
  }
  const n = Number(perRound)
  const ta: number[] = []
  const tb: number[] = []
  const timed = (qa: typeof Qa, config: ReturnType<typeof Qa.defaultQaConfig>, out: number[]) => {
    const t0 = performance.now()
    for (let i = 0; i < n; i++) qa.qaRecord(pool[i % pool.length], config, {})
    out.push(performance.now() - t0)
  }
  const timeA = () => timed(A, ca, ta)
  const timeB = () => timed(B, cb, tb)
  // the order alternates, so that neither side always runs in the other one's wake
  for (let r = 0; r < Number(roundsArg); r++) {
    if (r % 2 === 0) {
      timeA()
      timeB()
    } else {
      timeB()
      timeA()
    }
  }
  const median = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1]
  console.log(
    JSON.stringify({
      revision: rev,
      withoutLanguageId,
      rounds: ta.length,
      conversationsPerRound: n,
      sameFlags: pool.length,
      usPerConversation: { [rev]: +((median(ta) / n) * 1000).toFixed(1), workingTree: +((median(tb) / n) * 1000).toFixed(1) },
      speedup: +median(ta.map((a, i) => a / tb[i])).toFixed(3),
    }),
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
