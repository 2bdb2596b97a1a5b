/**
 * The engine a translation job talks to: a running OpenAI-compatible server (vLLM, anything at a URL), or
 * the embedded server (native-runtime/inference) started on a model folder, as its own process.
 */
import { realpathSync, statSync } from 'node:fs';
import { SupervisedServer } from '../../../native-runtime/inference/supervisor';
import { CompletionsClient, type CompletionsClientOptions } from './client';

export type EngineSpec =
  | { url: string; apiKey?: string; servedModel?: string }
  | { modelDir: string; servedModel?: string };

export interface Engine {
  client: CompletionsClient;
  /** Cache identity: the URL, or `embedded:<real model dir>` (the embedded server's port changes every start). */
  engineId: string;
  /** The served model name when known (else the job asks `/v1/models`). */
  model?: string;
  /** What it is, for messages: the URL, or `embedded server on <dir>`. */
  label: string;
  stop(): Promise<void>;
}

/** The engine cannot be used (a bad URL, an unusable model folder): the CLI's exit 2. */
export class EngineUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

export interface OpenEngineOptions extends Pick<CompletionsClientOptions, 'concurrency' | 'timeoutMs' | 'maxRetries' | 'onRetry'> {
  signal?: AbortSignal;
  /** The embedded server crashed; it is restarted on the same port and token while `restarting`. */
  onServerCrash?: (message: string, restarting: boolean) => void;
}

export async function openEngine(spec: EngineSpec, opts: OpenEngineOptions = {}): Promise<Engine> {
  const clientOpts = { concurrency: opts.concurrency, timeoutMs: opts.timeoutMs, maxRetries: opts.maxRetries, onRetry: opts.onRetry };
  const defined = Object.fromEntries(Object.entries(clientOpts).filter(([, v]) => v !== undefined));
  if ('url' in spec) {
    let parsed: URL;
    try {
      parsed = new URL(spec.url);
    } catch {
      throw new EngineUnavailableError(`not a URL: "${spec.url}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new EngineUnavailableError(`the engine URL must be http(s), got "${spec.url}"`);
    const client = new CompletionsClient({ baseUrl: spec.url, apiKey: spec.apiKey, model: spec.servedModel, ...defined });
    return { client, engineId: client.baseUrl, model: spec.servedModel, label: client.baseUrl, stop: async () => undefined };
  }
  let dir: string;
  try {
    dir = realpathSync(spec.modelDir);
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new EngineUnavailableError(`${spec.modelDir}: no such model folder`);
  }
  // Supervised: a crash mid-job restarts the server where the client's retries find it again.
  const server = await SupervisedServer.start({
    modelDir: dir,
    signal: opts.signal,
    onCrash: (exit, restarting) =>
      opts.onServerCrash?.(`the embedded inference server exited (${exit.signal ?? `code ${exit.code}`})${exit.stderrTail.length ? `: ${exit.stderrTail.slice(-3).join(' | ')}` : ''}`, restarting),
  });
  const client = new CompletionsClient({ baseUrl: server.url, apiKey: server.apiKey, model: spec.servedModel, ...defined });
  return {
    client,
    engineId: `embedded:${dir}`,
    model: spec.servedModel,
    label: `embedded server on ${dir}`,
    stop: async () => {
      await server.stop();
    },
  };
}
