/** Agreement between reviewers of a shard as a readable Markdown report, and pick keys back to picks. */
import type { AgreementReport } from './agreement'
import type { PickValue } from './events'

const fmt = (x: number | null) => (x === null ? '–' : x.toFixed(2))

export function agreementMarkdown(shard: string, r: AgreementReport): string {
  const lines = [`# Reviewer agreement: ${shard}`, '', `Reviewers: ${r.reviewers.join(', ') || '(none)'}; records judged by at least two: ${r.sharedRecords}.`, '']
  if (r.pairs.length) {
    lines.push('| reviewers | approve/flag: n | observed | Cohen\'s κ | picks: n | observed | Cohen\'s κ |', '|---|---:|---:|---:|---:|---:|---:|')
    for (const p of r.pairs) lines.push(`| ${p.a} / ${p.b} | ${p.approval.n} | ${fmt(p.approval.po)} | ${fmt(p.approval.kappa)} | ${p.pick.n} | ${fmt(p.pick.po)} | ${fmt(p.pick.kappa)} |`)
    lines.push('')
  } else lines.push('Only one reviewer so far: nothing to compare.', '')
  lines.push(`## Conflicts (${r.conflicts.length}, ${r.openConflicts} unresolved)`, '')
  for (const c of r.conflicts) {
    const who = Object.entries(c.byReviewer)
      .map(([rev, v]) => `${rev}: ${v}`)
      .join('; ')
    lines.push(`- \`${c.promptId.slice(0, 12)}\` ${c.field}: ${who}${c.resolution ? ` → resolved by ${c.resolution.reviewer}` : ''}`)
  }
  return lines.join('\n') + '\n'
}

/** '1>0' → {chosen 1, rejected 0}; 'tie' / 'unusable' → that verdict. */
export function pickFromKey(key: string): PickValue | undefined {
  if (key === 'tie' || key === 'unusable') return { chosen: null, rejected: null, verdict: key }
  const m = /^(\d+)>(\d+)$/.exec(key)
  return m ? { chosen: Number(m[1]), rejected: Number(m[2]), verdict: 'pair' } : undefined
}
