import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheContext, segmentKey } from '../../../src/core/translate/cache';
import { completionParams } from '../../../src/core/translate/alma';
import { DEFAULT_PRICING, estimateCost, formatCost, pricingOf } from '../../../src/core/translate/cost';
import { defaultOutputPath } from '../../../src/core/translate/job';
import { deriveProgress, emptyCounters, formatDuration, formatProgress } from '../../../src/core/translate/progress';

describe('translation cost and progress math', () => {
  it("reproduces the paper's comparison: 1.5 billion characters, ~30 EUR of GPU against 30,000 EUR of API fees", () => {
    // 15 GPU hours at 2 EUR/h: 1.5e9 chars / (15 * 3600 s) ≈ 27,778 chars/s.
    const c = estimateCost(1.5e9, 1.5e9 / (15 * 3600));
    assert.equal(c.apiCost, 30_000);
    assert.ok(Math.abs(c.gpuHours! - 15) < 1e-9);
    assert.ok(Math.abs(c.gpuCost! - 30) < 1e-9);
    assert.ok(Math.abs(c.savingsFactor! - 1000) < 1e-6);
    assert.equal(c.currency, 'EUR');
    assert.match(formatCost(c), /^GPU ≈ 30 EUR \(15 h at 2 EUR\/h\) vs API ≈ 30,000 EUR \(20 EUR\/M chars\), 1000× cheaper$/);
  });

  it('has no GPU figure before a throughput is measured, and checks prices', () => {
    const c = estimateCost(2e6, undefined, pricingOf({ apiPricePerMillionChars: 5 }));
    assert.equal(c.apiCost, 10);
    assert.equal(c.gpuCost, undefined);
    assert.match(formatCost(c), /no throughput measured yet; API ≈ 10 EUR/);
    assert.deepEqual(pricingOf({ gpuPricePerHour: undefined }), DEFAULT_PRICING);
    assert.throws(() => pricingOf({ gpuPricePerHour: -1 }), /gpuPricePerHour must be a number >= 0/);
    assert.throws(() => pricingOf({ apiPricePerMillionChars: NaN }), /apiPricePerMillionChars/);
  });

  it('extrapolates characters to the whole shard and derives rates and ETA from engine time', () => {
    const c = { ...emptyCounters(1000), rowsRead: 100, rowsDone: 80, chars: 50_000, charsDone: 30_000, charsTranslated: 20_000, completionTokens: 6_000 };
    // 10 s of engine time (the first 5 s of the run went to cached rows).
    const p = deriveProgress(c, 15_000, 10_000, DEFAULT_PRICING);
    assert.equal(p.charsPerSecond, 2_000);
    assert.equal(p.tokensPerSecond, 600);
    assert.equal(p.estimatedChars, 500_000);
    // 470,000 chars still to do at 2,000 chars/s.
    assert.equal(p.etaMs, 235_000);
    assert.equal(p.cost.chars, 500_000);
    assert.equal(p.cost.apiCost, 10);
    assert.ok(Math.abs(p.cost.gpuHours! - 500_000 / 2_000 / 3600) < 1e-12);
    assert.match(formatProgress(p), /^rows 80\/1000 · segments 0 \(translated 0, cached 0, repeats 0\) · 20.0k chars · 600 tok\/s · ETA 3m55s$/);
  });

  it('has no rate or ETA before the first answer, and ETA 0 when all is done', () => {
    const start = deriveProgress(emptyCounters(10), 100, 0, DEFAULT_PRICING);
    assert.equal(start.etaMs, undefined);
    assert.equal(start.tokensPerSecond, undefined);
    const cachedOnly = deriveProgress({ ...emptyCounters(10), rowsRead: 10, rowsDone: 10, chars: 500, charsDone: 500, cached: 5 }, 100, 0, DEFAULT_PRICING);
    assert.equal(cachedOnly.etaMs, 0);
    assert.equal(cachedOnly.estimatedChars, 500);
    assert.deepEqual([formatDuration(59_400), formatDuration(61_000), formatDuration(3_720_000)], ['59s', '1m01s', '1h02m']);
  });

  it('puts the translation next to its source: en.jsonl → de.jsonl', () => {
    assert.equal(defaultOutputPath('/w/ultrachat/en.jsonl'), '/w/ultrachat/de.jsonl');
    assert.equal(defaultOutputPath('/w/train.en.parquet'), '/w/train.de.parquet');
    assert.equal(defaultOutputPath('/w/en/train.jsonl'), '/w/de/train.jsonl');
    assert.equal(defaultOutputPath('/w/train_sft.jsonl'), '/w/train_sft.de.jsonl');
    assert.equal(defaultOutputPath('/w/english.jsonl', 'en', 'fr'), '/w/english.fr.jsonl');
  });

  it('keys segments by text, engine, model, language pair and settings', () => {
    const base = { engine: 'http://gpu:8000', model: 'haoranxu/ALMA-13B', pair: { source: 'en', target: 'de' }, params: completionParams() };
    const key = (over: Partial<typeof base>, text = 'Hello world.') => segmentKey(cacheContext({ ...base, ...over }), text);
    const k = key({});
    assert.match(k, /^[0-9a-f]{64}$/);
    assert.equal(key({ pair: { source: 'English', target: 'de-DE' } }), k, 'codes and names of one language are one key');
    assert.equal(key({ params: { ...completionParams() } }), k);
    for (const other of [
      key({}, 'Hello world!'),
      key({ engine: 'http://other:8000' }),
      key({ model: 'haoranxu/ALMA-7B' }),
      key({ pair: { source: 'en', target: 'fr' } }),
      key({ params: completionParams({ beams: 1 }) }),
      key({ params: completionParams({ maxNewTokens: 128 }) }),
    ]) assert.notEqual(other, k);
  });
});
