/**
 * A real HTTP server on 127.0.0.1 that speaks the completions API deterministically and can inject faults
 * (status codes, Retry-After, delays, hangs, dropped connections) per request, for the client's tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  status?: number;
  headers?: Record<string, string>;
  /** Wait before answering. */
  delayMs?: number;
  /** Never answer (until the client gives up). */
  hang?: boolean;
  /** Drop the connection without a response. */
  destroy?: boolean;
  /** Raw body instead of the normal one. */
  body?: string;
}

export interface SeenRequest {
  no: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | undefined;
}

export interface LocalServer {
  url: string;
  requests: SeenRequest[];
  /** Requests being handled now, and the most ever at once. */
  inFlight: number;
  maxInFlight: number;
  /** Requests whose client went away before the response was complete. */
  abandoned: number;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/** The deterministic "translation" of a prompt: its source text upper-cased (choice j adds `#j` after j > 0). */
export function fakeTranslate(prompt: string, j: number): string {
  const m = /\nEnglish: (.*)\nGerman:$/s.exec(prompt);
  const src = m ? m[1]! : prompt;
  return ` ${src.replace(/\p{Ll}/gu, (c) => c.toUpperCase())}${j > 0 ? `#${j}` : ''}\nEnglish: runaway\nGerman: RUNAWAY`;
}

export async function startLocalServer(
  plan: (req: SeenRequest) => Fault | undefined = () => undefined,
  models = ['alma-13b'],
): Promise<LocalServer> {
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const state = {
    requests: [] as SeenRequest[],
    inFlight: 0,
    maxInFlight: 0,
    abandoned: 0,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const seen: SeenRequest = {
        no: state.requests.length + 1,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
      };
      state.requests.push(seen);
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      for (const w of waiters.filter((w) => state.requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      let timer: NodeJS.Timeout | undefined;
      res.on('close', () => {
        state.inFlight--;
        clearTimeout(timer);
        if (!res.writableFinished) state.abandoned++;
      });
      const fault = plan(seen) ?? {};
      const answer = (): void => {
        if (fault.destroy) {
          req.socket.destroy();
          return;
        }
        const normal = respond(seen, models);
        const status = fault.status ?? (normal === undefined ? 404 : 200);
        const body = fault.body ?? JSON.stringify(status === 200 ? normal : { error: { message: `status ${status}` } });
        res.writeHead(status, { 'content-type': 'application/json', ...fault.headers });
        res.end(body);
      };
      if (fault.hang) return;
      if (fault.delayMs) timer = setTimeout(answer, fault.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    get inFlight() {
      return state.inFlight;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    get abandoned() {
      return state.abandoned;
    },
    waitForRequests(count: number) {
      if (state.requests.length >= count) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function respond(req: SeenRequest, models: string[]): unknown {
  if (req.method === 'GET' && req.path === '/v1/models') {
    return { object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'test' })) };
  }
  if (req.method === 'POST' && req.path === '/v1/completions') {
    const prompts = req.body!.prompt as string[];
    const n = (req.body!.n as number | undefined) ?? 1;
    const choices = prompts.flatMap((p, i) =>
      Array.from({ length: n }, (_, j) => ({ index: i * n + j, text: fakeTranslate(p, j), finish_reason: 'length', logprobs: null })),
    );
    // Reversed, so only a client that maps by `index` gets the order right.
    return { id: `cmpl-${req.no}`, object: 'text_completion', model: req.body!.model, choices: choices.reverse() };
  }
  return undefined;
}
