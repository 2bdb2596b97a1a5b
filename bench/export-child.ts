/**
 * One export of the export benchmark, run from its esbuild bundle (dist/export-bench.cjs, built by
 * scripts/build.mjs like the CLI) so that it measures the code users run, worker threads included, not
 * the sources through tsx. Prints its timing, CPU time and peak RSS as one JSON line.
 */
import { exportDataset } from '../src/core/export/export'
import type { ExportOptions } from '../src/core/export/types'

export interface ChildResult {
  seconds: number
  cpuSeconds: number
  maxRssMB: number
  written: number
  train: number
  test: number
  excluded: number
  qa: string
  qaOnWorker: number
  writtenOnWorker: boolean
}

async function child(argsJson: string): Promise<void> {
  const opts = JSON.parse(argsJson) as ExportOptions
  const t0 = process.hrtime.bigint()
  const cpu0 = process.cpuUsage()
  const rep = await exportDataset(opts)
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const cpu = process.cpuUsage(cpu0)
  const result: ChildResult = {
    seconds: Math.round(seconds * 1000) / 1000,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    written: rep.rows.written,
    train: rep.rows.train,
    test: rep.rows.test,
    excluded: rep.excludedTotal,
    qa: rep.filters.qaFlags.mode,
    qaOnWorker: rep.qaOnWorker,
    writtenOnWorker: rep.writtenOnWorker,
  }
  process.stdout.write(JSON.stringify(result) + '\n')
}

if (require.main === module) {
  child(process.argv[2]).catch((e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`)
    process.exit(1)
  })
}
