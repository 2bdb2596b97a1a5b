import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli/phoenix';
import { cachePathFor } from '../../../src/core/translate/cache';
import { startEchoServer, type EchoServer } from './fixtures/echo-process';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(ROOT, 'src/cli/phoenix.ts');
const SOURCE = path.join(ROOT, 'samples/ultrachat/en.jsonl');
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

interface Run {
  child: ChildProcess;
  /** Segments translated according to the last progress line. */
  translated: () => number;
  stderr: () => string;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runCli(out: string, extra: string[] = []): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'translate', SOURCE, '--out', out, '--url', echo.url, '--batch', '8', '--concurrency', '2', '--progress-interval', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let translated = 0;
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  createInterface({ input: child.stderr! }).on('line', (l) => {
    stderr += l + '\n';
    const m = /segments \d+ \(translated (\d+),/.exec(l);
    if (m) translated = Number(m[1]);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, translated: () => translated, stderr: () => stderr, stdout: () => stdout, exit };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs with the server holding requests after `holdAfter` segments, and waits until the job has cached all it got. */
async function runUntilHeld(out: string, holdAfter: number): Promise<{ run: Run; served: number }> {
  await echo.control({ holdAfter });
  const run = runCli(out);
  let served = 0;
  await until('the server to hold requests and the job to report what it got', async () => {
    const s = await echo.stats();
    served = s.segmentsServed;
    return s.held > 0 && run.translated() === served;
  });
  return { run, served };
}

const cacheLines = (out: string) => readFileSync(cachePathFor(out), 'utf8').split('\n').filter(Boolean).length;

describe('phoenix translate (deterministic test translator)', { timeout: 90_000 }, () => {
  it('SIGKILLed midway, then resumed: the output equals an uninterrupted run byte for byte, every segment sent once', async () => {
    await echo.reset();
    const out = path.join(dir, 'killed', 'de.jsonl');
    mkdirSync(path.dirname(out));
    const { run, served } = await runUntilHeld(out, 24);
    assert.ok(served >= 24 && served < 105, `served ${served}`);
    run.child.kill('SIGKILL');
    assert.equal((await run.exit).signal, 'SIGKILL');
    assert.equal(existsSync(out), false, 'no output before the job finishes');
    assert.equal(cacheLines(out), served);

    await echo.control({ holdAfter: null });
    const resumed = runCli(out);
    assert.equal((await resumed.exit).code, 0, resumed.stderr());
    assert.match(resumed.stdout(), new RegExp(`\\b${105 - served} translated, ${served} from the cache`));
    const stats = await echo.stats();
    assert.equal(Object.keys(stats.served).length, 105);
    assert.deepEqual(Object.entries(stats.served).filter(([, n]) => n !== 1), [], 'segments sent more than once');

    const fresh = path.join(dir, 'fresh', 'de.jsonl');
    mkdirSync(path.dirname(fresh));
    const straight = runCli(fresh);
    assert.equal((await straight.exit).code, 0, straight.stderr());
    assert.ok(readFileSync(out).equals(readFileSync(fresh)), 'resumed output differs from an uninterrupted run');
    assert.match(straight.stdout(), /rows: +32 of 32/);
    assert.match(straight.stdout(), /cost: +GPU ≈ .* vs API ≈ .*20 EUR\/M chars/);
  });

  it('Ctrl-C (SIGINT) stops cleanly: exit 130, cache kept, no output, and the next run resumes', async () => {
    await echo.reset();
    const out = path.join(dir, 'int-de.jsonl');
    const { run, served } = await runUntilHeld(out, 8);
    run.child.kill('SIGINT');
    const { code } = await run.exit;
    assert.equal(code, 130, run.stderr());
    assert.match(run.stderr(), /interrupted; \d+ segments are saved in .*int-de\.jsonl\.phoenix-cache\.jsonl/);
    assert.equal(existsSync(out), false);
    assert.equal(cacheLines(out), served);
    await echo.control({ holdAfter: null });
    const resumed = runCli(out);
    assert.equal((await resumed.exit).code, 0, resumed.stderr());
    assert.equal((await echo.stats()).segmentsServed, 105);
  });

  it('exits 2 on bad arguments and unreadable input, naming the problem', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[SOURCE, '--url', echo.url], /--out FILE is required/],
      [['--out', 'x.jsonl', '--url', echo.url], /a source shard is required/],
      [[SOURCE, '--out', path.join(dir, 'a.jsonl')], /give one engine/],
      [[SOURCE, '--out', path.join(dir, 'a.jsonl'), '--url', echo.url, '--model', dir], /give one engine/],
      [[SOURCE, '--out', path.join(dir, 'a.jsonl'), '--url', echo.url, '--beams', '0'], /--beams must be an integer >= 1/],
      [[SOURCE, '--out', path.join(dir, 'a.jsonl'), '--url', echo.url, '--gpu-price', 'cheap'], /--gpu-price must be a number/],
      [[SOURCE, '--out', path.join(dir, 'a.jsonl'), '--url', echo.url, '--target-lang', 'klingon'], /unknown language "klingon"/],
      [[SOURCE, '--out', path.join(dir, 'a.jsonl'), '--url', echo.url, '--frobnicate'], /unknown option --frobnicate/],
      [[SOURCE, '--out', path.join(dir, 'a.jsonl'), '--url', 'ftp://x'], /must be http/],
      [[SOURCE, '--out', path.join(dir, 'a.parquet'), '--url', echo.url], /keeps the source's format/],
      [[path.join(dir, 'missing.jsonl'), '--out', path.join(dir, 'a.jsonl'), '--url', echo.url], /missing\.jsonl: file not found/],
      [[path.join(ROOT, 'samples/broken/truncated.parquet'), '--out', path.join(dir, 'a.parquet'), '--url', echo.url], /truncated\.parquet/],
      [[SOURCE, '--out', path.join(dir, 'a.jsonl'), '--model', path.join(dir, 'no-such-model')], /no-such-model: no such model folder/],
    ];
    for (const [args, message] of cases) {
      const err: string[] = [];
      const code = await main(['translate', ...args], { out: () => undefined, err: (t) => err.push(t) });
      assert.equal(code, 2, `${args.join(' ')}: ${err.join('\n')}`);
      assert.match(err.join('\n'), message, args.join(' '));
    }
    assert.equal(existsSync(path.join(dir, 'a.jsonl')), false);
    const out: string[] = [];
    assert.equal(await main(['translate', '--help'], { out: (t) => out.push(t), err: () => undefined }), 0);
    assert.match(out.join('\n'), /--api-price-per-mchar/);
  });

  it('--limit, --json and the summary in-process', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const target = path.join(dir, 'limit-de.jsonl');
    const code = await main(['translate', SOURCE, '--out', target, '--url', echo.url, '--limit', '5', '--json', '--gpu-price', '3', '--api-price-per-mchar', '10'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    assert.equal(code, 0, err.join('\n'));
    const report = JSON.parse(out.join('')) as { progress: { rowsDone: number; rowsTotal: number; cost: { pricing: { gpuPricePerHour: number; apiPricePerMillionChars: number } } }; kind: string };
    assert.equal(report.kind, 'ultrachat');
    assert.deepEqual([report.progress.rowsDone, report.progress.rowsTotal], [5, 5]);
    assert.deepEqual([report.progress.cost.pricing.gpuPricePerHour, report.progress.cost.pricing.apiPricePerMillionChars], [3, 10]);
    assert.equal(readFileSync(target, 'utf8').trim().split('\n').length, 5);
  });
});
