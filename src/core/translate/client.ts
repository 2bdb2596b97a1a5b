/**
 * Client for the OpenAI-compatible completions API as vLLM serves it (`POST /v1/completions` with batched
 * prompts, `GET /v1/models`), also spoken by our own inference server in native-runtime/inference.
 *
 * - Bounded concurrency: at most `concurrency` HTTP requests in flight per client, FIFO.
 * - Retries with exponential backoff and jitter on 408/425/429/5xx (not 501/505), network errors and
 *   timeouts; a `Retry-After` header (seconds or HTTP date) lengthens the wait, up to `maxRetryAfterMs`.
 * - Per-attempt timeout covering the whole response body.
 * - Cancellation: aborting the signal aborts in-flight requests, wakes backoff sleeps and drops queued
 *   requests before they are sent. The returned promise rejects with the signal's reason.
 * - Choices are mapped back to prompt order by their `index` (prompt i, choice j → index i·n + j).
 */

import type { CompletionSamplingParams } from './alma';

export interface CompletionsClientOptions {
  /** Server root, e.g. `http://127.0.0.1:8000` (a trailing `/v1` is accepted and dropped). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string;
  /** Model name for requests; when unset, the first model `/v1/models` lists. */
  model?: string;
  /** Most HTTP requests in flight at once (default 4). */
  concurrency?: number;
  /** Per-attempt timeout in ms, response body included (default 120000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** First backoff in ms, doubled each retry (default 500), capped at `maxBackoffMs` (default 30000). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Longest wait a `Retry-After` header can ask for (default 120000). */
  maxRetryAfterMs?: number;
  /** Randomness for jitter, in [0, 1) (default Math.random). */
  random?: () => number;
  /** Called before each retry's wait. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  url: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  reason: string;
  status?: number;
}

export interface CompletionChoice {
  index: number;
  text: string;
  finish_reason: string | null;
}

export interface ModelInfo {
  id: string;
  [field: string]: unknown;
}

export type CompletionParams = Partial<CompletionSamplingParams> & Record<string, unknown>;

export interface RequestOptions {
  signal?: AbortSignal;
  model?: string;
  /** Called with the response's `usage` when the server sends one (vLLM does; token rates come from it). */
  onUsage?: (usage: CompletionUsage) => void;
}

/** The `usage` object of a completions response. */
export interface CompletionUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

export interface BatchOptions extends RequestOptions {
  /** Prompts per request (default 32). */
  batchSize?: number;
  /** Called as each batch finishes, with how many prompts are done so far. */
  onProgress?: (donePrompts: number, totalPrompts: number) => void;
}

export class CompletionsError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
    this.name = 'CompletionsError';
  }
}

const RETRYABLE_STATUS = (status: number): boolean =>
  status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501 && status !== 505);

