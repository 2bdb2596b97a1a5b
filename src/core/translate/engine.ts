/**
 * The engine a translation job talks to: a running OpenAI-compatible server (vLLM, anything at a URL), or
 * the embedded server in native-runtime/inference started on a model folder by its launcher
 * (`startServer({modelDir}) → {url, token, stop()}`), which is found at run time so builds without it
 * still work and only `--model` says it is missing.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** The embedded server is not part of this build, or the model folder is not usable: the CLI's exit 2. */
export class EngineUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

interface Launcher {
  startServer(opts: { modelDir: string; signal?: AbortSignal }): Promise<{ url: string; token?: string; stop(): Promise<void> | void }>;
}

const LAUNCHER_NAMES = ['launch.js', 'launch.mjs', 'launch.cjs', 'launch.ts'];

/** native-runtime/inference/launch.* in `from` or a folder above it (source checkout, dist bundle, extension). */
export function findLauncher(from: string): string | undefined {
  let dir = resolve(from);
  for (let i = 0; i < 6; i++) {
    for (const name of LAUNCHER_NAMES) {
      const p = join(dir, 'native-runtime', 'inference', name);
      if (existsSync(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

export interface OpenEngineOptions extends Pick<CompletionsClientOptions, 'concurrency' | 'timeoutMs' | 'maxRetries' | 'onRetry'> {
  /** Where to look for native-runtime/inference (default: the running script's folder, then the working folder). */
  searchFrom?: string[];
  signal?: AbortSignal;
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
  const roots = opts.searchFrom ?? [dirname(process.argv[1] ?? process.cwd()), process.cwd()];
  const launcherPath = roots.map(findLauncher).find((p) => p !== undefined);
  if (!launcherPath) {
    throw new EngineUnavailableError(
      'the embedded inference server (native-runtime/inference/launch) is not part of this installation; ' +
        'start a server yourself (e.g. vLLM: `vllm serve haoranxu/ALMA-13B`) and pass --url http://host:port',
    );
  }
  let launcher: Launcher;
  try {
    launcher = (await import(pathToFileURL(launcherPath).href)) as Launcher;
  } catch (e) {
    throw new EngineUnavailableError(`${launcherPath}: cannot load the embedded server launcher: ${(e as Error).message}`);
  }
  if (typeof launcher.startServer !== 'function') throw new EngineUnavailableError(`${launcherPath} exports no startServer()`);
  const server = await launcher.startServer({ modelDir: dir, signal: opts.signal });
  const client = new CompletionsClient({ baseUrl: server.url, apiKey: server.token, model: spec.servedModel, ...defined });
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
