import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { textUnits } from '../../../src/core/records/address';
import { openShard, shardKind } from '../../../src/core/records/open';
import { writeShardParquet } from '../../../src/core/records/parquet-write';
import { pairShards } from '../../../src/core/records/pairing';
import { promptIdOf } from '../../../src/core/records/schema';
import type { Row, SchemaKind } from '../../../src/core/records/types';
import { cachePathFor } from '../../../src/core/translate/cache';
import { CompletionsClient } from '../../../src/core/translate/client';
import { TranslateCancelledError, TranslateInputError, translateShard, type TranslateJobOptions } from '../../../src/core/translate/job';
import type { TranslateProgress } from '../../../src/core/translate/progress';
import { generate } from '../../../src/core/synth';
import { startEchoServer, type EchoServer } from './fixtures/echo-process';

const SAMPLES = path.resolve(import.meta.dirname, '../../../samples');
let dir: string;
let echo: EchoServer;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'phoenix-'));
  echo = await startEchoServer();
});
after(async () => {
  await echo.close();
  rmSync(dir, { recursive: true, force: true });
});

async function readAll(file: string): Promise<{ rows: Row[]; kind: SchemaKind | null; format: string; fields?: string[] }> {
  const shard = await openShard(file);
  try {
    const rows: Row[] = [];
    for await (const r of shard.rows()) {
      assert.ok(r.row, `${file} row ${r.index}: ${r.error?.message}`);
      rows.push(r.row);
    }
    return { rows, kind: await shardKind(shard), format: shard.format, fields: (shard as { fields?: string[] }).fields };
  } finally {
    await shard.close();
  }
}

