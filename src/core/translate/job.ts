/**
 * A translation job: a source shard in, a translated shard out, in the same schema and format and paired with
 * the source by prompt_id (raw UltraFeedback rows get `prompt_id` = sha256 of the English instruction, since
 * the German one cannot be hashed back).
 *
 * Pipeline, so the engine never waits on a drained batch round:
 *   reader ──rows──► segmenter ──new segments──► queue ──batches──► workers (≤ concurrency requests)
 *     │                                                                   │ cache append + fsync
 *     └──► rows waiting for their segments ──in order, when complete──► writer (temp file, renamed at the end)
 * - Every text unit is segmented; a segment goes to the engine once per job and once ever per cache: its key
 *   (sha256 of text + engine + model + pair + settings) is looked up in the cache, then among segments in
 *   flight (UltraChat's `prompt` repeats `messages/0/content`).
 * - A segment counts as done only after its cache line is fsync'd, so a killed job loses no acknowledged
 *   work and a restart sends only what is missing. The output shard is streamed to a temp file next to
 *   `out` and renamed over it at the end; until then `out` keeps its old content (or does not exist).
 * - Non-text fields (scores, models, roles, annotations, ids) are copied as they are.
 * The job does not use `completeAll`: it returns only when a whole list is done, and a kill would lose the
 * finished batches of that list; here each batch is cached as it lands.
 */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { isShardPath, openShard, shardKind } from '../records/open';
import { withTextAt, textUnits } from '../records/address';
import { writeShard } from '../records/parquet-write';
import { promptIdOf } from '../records/schema';
import { siblingCandidates } from '../records/siblings';
import type { Row, RowError, RowResult, SchemaKind, Shard } from '../records/types';
import { almaPrompt, cleanAlmaOutput, completionParams, DEFAULT_PAIR, type GenerationSettings, type LanguagePair } from './alma';
import { cacheContext, cachePathFor, segmentKey, SegmentCache } from './cache';
import type { CompletionsClient } from './client';
import { pricingOf, type Pricing } from './cost';
import { deriveProgress, emptyCounters, type TranslateProgress } from './progress';
import { segmentText, type Segmentation, type SegmentOptions } from './segment';
import { approxTokenCount } from './tokens';

export interface TranslateJobOptions {
  source: string;
  out: string;
  client: CompletionsClient;
  /** Cache identity of the engine (default: the client's URL). An embedded server passes `embedded:<model dir>`. */
  engineId?: string;
  /** Model name sent with requests and keyed in the cache (default: the first model the server lists). */
  model?: string;
  pair?: LanguagePair;
  generation?: Partial<GenerationSettings>;
  /** Segments per request (default 32). */
  batchSize?: number;
  /** Requests in flight at once (default 4; the client's own limit applies as well). */
  concurrency?: number;
  /** Translate only the first N rows. */
  limit?: number;
  /** Source-token budget per segment and token counter (segmenter defaults: 256, approximate count). */
  segmenter?: SegmentOptions;
  pricing?: Partial<Pricing>;
  /** Default `<out>.phoenix-cache.jsonl`. */
  cachePath?: string;
  signal?: AbortSignal;
  /** Called after each batch is durable and as cached rows complete; at least once at the start and at the end. */
  onProgress?: (p: TranslateProgress) => void;
}

export interface TranslateReport {
  source: string;
  out: string;
  cachePath: string;
  kind: SchemaKind;
  format: 'jsonl' | 'parquet';
  model: string;
  engineId: string;
  progress: TranslateProgress;
  /** The first unreadable source rows (left out of the output). */
  rowErrors: RowError[];
  /** Cache lines loaded at the start, and problems found in the file. */
  cacheLoaded: number;
  cacheBadLines: number;
}

/** Bad arguments or an unusable source: the CLI's exit 2. */
export class TranslateInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TranslateInputError';
  }
}

/** The job was cancelled through its signal; what was translated is in the cache. */
export class TranslateCancelledError extends Error {
  constructor(
    readonly progress: TranslateProgress,
    readonly cachePath: string,
    readonly reason: unknown,
  ) {
    super(`translation cancelled after ${progress.translated} new segments (${progress.cached + progress.translated} cached in ${cachePath})`);
    this.name = 'TranslateCancelledError';
  }
}

