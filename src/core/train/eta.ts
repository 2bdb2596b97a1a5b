/**
 * Time left from the step times the runtime logged. Only points since the last (re)start count: a
 * resumed run's first points follow a gap that says nothing about its speed. The rate is the slope over
 * the most recent window, so a slow start (compilation, data loading) fades out.
 */
import type { MetricPoint, RunEvent } from './types'

export interface Eta {
  /** Seconds per optimizer step; null until two timed points exist. */
  secondsPerStep: number | null
  /** Seconds until total_steps; null when unknown. */
  secondsLeft: number | null
  step: number
  totalSteps: number | null
  /** 0..1 */
  fraction: number | null
}

export function estimateEta(points: readonly MetricPoint[], events: readonly RunEvent[], now?: number, window = 20): Eta {
  let start: Extract<RunEvent, { event: 'start' }> | undefined
  for (const e of events) if (e.event === 'start') start = e
  const totalSteps = start?.total_steps && start.total_steps > 0 ? start.total_steps : null
  const since = start?.time
  const timed = points.filter((p) => p.time !== undefined && (since === undefined || p.time >= since))
  const last = points.length ? points[points.length - 1].step : (start?.step ?? 0)
  const recent = timed.slice(-window)
  let rate: number | null = null
  if (recent.length >= 2) {
    const a = recent[0]
    const b = recent[recent.length - 1]
    if (b.step > a.step && b.time! >= a.time!) rate = (b.time! - a.time!) / (b.step - a.step)
  } else if (recent.length === 1 && since !== undefined && recent[0].step > (start?.step ?? 0)) {
    rate = (recent[0].time! - since) / (recent[0].step - (start?.step ?? 0))
  }
  let secondsLeft: number | null = null
  if (rate !== null && totalSteps !== null) {
    secondsLeft = Math.max(0, (totalSteps - last) * rate)
    // Time already spent on the step in progress.
    const lastTime = recent[recent.length - 1]?.time
    if (now !== undefined && lastTime !== undefined) secondsLeft = Math.max(0, secondsLeft - Math.max(0, now - lastTime))
  }
  return { secondsPerStep: rate, secondsLeft, step: last, totalSteps, fraction: totalSteps ? Math.min(1, last / totalSteps) : null }
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`
  return `${sec}s`
}
