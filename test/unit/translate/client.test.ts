import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { almaPrompt, cleanAlmaOutput, completionParams } from '../../../src/core/translate/alma';
import { CompletionsClient, CompletionsError, parseRetryAfter, type RetryEvent } from '../../../src/core/translate/client';
import { segmentText } from '../../../src/core/translate/segment';
import { fakeTranslate, startLocalServer, type Fault, type LocalServer, type SeenRequest } from './local-server';

const servers: LocalServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(plan?: (req: SeenRequest) => Fault | undefined, models?: string[]): Promise<LocalServer> {
  const s = await startLocalServer(plan, models);
  servers.push(s);
  return s;
}

const fast = { backoffMs: 5, maxBackoffMs: 50, random: () => 0.5 };
const completions = (s: LocalServer): SeenRequest[] => s.requests.filter((r) => r.path === '/v1/completions');

describe('completions client', () => {
  it('sends one batched request and maps shuffled choices back to prompt order (fault-injecting local server)', async () => {
    const server = await serve();
    const client = new CompletionsClient({ baseUrl: server.url, model: 'alma-13b' });
    const prompts = ['one', 'two', 'three', 'four'].map((w) => almaPrompt(`word ${w}`));
    const out = await client.complete(prompts, completionParams({ beams: 1, maxNewTokens: 32 }));
    assert.deepEqual(out.map((c) => cleanAlmaOutput(c[0]!.text)), ['WORD ONE', 'WORD TWO', 'WORD THREE', 'WORD FOUR']);
    assert.equal(server.requests.length, 1);
    const body = server.requests[0]!.body!;
    assert.deepEqual(body.prompt, prompts);
    assert.equal(body.model, 'alma-13b');
    assert.equal(body.max_tokens, 32);
    assert.equal(server.requests[0]!.headers.authorization, undefined);
  });

  it('groups n beams per prompt, best first, and sends the beam-search fields (fault-injecting local server)', async () => {
    const server = await serve();
    const client = new CompletionsClient({ baseUrl: `${server.url}/v1/`, model: 'm', apiKey: 'sekrit' });
    const out = await client.complete(['a', 'b'], completionParams({ beams: 3 }));
    assert.deepEqual(out.map((c) => c.map((x) => x.text.split('\n')[0])), [[' A', ' A#1', ' A#2'], [' B', ' B#1', ' B#2']]);
    const body = server.requests[0]!.body!;
    assert.deepEqual([body.n, body.best_of, body.use_beam_search, body.temperature], [3, 3, true, 0]);
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer sekrit');
    assert.equal(server.requests[0]!.path, '/v1/completions');
  });

  it('lists models and uses the first when none is configured (fault-injecting local server)', async () => {
    const server = await serve(undefined, ['haoranxu/ALMA-13B', 'other']);
    const client = new CompletionsClient({ baseUrl: server.url });
    assert.deepEqual((await client.models()).map((m) => m.id), ['haoranxu/ALMA-13B', 'other']);
    await client.complete(['x'], { max_tokens: 4 });
    assert.equal(completions(server)[0]!.body!.model, 'haoranxu/ALMA-13B');
  });

  it('retries 429 after the Retry-After the server asked for (fault-injecting local server)', async () => {
    const server = await serve((r) => (r.no === 1 ? { status: 429, headers: { 'retry-after': '1' } } : undefined));
    const retries: RetryEvent[] = [];
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', ...fast, onRetry: (e) => retries.push(e) });
    const started = Date.now();
    const out = await client.complete(['hello'], { max_tokens: 8 });
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    assert.equal(cleanAlmaOutput(out[0]![0]!.text), 'HELLO');
    assert.equal(server.requests.length, 2);
    assert.deepEqual(retries.map((r) => [r.attempt, r.status, r.delayMs]), [[1, 429, 1000]]);
  });

  it('retries 500, 503 and dropped connections with growing backoff (fault-injecting local server)', async () => {
    const faults: Fault[] = [{ status: 500 }, { destroy: true }, { status: 503 }];
    const server = await serve((r) => faults[r.no - 1]);
    const retries: RetryEvent[] = [];
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', backoffMs: 10, maxBackoffMs: 1000, random: () => 0.999, onRetry: (e) => retries.push(e) });
    const out = await client.complete(['ok'], {});
    assert.equal(cleanAlmaOutput(out[0]![0]!.text), 'OK');
    assert.equal(server.requests.length, 4);
    assert.deepEqual(retries.map((r) => r.status), [500, undefined, 503]);
    assert.deepEqual(retries.map((r) => r.delayMs), [10, 20, 40]);
  });

  it('times out a slow response, abandons it and retries (fault-injecting local server)', async () => {
    const server = await serve((r) => (r.no === 1 ? { delayMs: 5000 } : undefined));
    const retries: RetryEvent[] = [];
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', timeoutMs: 200, ...fast, onRetry: (e) => retries.push(e) });
    const out = await client.complete(['slow'], {});
    assert.equal(cleanAlmaOutput(out[0]![0]!.text), 'SLOW');
    assert.equal(server.requests.length, 2);
    assert.match(retries[0]!.reason, /no complete response within 200 ms/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.abandoned, 1);
  });

  it('does not retry a 400; the error carries status and body (fault-injecting local server)', async () => {
    const server = await serve(() => ({ status: 400, body: '{"error":"prompt too long"}' }));
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', ...fast });
    await assert.rejects(client.complete(['x'], {}), (err: unknown) => {
      assert.ok(err instanceof CompletionsError);
      assert.equal(err.status, 400);
      assert.equal(err.retryable, false);
      assert.match(err.message, /HTTP 400.*prompt too long/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  it('gives up after maxRetries (fault-injecting local server)', async () => {
    const server = await serve(() => ({ status: 502 }));
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', maxRetries: 2, ...fast });
    await assert.rejects(client.complete(['x'], {}), /HTTP 502.*after 3 attempts/);
    assert.equal(server.requests.length, 3);
  });

  it('rejects a response whose choices do not cover every prompt (fault-injecting local server)', async () => {
    const server = await serve(() => ({ body: JSON.stringify({ choices: [{ index: 0, text: 'only one' }] }) }));
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', ...fast });
    await assert.rejects(client.complete(['a', 'b'], {}), /1 choices for 2 prompts.*prompt 1/);
  });

  it('never has more requests in flight than the bound, and keeps prompt order (fault-injecting local server)', async () => {
    // Later batches answer sooner, so completion order differs from prompt order.
    const server = await serve((r) => ({ delayMs: 120 - 5 * (r.no % 20) }));
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', concurrency: 3 });
    const prompts = Array.from({ length: 40 }, (_, i) => `prompt ${i}`);
    const progress: number[] = [];
    const out = await client.completeAll(prompts, {}, { batchSize: 2, onProgress: (done) => progress.push(done) });
    assert.deepEqual(out.map((c) => cleanAlmaOutput(c[0]!.text)), prompts.map((p) => p.toUpperCase()));
    assert.equal(server.requests.length, 20);
    assert.ok(server.maxInFlight <= 3, `max in flight ${server.maxInFlight}`);
    assert.ok(server.maxInFlight >= 2, 'requests did overlap');
    assert.deepEqual(progress, Array.from({ length: 20 }, (_, i) => 2 * (i + 1)));
  });

  it('cancellation aborts in-flight requests and never sends queued ones (fault-injecting local server)', async () => {
    const server = await serve(() => ({ hang: true }));
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', concurrency: 2 });
    const ac = new AbortController();
    const run = client.completeAll(Array.from({ length: 20 }, (_, i) => `p${i}`), {}, { batchSize: 2, signal: ac.signal });
    await server.waitForRequests(2);
    ac.abort(new Error('user cancelled'));
    await assert.rejects(run, /user cancelled/);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(server.requests.length, 2, 'queued batches were never sent');
    assert.equal(server.abandoned, 2, 'in-flight requests were aborted');
    assert.equal(server.inFlight, 0);
  });

  it('cancellation during a backoff wait stops retrying (fault-injecting local server)', async () => {
    const server = await serve(() => ({ status: 503, headers: { 'retry-after': '30' } }));
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', ...fast });
    const ac = new AbortController();
    const run = client.complete(['x'], {}, { signal: ac.signal });
    await server.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    ac.abort(new Error('stop'));
    await assert.rejects(run, /stop/);
    assert.ok(Date.now() - started < 1000, 'did not sit out the Retry-After');
    assert.equal(server.requests.length, 1);
  });

  it('a batch that fails for good cancels the other batches (fault-injecting local server)', async () => {
    const server = await serve((r) => ((r.body!.prompt as string[]).includes('bad') ? { status: 422 } : { hang: true }));
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', concurrency: 4 });
    const run = client.completeAll(['a', 'b', 'bad', 'c', 'd', 'e', 'f', 'g', 'h'], {}, { batchSize: 1 });
    await assert.rejects(run, (err: unknown) => err instanceof CompletionsError && err.status === 422);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(server.requests.length, 4, 'only the first concurrency-many were sent');
    assert.equal(server.inFlight, 0, 'the hanging ones were aborted');
  });

  it('segment, prompt, complete, clean and rebuild round trip (fault-injecting local server)', async () => {
    const server = await serve((r) => (r.no === 1 ? { status: 500 } : undefined));
    const client = new CompletionsClient({ baseUrl: server.url, model: 'm', ...fast });
    const source = '# Title\n\nRun `npm test` before you push. See https://example.com/docs.\n\n```sh\nnpm test\n```\n- last item\r\n';
    const seg = segmentText(source);
    const out = await client.completeAll(seg.segments.map((s) => almaPrompt(s.text)), completionParams({ beams: 2 }), { batchSize: 2 });
    const german = out.map((choices) => cleanAlmaOutput(choices[0]!.text));
    assert.equal(
      seg.rebuild(german),
      '# TITLE\n\nRUN `npm test` BEFORE YOU PUSH. SEE https://example.com/docs.\n\n```sh\nnpm test\n```\n- LAST ITEM\r\n',
    );
    assert.equal(fakeTranslate(almaPrompt('a'), 0).startsWith(' A\n'), true);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:03 GMT', now), 3000);
  });
});