interface UnitWork {
  address: string;
  seg: Segmentation;
  keys: string[];
}

interface RowWork {
  index: number;
  row?: Row;
  units: UnitWork[];
  waiting: number;
}

interface QueuedSegment {
  key: string;
  text: string;
}

const MAX_ROW_ERRORS = 20;
/** Rows read ahead of the oldest unfinished one; bounds memory when one row waits on a slow batch. */
const MAX_BUFFERED_ROWS = 4096;

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!(Number.isSafeInteger(n) && n >= 1)) throw new TranslateInputError(`${name} must be a positive integer, got ${v}`);
  return n;
}

/** Where a translation goes by default: en.jsonl → de.jsonl, train.en.parquet → train.de.parquet, else name.de.jsonl. */
export function defaultOutputPath(source: string, from = 'en', to = 'de'): string {
  const sibling = siblingCandidates(source, from, to)[0];
  if (sibling) return sibling;
  const ext = extname(source);
  return `${source.slice(0, source.length - ext.length)}.${to}${ext}`;
}

/** Translates `source` into `out`; resolves with the final report, rejects with TranslateCancelledError on abort. */
export async function translateShard(opts: TranslateJobOptions): Promise<TranslateReport> {
  const started = Date.now();
  const batchSize = positiveInt('batch size', opts.batchSize, 32);
  const concurrency = positiveInt('concurrency', opts.concurrency, 4);
  if (opts.limit !== undefined && !(Number.isSafeInteger(opts.limit) && opts.limit >= 0)) {
    throw new TranslateInputError(`limit must be a whole number, got ${opts.limit}`);
  }
  const pair = opts.pair ?? DEFAULT_PAIR;
  let params;
  let pricing: Pricing;
  try {
    almaPrompt('', pair); // unknown language names fail here, before any file is touched
    params = completionParams(opts.generation);
    pricing = pricingOf(opts.pricing);
  } catch (e) {
    throw new TranslateInputError((e as Error).message);
  }
  if (!isShardPath(opts.out)) throw new TranslateInputError(`${opts.out}: the output needs a .jsonl, .ndjson, .json or .parquet name`);
  if (resolve(opts.out) === resolve(opts.source)) throw new TranslateInputError(`${opts.out}: the output must not be the source shard`);

  const shard = await openShard(opts.source);
  let cache: SegmentCache | undefined;
  try {
    const outIsParquet = extname(opts.out).toLowerCase() === '.parquet';
    if (outIsParquet !== (shard.format === 'parquet')) {
      throw new TranslateInputError(`${opts.out}: the translation keeps the source's format (${shard.format}); name the output .${shard.format}`);
    }
    const kind = await shardKind(shard);
    if (!kind) throw new TranslateInputError(`${opts.source}: unknown record shape (not UltraChat, UltraFeedback or messages rows)`);
    const model = opts.model ?? (await firstModel(opts.client, opts.signal));
    const engineId = opts.engineId ?? opts.client.baseUrl;
    const cachePath = opts.cachePath ?? cachePathFor(opts.out);
    // The output's folder may not exist yet (a new `exports/de/` next to the source, say).
    await mkdir(dirname(resolve(cachePath)), { recursive: true });
    cache = await SegmentCache.open(cachePath);
    const job = new Job(opts, shard, kind, cache, {
      model,
      context: cacheContext({ engine: engineId, model, pair, params }),
      params,
      pair,
      pricing,
      batchSize,
      concurrency,
      started,
    });
    const progress = await job.run();
    return {
      source: opts.source,
      out: opts.out,
      cachePath,
      kind,
      format: shard.format,
      model,
      engineId,
      progress,
      rowErrors: job.rowErrors,
      cacheLoaded: job.cacheLoaded,
      cacheBadLines: cache.badLines,
    };
  } finally {
    await cache?.close();
    await shard.close();
  }
}

async function firstModel(client: CompletionsClient, signal?: AbortSignal): Promise<string> {
  const models = await client.models({ signal });
  if (models.length === 0) throw new Error(`${client.baseUrl}/v1/models lists no model`);
  return models[0]!.id;
}

interface JobSettings {
  model: string;
  context: string;
  params: ReturnType<typeof completionParams>;
  pair: LanguagePair;
  pricing: Pricing;
  batchSize: number;
  concurrency: number;
  started: number;
}

