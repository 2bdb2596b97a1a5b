/**
 * The job against the embedded inference server with its tiny test model, when that server is part of the
 * checkout (native-runtime/inference/launch.*). The tiny model's German is noise, so this checks structure:
 * schema, format, ids, addresses, code blocks byte-identical, and that a restart of the server (new port)
 * still finds every segment in the cache.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { textUnits } from '../../../src/core/records/address';
import { openShard } from '../../../src/core/records/open';
import type { Row } from '../../../src/core/records/types';
import { findLauncher, openEngine } from '../../../src/core/translate/engine';
import { translateShard } from '../../../src/core/translate/job';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const launcher = findLauncher(ROOT);

async function tinyModelDir(): Promise<string | undefined> {
  if (process.env.PHOENIX_TINY_MODEL) return process.env.PHOENIX_TINY_MODEL;
  if (!launcher) return undefined;
  const mod = (await import(pathToFileURL(launcher).href)) as Record<string, unknown>;
  for (const name of ['TINY_MODEL_DIR', 'tinyModelDir', 'TEST_MODEL_DIR', 'testModelDir']) {
    const v = mod[name];
    const dir = typeof v === 'function' ? await (v as () => unknown)() : v;
    if (typeof dir === 'string' && existsSync(dir)) return dir;
  }
  const inference = path.dirname(launcher);
  return ['test-model', 'tiny-model', 'fixtures/tiny-model', 'fixtures/tiny', 'testdata/tiny-model']
    .map((d) => path.join(inference, d))
    .find((d) => existsSync(d));
}

const modelDir = await tinyModelDir();
const skip = !launcher ? 'the embedded server (native-runtime/inference/launch) is not in this checkout yet' : !modelDir ? 'no tiny test model found (set PHOENIX_TINY_MODEL)' : false;

async function rows(file: string): Promise<Row[]> {
  const shard = await openShard(file);
  const out: Row[] = [];
  for await (const r of shard.rows()) out.push(r.row!);
  await shard.close();
  return out;
}

describe('translation job (embedded server, tiny model)', { skip, timeout: 120_000 }, () => {
  it('translates sample rows with the structure intact, and a restarted server finds them all cached', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'phoenix-'));
    try {
      const source = path.join(ROOT, 'samples/ultrachat/en.jsonl');
      const out = path.join(dir, 'de.jsonl');
      const run = async () => {
        const engine = await openEngine({ modelDir: modelDir! }, { searchFrom: [ROOT] });
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
