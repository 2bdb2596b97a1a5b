/**
 * Progress of a translation job: counters the job keeps, and the rates, ETA and cost derived from them.
 * Rates are per second of engine time (from the first request this run), so a resumed job that spends its
 * first seconds on cached rows does not look slow, and the ETA counts only work still to send.
 */
import { estimateCost, formatCost, type CostEstimate, type Pricing } from './cost';

export interface JobCounters {
  rowsTotal: number;
  /** Rows read from the source so far. */
  rowsRead: number;
  /** Rows rebuilt and handed to the writer. */
  rowsDone: number;
  /** Source rows that could not be read (malformed JSON, wrong shape); they are left out of the output. */
  rowErrors: number;
  /** Segment occurrences in the rows read. */
  segments: number;
  /** Distinct segment texts among them. */
  uniqueSegments: number;
  /** Distinct segments a previous run had already translated (cache hits). */
  cached: number;
  /** Distinct segments translated by the engine in this run. */
  translated: number;
  /** Occurrences that repeated a segment seen earlier in this job (not sent again). */
  deduped: number;
  /** Source characters of the distinct segments seen (the work, cached or not). */
  chars: number;
  /** Of those, characters already done: cached or translated. */
  charsDone: number;
  /** Source characters sent to the engine in this run. */
  charsTranslated: number;
  /** Completion tokens this run: the server's `usage` where it sent one, else estimated from the output. */
  completionTokens: number;
  /** True when some token counts were estimated because the server sent no `usage`. */
  tokensEstimated: boolean;
  /** Segments whose placeholders came back missing, doubled or unknown (restored as well as possible). */
  placeholderIssues: number;
}

export interface TranslateProgress extends JobCounters {
  elapsedMs: number;
  /** Time since the first request of this run was sent. */
  engineMs: number;
  tokensPerSecond?: number;
  charsPerSecond?: number;
  /** Source characters of the unique segments of the whole shard (extrapolated from the rows read). */
  estimatedChars: number;
  etaMs?: number;
  /** For the whole shard (or the --limit rows), from the throughput measured so far. */
  cost: CostEstimate;
}

export function emptyCounters(rowsTotal: number): JobCounters {
  return {
    rowsTotal,
    rowsRead: 0,
    rowsDone: 0,
    rowErrors: 0,
    segments: 0,
    uniqueSegments: 0,
    cached: 0,
    translated: 0,
    deduped: 0,
    chars: 0,
    charsDone: 0,
    charsTranslated: 0,
    completionTokens: 0,
    tokensEstimated: false,
    placeholderIssues: 0,
  };
}

/** Rates, extrapolation, ETA and cost from counters and times (pure, so it can be tested by itself). */
export function deriveProgress(c: JobCounters, elapsedMs: number, engineMs: number, pricing: Pricing): TranslateProgress {
  const engineSeconds = engineMs / 1000;
  const charsPerSecond = engineSeconds > 0 && c.charsTranslated > 0 ? c.charsTranslated / engineSeconds : undefined;
  const tokensPerSecond = engineSeconds > 0 && c.completionTokens > 0 ? c.completionTokens / engineSeconds : undefined;
  const estimatedChars =
    c.rowsRead >= c.rowsTotal || c.rowsRead === 0 ? c.chars : Math.round((c.chars / c.rowsRead) * c.rowsTotal);
  const remaining = Math.max(0, estimatedChars - c.charsDone);
  const p: TranslateProgress = {
    ...c,
    elapsedMs,
    engineMs,
    estimatedChars,
    cost: estimateCost(estimatedChars, charsPerSecond, pricing),
  };
  if (charsPerSecond !== undefined) p.charsPerSecond = charsPerSecond;
  if (tokensPerSecond !== undefined) p.tokensPerSecond = tokensPerSecond;
  if (remaining === 0 && c.rowsRead > 0) p.etaMs = 0;
  else if (charsPerSecond !== undefined) p.etaMs = (remaining / charsPerSecond) * 1000;
  return p;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatCount(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(1)}k`;
  if (n < 1e9) return `${(n / 1e6).toFixed(2)}M`;
  return `${(n / 1e9).toFixed(2)}G`;
}

/** One line: `rows 120/1000 · segments 2300 (translated 1800, cached 400, repeats 100) · 1.2M chars · 850 tok/s · ETA 3m12s`. */
export function formatProgress(p: TranslateProgress): string {
  const parts = [
    `rows ${p.rowsDone}/${p.rowsTotal}`,
    `segments ${p.segments} (translated ${p.translated}, cached ${p.cached}, repeats ${p.deduped})`,
    `${formatCount(p.charsTranslated)} chars`,
    p.tokensPerSecond !== undefined ? `${p.tokensPerSecond.toFixed(p.tokensPerSecond < 10 ? 1 : 0)} tok/s${p.tokensEstimated ? ' (est.)' : ''}` : 'tok/s –',
    p.etaMs !== undefined ? `ETA ${formatDuration(p.etaMs)}` : 'ETA –',
  ];
  return parts.join(' · ');
}

/** The summary printed when a job ends. */
export function formatSummary(p: TranslateProgress): string[] {
  const lines = [
    `rows:      ${p.rowsDone} of ${p.rowsTotal}${p.rowErrors ? ` (${p.rowErrors} unreadable source rows left out)` : ''}`,
    `segments:  ${p.segments} (${p.uniqueSegments} distinct: ${p.translated} translated, ${p.cached} from the cache; ${p.deduped} repeats)`,
    `chars:     ${p.charsTranslated} translated this run, ${p.chars} distinct in the rows read`,
    `tokens:    ${p.completionTokens}${p.tokensEstimated ? ' (estimated, the server sent no usage)' : ''}, ${p.tokensPerSecond !== undefined ? `${p.tokensPerSecond.toFixed(1)} tok/s` : 'no rate'}${p.charsPerSecond !== undefined ? `, ${p.charsPerSecond.toFixed(0)} chars/s` : ''}`,
    `elapsed:   ${formatDuration(p.elapsedMs)} (engine ${formatDuration(p.engineMs)})`,
    `cost:      ${formatCost(p.cost)} for ${p.cost.chars} chars`,
  ];
  if (p.placeholderIssues) lines.push(`warnings:  ${p.placeholderIssues} segments lost or doubled protected pieces (code, URLs); restored at the end of the text`);
  return lines;
}