class Job {
  readonly rowErrors: RowError[] = [];
  readonly cacheLoaded: number;
  private readonly counters;
  private readonly end: number;
  /** Keys seen in this job (to tell cache hits from repeats). */
  private readonly seen = new Set<string>();
  /** Rows waiting on each segment in flight or queued. */
  private readonly inflight = new Map<string, RowWork[]>();
  private readonly queue: QueuedSegment[] = [];
  /** Rows read and not yet handed to the writer, in order. */
  private readonly buffered: RowWork[] = [];
  private readonly ready: Row[] = [];
  private readerDone = false;
  private readerPaused = false;
  private failure: unknown;
  private readonly internal = new AbortController();
  private readonly signal: AbortSignal;
  private firstRequestAt: number | undefined;
  private wakers: Array<() => void> = [];

  constructor(
    private readonly opts: TranslateJobOptions,
    private readonly shard: Shard,
    private readonly kind: SchemaKind,
    private readonly cache: SegmentCache,
    private readonly s: JobSettings,
  ) {
    this.end = Math.min(shard.rowCount, opts.limit ?? Infinity);
    this.counters = emptyCounters(this.end);
    this.cacheLoaded = cache.size;
    this.signal = opts.signal ? AbortSignal.any([opts.signal, this.internal.signal]) : this.internal.signal;
    this.signal.addEventListener('abort', () => this.notify(), { once: true });
  }

  async run(): Promise<TranslateProgress> {
    this.emit();
    const reader = this.read();
    const workers = Array.from({ length: this.s.concurrency }, () => this.work());
    let written: unknown;
    try {
      await writeShard(this.opts.out, this.kind, this.output(), {
        metadata: { 'phoenix.translated-from': basename(this.opts.source), 'phoenix.translation-model': this.s.model },
      });
    } catch (e) {
      written = e;
      this.fail(e);
    }
    await Promise.allSettled([reader, ...workers]);
    const progress = this.progress();
    if (this.opts.signal?.aborted) throw new TranslateCancelledError(progress, this.cache.path, this.opts.signal.reason);
    if (this.failure !== undefined) throw this.failure;
    if (written !== undefined) throw written;
    this.opts.onProgress?.(progress);
    return progress;
  }

  private progress(): TranslateProgress {
    const now = Date.now();
    return deriveProgress(this.counters, now - this.s.started, this.firstRequestAt === undefined ? 0 : now - this.firstRequestAt, this.s.pricing);
  }

  private emit(): void {
    this.opts.onProgress?.(this.progress());
  }

  private fail(e: unknown): void {
    if (this.failure === undefined && !this.signal.aborted) {
      this.failure = e;
      this.internal.abort(e);
    }
    this.notify();
  }

  private notify(): void {
    const w = this.wakers;
    this.wakers = [];
    for (const wake of w) wake();
  }