const FENCE = /^[ \t>]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?\n[ \t>]*\1[ \t]*$/gm;
const INLINE_CODE = /`[^`\n]+`/g;

function job(source: string, out: string, extra: Partial<TranslateJobOptions> = {}): Promise<ReturnType<typeof translateShard> extends Promise<infer R> ? R : never> {
  return translateShard({ source, out, client: new CompletionsClient({ baseUrl: echo.url }), batchSize: 8, concurrency: 2, ...extra });
}

/** Every text changed, code copied byte for byte, everything else equal; ids and addresses as the source's. */
function assertTranslation(kind: SchemaKind, src: Row[], out: Row[]): void {
  assert.equal(out.length, src.length);
  let fences = 0;
  src.forEach((s, i) => {
    const o = out[i]!;
    const su = textUnits(s, kind);
    const ou = textUnits(o, kind);
    assert.deepEqual(ou.map((u) => [u.address, u.role]), su.map((u) => [u.address, u.role]), `row ${i}: addresses and roles`);
    su.forEach((u, j) => {
      const t = ou[j]!.text;
      if (/\p{L}/u.test(u.text.replace(FENCE, ''))) assert.match(t, /⟨de⟩/, `row ${i} ${u.address} was not translated`);
      for (const block of u.text.match(FENCE) ?? []) {
        fences++;
        assert.ok(t.includes(block), `row ${i} ${u.address}: code block changed`);
      }
      for (const code of u.text.replace(FENCE, '').match(INLINE_CODE) ?? []) assert.ok(t.includes(code), `row ${i} ${u.address}: ${code} changed`);
    });
    // Non-text fields are copied: blank every text out and the rows must be equal.
    const blank = (r: Row, units: { address: string }[]) => {
      const copy = structuredClone(r) as Record<string, unknown>;
      for (const u of units) {
        const parts = u.address.split('/');
        let cur = copy as Record<string, unknown>;
        for (const p of parts.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
        cur[parts.at(-1)!] = '';
      }
      return copy;
    };
    const expected = blank(s, su);
    if (kind === 'ultrafeedback-raw') expected.prompt_id = promptIdOf(s.instruction as string);
    assert.deepEqual(blank(o, ou), expected, `row ${i}: non-text fields`);
  });
  if (kind === 'ultrachat') assert.ok(fences > 0, 'the sample should hold code blocks');
}

describe('translation job (deterministic test translator)', { timeout: 60_000 }, () => {
  it('translates the UltraChat JSONL sample: same schema, prompt_ids, addresses, code byte-identical, each segment sent once', async () => {
    await echo.reset();
    const source = path.join(SAMPLES, 'ultrachat/en.jsonl');
    const out = path.join(dir, 'uc-de.jsonl');
    const progress: TranslateProgress[] = [];
    const report = await job(source, out, { onProgress: (p) => progress.push(p) });
    const src = await readAll(source);
    const got = await readAll(out);
    assert.equal(got.kind, 'ultrachat');
    assert.equal(got.format, 'jsonl');
    assertTranslation('ultrachat', src.rows, got.rows);
    assert.deepEqual(got.rows.map((r) => r.prompt_id), src.rows.map((r) => r.prompt_id));
    // The output pairs with its source by prompt_id (mode a), every row.
    const [s, t] = [await openShard(source), await openShard(out)];
    const pairing = await pairShards(s, t);
    await Promise.all([s.close(), t.close()]);
    assert.equal(pairing.pairs.length, src.rows.length);
    assert.equal(pairing.missingInTarget.length + pairing.missingInSource.length, 0);

    const stats = await echo.stats();
    assert.ok(Object.values(stats.served).every((n) => n === 1), 'a segment was sent twice');
    const p = report.progress;
    assert.equal(p.translated, stats.segmentsServed);
    assert.equal(p.uniqueSegments, p.translated);
    // UltraChat's prompt repeats messages/0/content: one repeat per row at least.
    assert.ok(p.deduped >= src.rows.length, `repeats ${p.deduped}`);
    assert.equal(p.segments, p.uniqueSegments + p.deduped);
    assert.equal(p.rowsDone, 32);
    assert.equal(p.tokensEstimated, false);
    assert.ok(p.completionTokens > 0 && p.tokensPerSecond! > 0);
    assert.equal(readFileSync(cachePathFor(out), 'utf8').trim().split('\n').length, p.translated);
    // Progress only grows, and the last event is the report's.
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.translated >= progress[i - 1]!.translated);
    assert.equal(progress.at(-1)!.rowsDone, 32);
    assert.equal(p.cost.chars, p.chars);
    assert.ok(p.cost.gpuCost! > 0 && p.cost.apiCost > 0);
  });

  it('a second run takes every segment from the cache and writes the same bytes', async () => {
    const source = path.join(SAMPLES, 'ultrachat/en.jsonl');
    const out = path.join(dir, 'uc-de.jsonl');
    const before = readFileSync(out);
    await echo.reset();
    const report = await job(source, out);
    assert.equal((await echo.stats()).requests, 0);
    assert.equal(report.progress.translated, 0);
    assert.equal(report.progress.cached, report.progress.uniqueSegments);
    assert.equal(report.cacheLoaded, report.progress.uniqueSegments);
    assert.deepEqual(readFileSync(out), before);
  });

  it('writes prompt_id = sha256 of the English instruction into raw UltraFeedback rows; scores, models, annotations copied', async () => {
    const source = path.join(SAMPLES, 'ultrafeedback-raw/en.jsonl');
    const out = path.join(dir, 'raw-de.jsonl');
    await job(source, out);
    const src = await readAll(source);
    const got = await readAll(out);
    assert.equal(got.kind, 'ultrafeedback-raw');
    assertTranslation('ultrafeedback-raw', src.rows, got.rows);
    assert.deepEqual(got.rows.map((r) => r.prompt_id), src.rows.map((r) => promptIdOf(r.instruction as string)));
  });

  it('translates UltraFeedback binarized rows, chosen/rejected/messages alike', async () => {
    const source = path.join(SAMPLES, 'ultrafeedback-binarized/en.jsonl');
    const out = path.join(dir, 'bin-de.jsonl');
    await job(source, out);
    const src = await readAll(source);
    assertTranslation('ultrafeedback-binarized', src.rows, (await readAll(out)).rows);
  });

  it('keeps parquet as parquet, with the columns of the published German shard', async () => {
    const source = path.join(dir, 'gen-en.parquet');
    await writeShardParquet(source, 'ultrachat', generate({ kind: 'ultrachat', rows: 40, seed: 7 }), { rowGroupSize: 16 });
    const out = path.join(dir, 'gen-de.parquet');
    const report = await job(source, out, { batchSize: 16 });
    assert.equal(report.format, 'parquet');
    const src = await readAll(source);
    const got = await readAll(out);
    const sample = await readAll(path.join(SAMPLES, 'ultrachat/de.parquet'));
    assert.equal(got.format, 'parquet');
    assert.equal(got.kind, 'ultrachat');
    assert.deepEqual(got.fields, sample.fields);
    assertTranslation('ultrachat', src.rows, got.rows);
  });

  it('stops on abort with the translated segments cached and no output written', async () => {
    const out = path.join(dir, 'abort-de.jsonl');
    await echo.reset();
    await echo.control({ holdAfter: 16 });
    try {
      const controller = new AbortController();
      const running = job(path.join(SAMPLES, 'ultrachat/en.jsonl'), out, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.translated >= 16) setTimeout(() => controller.abort(new Error('user cancelled')), 50);
        },
      });
      const err = await running.then(
        () => assert.fail('should have been cancelled'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof TranslateCancelledError, String(err));
      assert.equal(err.progress.translated, 16);
      assert.equal(existsSync(out), false);
      const lines = readFileSync(cachePathFor(out), 'utf8').trim().split('\n');
      assert.equal(lines.length, 16);
      // No temp files left next to the output.
      assert.deepEqual(
        (await import('node:fs')).readdirSync(dir).filter((f) => f.includes('abort-de') && f.endsWith('.tmp')),
        [],
      );
    } finally {
      await echo.control({ holdAfter: null });
    }
    // Resuming sends only the rest.
    await echo.reset();
    const report = await job(path.join(SAMPLES, 'ultrachat/en.jsonl'), out);
    assert.equal(report.progress.cached, 16);
    assert.equal((await echo.stats()).segmentsServed, report.progress.uniqueSegments - 16);
  });

  it('cuts a torn last cache line (a write killed halfway) and re-translates only that segment', async () => {
    const source = path.join(SAMPLES, 'ultrachat/en.jsonl');
    const out = path.join(dir, 'torn-de.jsonl');
    const first = await job(source, out);
    const cache = cachePathFor(out);
    const lines = readFileSync(cache, 'utf8').split('\n').filter(Boolean);
    writeFileSync(cache, lines.slice(0, -1).join('\n') + '\n' + lines.at(-1)!.slice(0, 30));
    appendFileSync(cache, ''); // still torn
    await echo.reset();
    const again = await job(source, out);
    assert.equal(again.progress.translated, 1);
    assert.equal(again.cacheBadLines, 0);
    assert.equal(readFileSync(cache, 'utf8').split('\n').filter(Boolean).length, first.progress.uniqueSegments);
    assert.equal((await echo.stats()).segmentsServed, 1);
  });

  it('leaves an unreadable source row out, names its line, and translates the rest', async () => {
    const out = path.join(dir, 'malformed-de.jsonl');
    const report = await job(path.join(SAMPLES, 'broken/malformed-line.jsonl'), out);
    assert.equal(report.progress.rowErrors, 1);
    assert.equal(report.rowErrors[0]!.line, 3);
    assert.equal(report.progress.rowsDone, 4);
    const got = await readAll(out);
    assert.equal(got.rows.length, 4);
    assert.ok(got.rows.every((r) => String(r.prompt).startsWith('⟨de⟩')));
  });

  it('estimates tokens when the server sends no usage', async () => {
    const plain = await startEchoServer(['--no-usage']);
    try {
      const report = await translateShard({
        source: path.join(SAMPLES, 'ultrachat/en.jsonl'),
        out: path.join(dir, 'nousage-de.jsonl'),
        client: new CompletionsClient({ baseUrl: plain.url }),
        limit: 3,
      });
      assert.equal(report.progress.rowsDone, 3);
      assert.equal(report.progress.tokensEstimated, true);
      assert.ok(report.progress.completionTokens > 0);
    } finally {
      await plain.close();
    }
  });

  it('refuses a format change, the source as output, unknown languages and unknown shapes', async () => {
    const source = path.join(SAMPLES, 'ultrachat/en.jsonl');
    const client = new CompletionsClient({ baseUrl: echo.url });
    const bad: Array<[Partial<TranslateJobOptions>, RegExp]> = [
      [{ out: path.join(dir, 'x.parquet') }, /keeps the source's format \(jsonl\)/],
      [{ out: source }, /must not be the source/],
      [{ out: path.join(dir, 'x.txt') }, /\.jsonl, \.ndjson, \.json or \.parquet/],
      [{ out: path.join(dir, 'x.jsonl'), pair: { source: 'en', target: 'xx' } }, /unknown language "xx"/],
      [{ out: path.join(dir, 'x.jsonl'), batchSize: 0 }, /batch size must be a positive integer/],
      [{ out: path.join(dir, 'x.jsonl'), source: path.join(SAMPLES, 'broken/unknown-schema.jsonl') }, /unknown record shape/],
    ];
    for (const [over, message] of bad) {
      await assert.rejects(translateShard({ source, out: '', client, ...over }), (e: Error) => e instanceof TranslateInputError && message.test(e.message));
    }
    assert.equal(existsSync(path.join(dir, 'x.jsonl')), false);
  });
});
