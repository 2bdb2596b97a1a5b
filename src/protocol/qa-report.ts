/** Messages between the extension host and the QA report webview (validated on arrival). */
import type { QaReport } from '../core/qa/report'

export type { QaReport }

export type QaReportToHost = { type: 'ready' } | { type: 'openRecord'; promptId: string }

export type HostToQaReport = { type: 'report'; report: QaReport } | { type: 'progress'; message: string } | { type: 'error'; message: string }

export function parseQaReportToHost(msg: unknown): QaReportToHost | undefined {
  if (!msg || typeof msg !== 'object') return undefined
  const m = msg as Record<string, unknown>
  if (m.type === 'ready') return { type: 'ready' }
  if (m.type === 'openRecord' && typeof m.promptId === 'string' && m.promptId.length <= 200) return { type: 'openRecord', promptId: m.promptId }
  return undefined
}

export function parseHostToQaReport(msg: unknown): HostToQaReport | undefined {
  if (!msg || typeof msg !== 'object') return undefined
  const m = msg as Record<string, unknown>
  if (m.type === 'report' && m.report && typeof m.report === 'object') return m as HostToQaReport
  if ((m.type === 'progress' || m.type === 'error') && typeof m.message === 'string') return m as HostToQaReport
  return undefined
}