/** A FIFO counting semaphore whose waiters leave the queue when their signal aborts. */
export class Semaphore {
  private available: number;
  private readonly waiters: Array<{ grant: () => void; fail: (reason: unknown) => void }> = [];

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`concurrency must be a positive integer, got ${size}`);
    this.available = size;
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next.grant();
      else this.available++;
    };
    if (this.available > 0) {
      this.available--;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        fail: reject,
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class CompletionsClient {
  readonly baseUrl: string;
  private readonly semaphore: Semaphore;
  private readonly opts: Required<Omit<CompletionsClientOptions, 'apiKey' | 'model' | 'onRetry'>> &
    Pick<CompletionsClientOptions, 'apiKey' | 'model' | 'onRetry'>;
  private modelPromise: Promise<string> | undefined;

  constructor(options: CompletionsClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.opts = {
      concurrency: 4,
      timeoutMs: 120_000,
      maxRetries: 5,
      backoffMs: 500,
      maxBackoffMs: 30_000,
      maxRetryAfterMs: 120_000,
      random: Math.random,
      ...options,
    };
    this.semaphore = new Semaphore(this.opts.concurrency);
  }

  /** `GET /v1/models`. */
  async models(options: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    const body = await this.request('GET', '/v1/models', undefined, options.signal);
    const data = (body as { data?: unknown }).data;
    if (!Array.isArray(data) || data.some((m) => typeof (m as ModelInfo)?.id !== 'string')) {
      throw new CompletionsError(`${this.baseUrl}/v1/models: expected {data: [{id}]}`, false);
    }
    return data as ModelInfo[];
  }

  /**
   * One `POST /v1/completions` for all `prompts` (with retries). Returns, per prompt in order, its `n`
   * choices in index order (for beam search: best first).
   */
  async complete(prompts: readonly string[], params: CompletionParams, options: RequestOptions = {}): Promise<CompletionChoice[][]> {
    if (prompts.length === 0) return [];
    const model = options.model ?? (await this.defaultModel(options.signal));
    const n = params.n ?? 1;
    const body = await this.request('POST', '/v1/completions', { ...params, model, prompt: [...prompts] }, options.signal);
    const choices = this.mapChoices(body, prompts.length, n);
    const usage = (body as { usage?: unknown }).usage;
    if (options.onUsage && usage !== null && typeof usage === 'object') options.onUsage(usage as CompletionUsage);
    return choices;
  }

  /**
   * All `prompts` in requests of `batchSize`, as many at once as the concurrency allows; the result keeps
   * prompt order. The first failing batch (after its retries) cancels the others and is thrown.
   */
  async completeAll(prompts: readonly string[], params: CompletionParams, options: BatchOptions = {}): Promise<CompletionChoice[][]> {
    const batchSize = options.batchSize ?? 32;
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    if (prompts.length === 0) return [];
    const failFast = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, failFast.signal]) : failFast.signal;
    const model = options.model ?? (await this.defaultModel(signal));
    const results = new Array<CompletionChoice[]>(prompts.length);
    const batchCount = Math.ceil(prompts.length / batchSize);
    let next = 0;
    let done = 0;
    // A pool of workers pulling batches, rather than one queued promise per batch: a shard has thousands.
    const worker = async (): Promise<void> => {
      while (next < batchCount && !signal.aborted) {
        const start = next++ * batchSize;
        const slice = prompts.slice(start, start + batchSize);
        try {
          const choices = await this.complete(slice, params, { signal, model });
          choices.forEach((c, i) => (results[start + i] = c));
        } catch (err) {
          if (!failFast.signal.aborted) failFast.abort(err);
          throw err;
        }
        done += slice.length;
        options.onProgress?.(done, prompts.length);
      }
    };
    await Promise.allSettled(Array.from({ length: Math.min(this.opts.concurrency, batchCount) }, worker));
    if (options.signal?.aborted) throw options.signal.reason;
    if (failFast.signal.aborted) throw failFast.signal.reason;
    return results;
  }

  private defaultModel(signal?: AbortSignal): Promise<string> {
    if (this.opts.model) return Promise.resolve(this.opts.model);
    this.modelPromise ??= this.models({ signal }).then((models) => {
      if (models.length === 0) throw new CompletionsError(`${this.baseUrl}/v1/models lists no model`, false);
      return models[0]!.id;
    });
    // A failed lookup (e.g. server still starting) is asked again next time.
    this.modelPromise.catch(() => (this.modelPromise = undefined));
    return this.modelPromise;
  }

  private mapChoices(body: unknown, promptCount: number, n: number): CompletionChoice[][] {
    const choices = (body as { choices?: unknown }).choices;
    const where = `${this.baseUrl}/v1/completions`;
    if (!Array.isArray(choices)) throw new CompletionsError(`${where}: response has no choices array`, false);
    const out = Array.from({ length: promptCount }, () => Array.from({ length: n }, (): CompletionChoice | undefined => undefined));
    for (const c of choices as Array<Partial<CompletionChoice>>) {
      const { index, text } = c ?? {};
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= promptCount * n || typeof text !== 'string') {
        throw new CompletionsError(`${where}: bad choice ${JSON.stringify(c).slice(0, 200)} for ${promptCount} prompts × n=${n}`, false);
      }
      out[Math.floor(index / n)]![index % n] = { index, text, finish_reason: c.finish_reason ?? null };
    }
    const missing = out.findIndex((row) => row.some((c) => c === undefined));
    if (missing >= 0) {
      throw new CompletionsError(`${where}: ${choices.length} choices for ${promptCount} prompts × n=${n}; prompt ${missing} lacks some`, false);
    }
    return out as CompletionChoice[][];
  }

  private async request(method: 'GET' | 'POST', path: string, payload: unknown, signal?: AbortSignal): Promise<unknown> {
    const url = this.baseUrl + path;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    const body = payload === undefined ? undefined : JSON.stringify(payload);

    for (let attempt = 1; ; attempt++) {
      let failure: CompletionsError;
      let retryAfterMs: number | undefined;
      const release = await this.semaphore.acquire(signal);
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new CompletionsError(`${method} ${url}: no complete response within ${this.opts.timeoutMs} ms`, true));
      }, this.opts.timeoutMs);
      const onAbort = (): void => controller.abort(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const res = await fetch(url, { method, headers, body, signal: controller.signal });
        const text = await res.text();
        if (res.ok) {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            throw new CompletionsError(`${method} ${url}: response is not JSON: ${text.slice(0, 200)}`, false, res.status, text);
          }
        }
        failure = new CompletionsError(
          `${method} ${url}: HTTP ${res.status} ${res.statusText}: ${text.slice(0, 500)}`,
          RETRYABLE_STATUS(res.status),
          res.status,
          text,
        );
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (timedOut) failure = controller.signal.reason as CompletionsError;
        else if (err instanceof CompletionsError) throw err;
        else failure = new CompletionsError(`${method} ${url}: ${describeNetworkError(err)}`, true);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        release();
      }

      if (!failure.retryable || attempt > this.opts.maxRetries) {
        if (attempt > 1) failure.message += ` (after ${attempt} attempts)`;
        throw failure;
      }
      const { backoffMs, maxBackoffMs, maxRetryAfterMs, random } = this.opts;
      const backoff = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1)) * (0.5 + random() / 2);
      const delayMs = Math.round(Math.max(backoff, Math.min(retryAfterMs ?? 0, maxRetryAfterMs)));
      this.opts.onRetry?.({ url, attempt, delayMs, reason: failure.message, status: failure.status });
      await sleep(delayMs, signal);
    }
  }
}

function describeNetworkError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${(cause as Error & { code?: string }).code ?? cause.message}` : '';
    return `${err.message}${detail}`;
  }
  return String(err);
}
