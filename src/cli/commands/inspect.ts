import { inspectShard, type InspectReport, type LengthStats } from '../../core/records/inspect'
import type { CliContext } from '../context'

export const inspectUsage = 'phoenix inspect <file> [--json]'

/** Exit 0 when the file loads (even with bad rows), 2 when it cannot be read at all or no row is usable. */
export async function inspectCommand(args: string[], ctx: CliContext): Promise<number> {
  const json = args.includes('--json')
  const files = args.filter((a) => !a.startsWith('--'))
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--json')
  if (files.length !== 1 || unknown.length) {
    ctx.err(`usage: ${inspectUsage}${unknown.length ? ` (unknown option ${unknown[0]})` : ''}`)
    return 2
  }
  const report = await inspectShard(files[0])
  const unusable = report.validRows === 0
  if (unusable) {
    report.errors.unshift({ message: report.rows === 0 ? 'the file holds no rows' : 'no row of the file is usable' })
    report.errorCount++
  }
  if (json) ctx.out(JSON.stringify(report))
  else ctx.out(formatReport(report))
  return unusable ? 2 : 0
}

function formatStats(s: LengthStats): string {
  return `n=${s.count} min=${s.min} p50=${s.p50} mean=${s.mean} p95=${s.p95} max=${s.max}`
}

function formatReport(r: InspectReport): string {
  const lines = [
    `file:    ${r.path}`,
    `format:  ${r.format}`,
    `kind:    ${r.kind ?? 'unknown'}`,
    `rows:    ${r.rows} (${r.validRows} valid, ${r.errorCount} with errors)`,
    'fields:',
    ...r.fields.map((f) => `  ${f.name.padEnd(18)} ${String(f.present).padStart(8)} rows  ${Object.entries(f.types).map(([t, n]) => `${t}:${n}`).join(' ')}`),
    'text length (characters):',
    `  ${'all'.padEnd(26)} ${formatStats(r.text.all)}`,
    ...Object.entries(r.text.byAddress).map(([a, s]) => `  ${a.padEnd(26)} ${formatStats(s)}`),
  ]
  if (r.errorCount) {
    lines.push(`errors (${r.errorCount}${r.errorCount > r.errors.length ? `, first ${r.errors.length} shown` : ''}):`)
    for (const e of r.errors) lines.push(`  ${e.line !== undefined ? `line ${e.line}` : e.row !== undefined ? `row ${e.row}` : 'file'}: ${e.message}`)
  }
  return lines.join('\n')
}
