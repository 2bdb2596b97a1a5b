import { dirname } from 'node:path'
import { loadQaConfig, openPaired, qaRuntime, qaShardFlagsAsync } from '../../core/qa/scan'
import type { CliContext } from '../context'
import { EMBEDDING_USAGE, embeddingFlagsProblem, openEmbeddings, takeEmbeddingFlag, type EmbeddingFlags } from '../embeddings-flags'

export const qaUsage = `phoenix qa <source> [<target>] [--json] [--fail-on error|warning] [--config FILE] [--no-langid] ${EMBEDDING_USAGE}`

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
  const embedding: EmbeddingFlags = {}
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--json') json = true
    else if (a === '--no-langid') languageId = false
    else if (a === '--fail-on' && (args[i + 1] === 'error' || args[i + 1] === 'warning')) failOn = args[++i] as 'error' | 'warning'
    else if (a === '--config' && args[i + 1]) configFile = args[++i]
    else if (a.startsWith('--') && takeEmbeddingFlag(args, i, embedding) !== undefined) i++
    else if (a.startsWith('--')) return usage(ctx, `unknown or incomplete option ${a}`)
    else files.push(a)
  }
  if (files.length < 1 || files.length > 2) return usage(ctx, 'give one shard with original fields, or a source and its translation')
  const problem = embeddingFlagsProblem(embedding)
  if (problem) return usage(ctx, problem)
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
  let embeddings
  try {
    embeddings = await openEmbeddings(embedding)
  } catch (e) {
    await paired.close()
    ctx.err(`phoenix qa: ${(e as Error).message}`)
    return 2
  }
  if (embeddings) runtime.similarity = embeddings.provider
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
    await embeddings?.stop()
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
