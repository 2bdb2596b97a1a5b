/**
 * The job against the embedded inference server with its tiny test model. The tiny model's German is noise, so this checks structure:
 * schema, format, ids, addresses, code blocks byte-identical, and that a restart of the server (new port)
 * still finds every segment in the cache.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { textUnits } from '../../../src/core/records/address';
import { openShard } from '../../../src/core/records/open';
import type { Row } from '../../../src/core/records/types';
import { tinyModelDir } from '../../../native-runtime/inference/tools/tiny-model-dir';
import { openEngine } from '../../../src/core/translate/engine';
import { translateShard } from '../../../src/core/translate/job';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const modelDir = process.env.PHOENIX_TINY_MODEL ?? (await tinyModelDir());

async function rows(file: string): Promise<Row[]> {
  const shard = await openShard(file);
  const out: Row[] = [];
  for await (const r of shard.rows()) out.push(r.row!);
  await shard.close();
  return out;
}

describe('translation job (embedded server, tiny model)', { timeout: 120_000 }, () => {
  it('translates sample rows with the structure intact, and a restarted server finds them all cached', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'phoenix-'));
    try {
      const source = path.join(ROOT, 'samples/ultrachat/en.jsonl');
      const out = path.join(dir, 'de.jsonl');
      const run = async () => {
        const engine = await openEngine({ modelDir });
        try {
          return await translateShard({ source, out, client: engine.client, engineId: engine.engineId, model: engine.model, limit: 4, generation: { beams: 1, maxNewTokens: 16 } });
        } finally {
          await engine.stop();
        }
      };
      const first = await run();
      assert.ok(first.progress.translated > 0);
      const [src, got] = [(await rows(source)).slice(0, 4), await rows(out)];
      assert.deepEqual(got.map((r) => r.prompt_id), src.map((r) => r.prompt_id));
      src.forEach((s, i) => {
        const su = textUnits(s, 'ultrachat');
        const ou = textUnits(got[i]!, 'ultrachat');
        assert.deepEqual(ou.map((u) => [u.address, u.role]), su.map((u) => [u.address, u.role]));
        su.forEach((u, j) => {
          for (const block of u.text.match(/^```[^\n]*\n[\s\S]*?\n```$/gm) ?? []) assert.ok(ou[j]!.text.includes(block), `row ${i} ${u.address}: code changed`);
        });
      });
      const second = await run();
      assert.equal(second.progress.translated, 0);
      assert.equal(second.progress.cached, first.progress.uniqueSegments);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
