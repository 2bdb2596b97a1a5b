import { statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { SupervisedServer } from '../../../native-runtime/inference/supervisor'
import { embeddingsProvider } from '../../core/qa/embeddings'
import { loadQaConfig, openPaired, qaRuntime, qaShardFlagsAsync } from '../../core/qa/scan'
import type { CliContext } from '../context'

export const qaUsage = 'phoenix qa <source> [<target>] [--json] [--fail-on error|warning] [--config FILE] [--no-langid] [--embeddings-url URL [--embeddings-key KEY] | --embedding-model DIR]'

const RANK = { info: 0, warning: 1, error: 2 } as const

/**
 * Flags as JSON lines (or readable lines) on stdout, counts per check on stderr. With one file, its texts
 * must carry `original` fields (pairing mode b). Exit 1 when --fail-on is met, 2 when input is unreadable.
 * The similarity check runs only with an embeddings server (--embeddings-url) or a model folder
 * (--embedding-model, served by the embedded inference server for the duration of the command).
 */
export async function qaCommand(args: string[], ctx: CliContext): Promise<number> {
  const files: string[] = []
  let json = false
  let failOn: 'error' | 'warning' | undefined
  let configFile: string | undefined
  let languageId = true
  let embeddingsUrl: string | undefined
  let embeddingsKey: string | undefined
  let embeddingModel: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--json') json = true
    else if (a === '--no-langid') languageId = false
    else if (a === '--fail-on' && (args[i + 1] === 'error' || args[i + 1] === 'warning')) failOn = args[++i] as 'error' | 'warning'
    else if (a === '--config' && args[i + 1]) configFile = args[++i]
    else if (a === '--embeddings-url' && args[i + 1]) embeddingsUrl = args[++i]
    else if (a === '--embeddings-key' && args[i + 1]) embeddingsKey = args[++i]
    else if (a === '--embedding-model' && args[i + 1]) embeddingModel = args[++i]
    else if (a.startsWith('--')) return usage(ctx, `unknown or incomplete option ${a}`)
    else files.push(a)
  }
  if (files.length < 1 || files.length > 2) return usage(ctx, 'give one shard with original fields, or a source and its translation')
  if (embeddingsUrl && embeddingModel) return usage(ctx, 'give --embeddings-url or --embedding-model, not both')
  if (embeddingsKey && !embeddingsUrl) return usage(ctx, '--embeddings-key needs --embeddings-url')
  if (embeddingsUrl && !/^https?:\/\//.test(embeddingsUrl)) return usage(ctx, `--embeddings-url ${embeddingsUrl} is not an http(s) URL`)
  const [source, target] = files.length === 2 ? files : [undefined, files[0]]
  const { config, errors } = loadQaConfig({ file: configFile, workspace: configFile ? undefined : dirname(target!) })
  for (const e of errors) ctx.err(`phoenix qa: ${e}`)
  let paired
  try {
    paired = await openPaired(target!, source)
  } catch (e) {
    ctx.err(`phoenix qa: ${(e as Error).message}`)
    return 2
  }
  const { runtime, note } = await qaRuntime({ languageId })
  if (note) ctx.err(`phoenix qa: ${note}; using the stopword detector`)
  let server: SupervisedServer | undefined
  if (embeddingModel) {
    const dir = resolve(embeddingModel)
    try {
      if (!statSync(dir).isDirectory()) throw new Error('not a folder')
      server = await SupervisedServer.start({ modelDir: dir })
    } catch (e) {
      await paired.close()
      ctx.err(`phoenix qa: cannot start the embedding model ${dir}: ${(e as Error).message}`)
      return 2
    }
    runtime.similarity = embeddingsProvider({ url: server.url, apiKey: server.apiKey })
  } else if (embeddingsUrl) runtime.similarity = embeddingsProvider({ url: embeddingsUrl, apiKey: embeddingsKey })
  const counts = new Map<string, number>()
  let worst = -1
  try {
    for await (const f of qaShardFlagsAsync(paired, config, runtime)) {
      counts.set(f.check, (counts.get(f.check) ?? 0) + 1)
      worst = Math.max(worst, RANK[f.severity])
      if (json) ctx.out(JSON.stringify({ prompt_id: f.prompt_id, address: f.address, check: f.check, severity: f.severity, message: f.message, ...(f.line !== undefined ? { line: f.line } : {}) }))
      else ctx.out(`${f.line !== undefined ? `line ${f.line}` : f.prompt_id.slice(0, 12)}  ${f.address || '(row)'}  ${f.severity} ${f.check}: ${f.message}`)
    }
  } catch (e) {
    // In practice the embeddings server failing mid-scan: report it like unreadable input.
    ctx.err(`phoenix qa: ${(e as Error).message}`)
    return 2
  } finally {
    await paired.close()
    await server?.stop()
  }
  for (const e of paired.errors) ctx.err(`phoenix qa: ${e.side} ${e.error.line !== undefined ? `line ${e.error.line}` : `row ${e.error.row}`}: ${e.error.message}`)
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  ctx.err(`phoenix qa: ${paired.count} records, ${total} flags${total ? ': ' + [...counts].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ') : ''}`)
  return failOn && worst >= RANK[failOn] ? 1 : 0
}

function usage(ctx: CliContext, why: string): number {
  ctx.err(`phoenix qa: ${why}\nusage: ${qaUsage}`)
  return 2
}
