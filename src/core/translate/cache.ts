/**
 * The segment cache of a translation job: one JSON line per translated segment, `{"k": key, "t": translation}`,
 * appended to `<out>.phoenix-cache.jsonl` and fsync'd before the job counts the segment as done. A killed job
 * restarts, loads the file and sends only segments it has no line for, so nothing is translated twice and
 * nothing acknowledged is lost. Appends from concurrent batches are group-committed: one write and one fsync
 * for whatever queued while the previous fsync ran.
 *
 * A key is sha256 over the segment text and everything that decides its translation (engine, model, language
 * pair, generation settings, cache version), so one file can hold several engines' work without mixing them.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { languageName, type CompletionSamplingParams, type LanguagePair } from './alma';

/** Bump when cleaning or prompting changes what a cached translation would be. */
export const CACHE_VERSION = 1;

export function cachePathFor(out: string): string {
  return `${out}.phoenix-cache.jsonl`;
}

export interface CacheContext {
  /** The engine's identity: a server URL, or `embedded:<model dir>` (its port changes every start). */
  engine: string;
  model: string;
  pair: LanguagePair;
  params: CompletionSamplingParams;
}

/** The part of every key that is not the text, as one stable string. */
export function cacheContext(c: CacheContext): string {
  const params = Object.fromEntries(Object.entries(c.params).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify([CACHE_VERSION, c.engine, c.model, languageName(c.pair.source), languageName(c.pair.target), params]);
}

export function segmentKey(context: string, text: string): string {
  return createHash('sha256').update(context).update('\u0000').update(text).digest('hex');
}

export interface CacheEntry {
  key: string;
  text: string;
}

export class SegmentCache {
  private readonly map = new Map<string, string>();
  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  /** Lines read at open that were not cache entries (a torn last line is cut off, not counted). */
  badLines = 0;
  /** Bytes of a torn last line cut off at open (a write the killed process never finished). */
  tornBytes = 0;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
  ) {}

  /** Opens (or creates) the cache file and loads its entries. */
  static async open(path: string): Promise<SegmentCache> {
    const fh = await open(path, 'a+');
    const cache = new SegmentCache(path, fh);
    try {
      await cache.cutTornTail();
      await cache.load();
    } catch (e) {
      await fh.close();
      throw e;
    }
    return cache;
  }

  get size(): number {
    return this.map.size;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get(key: string): string | undefined {
    return this.map.get(key);
  }

  /** Adds entries; resolves once they are on disk (written and fsync'd). */
  append(entries: readonly CacheEntry[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.path}: cache is closed`));
    if (entries.length === 0) return Promise.resolve();
    for (const e of entries) {
      this.map.set(e.key, e.text);
      this.pending.push(JSON.stringify({ k: e.key, t: e.text }) + '\n');
    }
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.flushing ??= this.drain();
    return done;
  }

  /** Waits for pending appends, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing?.catch(() => undefined);
    await this.fh.close();
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const data = this.pending.join('');
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        await this.fh.write(data);
        await this.fh.sync();
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(new Error(`${this.path}: cannot append to the cache: ${(e as Error).message}`));
      }
    }
    this.flushing = undefined;
  }

  /** A process killed inside a write leaves a line without its newline; appending after it would glue two. */
  private async cutTornTail(): Promise<void> {
    const { size } = await this.fh.stat();
    if (size === 0) return;
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await this.fh.read(chunk, 0, end - start, start);
      const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (nl >= 0) {
        const keep = start + nl + 1;
        if (keep < size) {
          this.tornBytes = size - keep;
          await this.fh.truncate(keep);
        }
        return;
      }
      end = start;
    }
    this.tornBytes = size;
    await this.fh.truncate(0);
  }

  private async load(): Promise<void> {
    const lines = createInterface({ input: createReadStream(this.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === '') continue;
      try {
        const e = JSON.parse(line) as { k?: unknown; t?: unknown };
        if (typeof e.k === 'string' && typeof e.t === 'string') {
          this.map.set(e.k, e.t);
          continue;
        }
      } catch {
        // counted below
      }
      this.badLines++;
    }
  }
}