  private changed(): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  private async read(): Promise<void> {
    try {
      for await (const r of this.shard.rows(0, this.end)) {
        if (this.signal.aborted) break;
        this.addRow(r);
        this.flushReady();
        while (!this.signal.aborted && (this.queue.length >= this.s.batchSize * this.s.concurrency * 2 || this.buffered.length >= MAX_BUFFERED_ROWS)) {
          this.readerPaused = true;
          this.notify();
          await this.changed();
        }
        this.readerPaused = false;
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.readerDone = true;
      this.readerPaused = false;
      this.flushReady();
      this.notify();
    }
  }

  private addRow(r: RowResult): void {
    const c = this.counters;
    c.rowsRead++;
    const work: RowWork = { index: r.index, units: [], waiting: 0 };
    this.buffered.push(work);
    if (!r.row) {
      c.rowErrors++;
      if (this.rowErrors.length < MAX_ROW_ERRORS) this.rowErrors.push(r.error ?? { row: r.index, message: 'unreadable row' });
      return;
    }
    work.row = r.row;
    for (const unit of textUnits(r.row, this.kind)) {
      const seg = segmentText(unit.text, this.opts.segmenter);
      const keys = seg.segments.map((s) => segmentKey(this.s.context, s.text));
      work.units.push({ address: unit.address, seg, keys });
      seg.segments.forEach((s, i) => {
        const key = keys[i]!;
        c.segments++;
        if (this.seen.has(key)) {
          c.deduped++;
          const waiting = this.inflight.get(key);
          if (waiting) {
            waiting.push(work);
            work.waiting++;
          }
          return;
        }
        this.seen.add(key);
        c.uniqueSegments++;
        c.chars += s.text.length;
        if (this.cache.has(key)) {
          c.cached++;
          c.charsDone += s.text.length;
          return;
        }
        this.queue.push({ key, text: s.text });
        this.inflight.set(key, [work]);
        work.waiting++;
      });
    }
  }

  /** Moves finished rows at the head of the buffer, rebuilt, to the writer. */
  private flushReady(): void {
    let moved = false;
    while (this.buffered.length > 0 && this.buffered[0]!.waiting === 0) {
      const work = this.buffered.shift()!;
      if (work.row) {
        this.ready.push(this.rebuild(work));
        this.counters.rowsDone++;
      }
      moved = true;
    }
    if (moved) this.notify();
  }

  private rebuild(work: RowWork): Row {
    const source = work.row!;
    let row = source;
    for (const u of work.units) {
      if (u.keys.length === 0) continue;
      const { text, issues } = u.seg.rebuildWithReport(u.keys.map((k) => this.cache.get(k)!));
      this.counters.placeholderIssues += issues.length;
      row = withTextAt(row, u.address, text);
    }
    if (this.kind === 'ultrafeedback-raw' && typeof source.prompt_id !== 'string') {
      const english = typeof source.instruction_original === 'string' ? source.instruction_original : source.instruction;
      if (typeof english === 'string') row = { ...row, prompt_id: promptIdOf(english) };
    }
    return row;
  }

  private async work(): Promise<void> {
    while (!this.signal.aborted) {
      const { queue } = this;
      if (queue.length >= this.s.batchSize || (queue.length > 0 && (this.readerDone || this.readerPaused))) {
        const batch = queue.splice(0, this.s.batchSize);
        this.notify(); // the reader may be waiting for the queue to shrink
        try {
          await this.translate(batch);
        } catch (e) {
          if (!this.signal.aborted) this.fail(e);
          return;
        }
        continue;
      }
      if (this.readerDone && queue.length === 0) return;
      await this.changed();
    }
  }

  private async translate(batch: QueuedSegment[]): Promise<void> {
    const { pair, params, model } = this.s;
    const prompts = batch.map((s) => almaPrompt(s.text, pair));
    let usageTokens: number | undefined;
    this.firstRequestAt ??= Date.now();
    const choices = await this.opts.client.complete(prompts, params, {
      signal: this.signal,
      model,
      onUsage: (u) => {
        if (typeof u.completion_tokens === 'number') usageTokens = u.completion_tokens;
      },
    });
    const outputs = choices.map((c, i) => cleanAlmaOutput(c[0]!.text, pair.target, prompts[i]));
    // Durable first: a segment is done only once a restarted job would find it.
    await this.cache.append(batch.map((s, i) => ({ key: s.key, text: outputs[i]! })));
    const c = this.counters;
    c.translated += batch.length;
    for (const s of batch) c.charsTranslated += s.text.length;
    c.charsDone += batch.reduce((n, s) => n + s.text.length, 0);
    if (usageTokens !== undefined) c.completionTokens += usageTokens;
    else {
      c.tokensEstimated = true;
      c.completionTokens += choices.reduce((n, cs) => n + cs.reduce((m, ch) => m + approxTokenCount(ch.text), 0), 0);
    }
    for (const s of batch) {
      for (const row of this.inflight.get(s.key) ?? []) row.waiting--;
      this.inflight.delete(s.key);
    }
    this.flushReady();
    this.emit();
  }

  /** The translated rows in source order, as they complete. */
  private async *output(): AsyncGenerator<Row> {
    let lastEmit = 0;
    for (;;) {
      if (this.ready.length > 0) {
        const rows = this.ready.splice(0);
        // Rows that came from the cache alone finish without a batch; report them now and then.
        if (Date.now() - lastEmit > 250) {
          lastEmit = Date.now();
          this.emit();
        }
        yield* rows;
        continue;
      }
      if (this.signal.aborted) throw this.failure ?? this.signal.reason;
      if (this.readerDone && this.buffered.length === 0) return;
      await this.changed();
    }
  }
}
