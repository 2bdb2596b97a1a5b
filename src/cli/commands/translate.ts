import { resolve } from 'node:path'
import { LANGUAGE_NAMES, languageName } from '../../core/translate/alma'
import { CompletionsError } from '../../core/translate/client'
import { EngineUnavailableError, openEngine, type Engine, type EngineSpec } from '../../core/translate/engine'
import { TranslateCancelledError, TranslateInputError, translateShard, type TranslateJobOptions } from '../../core/translate/job'
import { formatProgress, formatSummary, type TranslateProgress } from '../../core/translate/progress'
import { processContext, type CliContext } from '../context'

export const translateUsage = 'phoenix translate <source> --out <target> (--model DIR | --url URL)'

const HELP = `usage: phoenix translate <source> --out <target> (--model DIR | --url URL) [options]

  <source>                 English shard (.jsonl or .parquet: UltraChat, UltraFeedback binarized or raw)
  --out FILE               translated shard to write, same schema and format, paired by prompt_id
                           (written at the end; the segment cache FILE.phoenix-cache.jsonl lets a killed
                           or interrupted run resume without translating anything twice)
engine (one of):
  --model DIR              start the embedded inference server on a model folder
  --url URL                an OpenAI-compatible completions server (vLLM)
  --api-key K              bearer token for --url (or PHOENIX_API_KEY)
  --served-model NAME      model name to request (default: the first one the server lists)
translation:
  --source-lang en --target-lang de   (${Object.keys(LANGUAGE_NAMES).join(', ')})
  --beams 5                beam width (ALMA's setting)
  --max-new-tokens 256
  --batch 32               segments per request
  --concurrency 4          requests in flight
  --limit N                only the first N rows
cost estimate:
  --gpu-price 2.0          GPU rent per hour (EUR)
  --api-price-per-mchar 20 commercial API price per million characters (EUR)
output:
  --progress-interval MS   at most one progress line per MS (default 200 on a terminal, 10000 otherwise)
  --json                   print the final report as JSON on stdout

exit: 0 done, 1 engine failure, 2 bad arguments or unreadable input, 130 interrupted (cache kept)`

const VALUE_OPTS = new Set([
  'out', 'model', 'url', 'api-key', 'served-model', 'source-lang', 'target-lang', 'beams', 'max-new-tokens', 'batch',
  'concurrency', 'limit', 'gpu-price', 'api-price-per-mchar', 'progress-interval',
])
const FLAG_OPTS = new Set(['help', 'json'])

export interface TranslateArgs {
  source: string
  out: string
  engine: EngineSpec
  sourceLang: string
  targetLang: string
  beams: number
  maxNewTokens: number
  batch: number
  concurrency: number
  limit?: number
  gpuPrice: number
  apiPricePerMChar: number
  progressIntervalMs?: number
  json: boolean
}

export class TranslateArgumentError extends Error {}

function num(values: Map<string, string>, name: string, fallback: number, opts: { integer?: boolean; min?: number } = {}): number {
  const v = values.get(name)
  if (v === undefined) return fallback
  const n = Number(v)
  const min = opts.min ?? 0
  if (v.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isSafeInteger(n)) || n < min) {
    throw new TranslateArgumentError(`--${name} must be ${opts.integer ? 'an integer' : 'a number'} >= ${min}, got "${v}"`)
  }
  return n
}

/** The options from the command line; throws TranslateArgumentError for anything wrong. */
export function parseTranslateArgs(args: string[], env: NodeJS.ProcessEnv = process.env): TranslateArgs | 'help' {
  const positional: string[] = []
  const values = new Map<string, string>()
  const flags = new Set<string>()
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '-h') {
      flags.add('help')
      continue
    }
    if (!a.startsWith('--') || a === '--') {
      positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq === -1 ? undefined : eq)
    if (FLAG_OPTS.has(name) && eq === -1) flags.add(name)
    else if (VALUE_OPTS.has(name)) {
      const v = eq === -1 ? args[++i] : a.slice(eq + 1)
      if (v === undefined) throw new TranslateArgumentError(`--${name} needs a value`)
      if (values.has(name)) throw new TranslateArgumentError(`--${name} given twice`)
      values.set(name, v)
    } else throw new TranslateArgumentError(`unknown option ${a}`)
  }
  if (flags.has('help')) return 'help'
  if (positional.length !== 1) throw new TranslateArgumentError(positional.length ? `one source shard, got ${positional.length} (${positional.join(', ')})` : 'a source shard is required')
  const out = values.get('out')
  if (!out) throw new TranslateArgumentError('--out FILE is required')
  const model = values.get('model')
  const url = values.get('url')
  if ((model === undefined) === (url === undefined)) throw new TranslateArgumentError('give one engine: --model DIR (embedded server) or --url URL')
  if (model !== undefined && values.has('api-key')) throw new TranslateArgumentError('--api-key goes with --url')
  const servedModel = values.get('served-model')
  const apiKey = values.get('api-key') ?? env.PHOENIX_API_KEY
  const engine: EngineSpec = model !== undefined ? { modelDir: model, servedModel } : { url: url!, apiKey: apiKey || undefined, servedModel }
  const sourceLang = values.get('source-lang') ?? 'en'
  const targetLang = values.get('target-lang') ?? 'de'
  for (const [flag, lang] of [['source-lang', sourceLang], ['target-lang', targetLang]]) {
    try {
      languageName(lang)
    } catch (e) {
      throw new TranslateArgumentError(`--${flag}: ${(e as Error).message}`)
    }
  }
  if (languageName(sourceLang) === languageName(targetLang)) throw new TranslateArgumentError('--source-lang and --target-lang are the same language')
  const parsed: TranslateArgs = {
    source: positional[0],
    out,
    engine,
    sourceLang,
    targetLang,
    beams: num(values, 'beams', 5, { integer: true, min: 1 }),
    maxNewTokens: num(values, 'max-new-tokens', 256, { integer: true, min: 1 }),
    batch: num(values, 'batch', 32, { integer: true, min: 1 }),
    concurrency: num(values, 'concurrency', 4, { integer: true, min: 1 }),
    gpuPrice: num(values, 'gpu-price', 2.0),
    apiPricePerMChar: num(values, 'api-price-per-mchar', 20),
    json: flags.has('json'),
  }
  if (values.has('limit')) parsed.limit = num(values, 'limit', 0, { integer: true })
  if (values.has('progress-interval')) parsed.progressIntervalMs = num(values, 'progress-interval', 0, { integer: true })
  return parsed
}

/** Progress on stderr: one rewritten line on a terminal, plain lines (at most one per interval) otherwise. */
function progressPrinter(ctx: CliContext, intervalMs: number | undefined): { show(p: TranslateProgress): void; done(): void } {
  const tty = ctx === processContext && process.stderr.isTTY === true
  const every = intervalMs ?? (tty ? 200 : 10_000)
  let last = -Infinity
  let shown = false
  let finished = false
  return {
    show(p) {
      const now = Date.now()
      const complete = p.rowsDone >= p.rowsTotal && p.rowsRead >= p.rowsTotal
      if (finished || (now - last < every && !complete)) return
      finished = complete
      last = now
      const line = `translate: ${formatProgress(p)}`
      if (tty) {
        process.stderr.write(`\r\x1b[2K${line.slice(0, Math.max(20, (process.stderr.columns ?? 120) - 1))}`)
        shown = true
      } else ctx.err(line)
    },
    done() {
      if (shown) process.stderr.write('\n')
      shown = false
    },
  }
}

/** Exit 0 done, 1 engine failure, 2 bad arguments or unreadable input, 130 on Ctrl-C (143 on SIGTERM) with the cache kept. */
export async function translateCommand(args: string[], ctx: CliContext): Promise<number> {
  let parsed: TranslateArgs | 'help'
  try {
    parsed = parseTranslateArgs(args)
  } catch (e) {
    if (!(e instanceof TranslateArgumentError)) throw e
    ctx.err(`phoenix translate: ${e.message}\nusage: ${translateUsage} (--help for all options)`)
    return 2
  }
  if (parsed === 'help') {
    ctx.out(HELP)
    return 0
  }
  const a = parsed
  const abort = new AbortController()
  let interrupted: NodeJS.Signals | undefined
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted = sig
    abort.abort(new Error(`interrupted by ${sig}`))
  }
  // `once`: a second Ctrl-C falls through to Node's default and ends the process at once.
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const printer = progressPrinter(ctx, a.progressIntervalMs)
  let engine: Engine | undefined
  try {
    engine = await openEngine(a.engine, {
      onServerCrash: (message, restarting) => ctx.err(`phoenix translate: ${message}${restarting ? '; restarting it' : ''}`),
      concurrency: a.concurrency,
      signal: abort.signal,
      onRetry: (r) => ctx.err(`translate: retrying after ${r.delayMs} ms (attempt ${r.attempt}): ${r.reason.slice(0, 200)}`),
    })
    const opts: TranslateJobOptions = {
      source: a.source,
      out: a.out,
      client: engine.client,
      engineId: engine.engineId,
      model: engine.model,
      pair: { source: a.sourceLang, target: a.targetLang },
      generation: { beams: a.beams, maxNewTokens: a.maxNewTokens },
      batchSize: a.batch,
      concurrency: a.concurrency,
      limit: a.limit,
      pricing: { gpuPricePerHour: a.gpuPrice, apiPricePerMillionChars: a.apiPricePerMChar },
      signal: abort.signal,
      onProgress: (p) => printer.show(p),
    }
    const report = await translateShard(opts)
    printer.done()
    if (a.json) ctx.out(JSON.stringify(report))
    else {
      ctx.out([`translated ${report.source} → ${report.out} (${report.kind}, ${report.format}) with ${report.model} on ${engine.label}`, ...formatSummary(report.progress)].join('\n'))
      for (const e of report.rowErrors) ctx.err(`translate: ${report.source}: ${e.line !== undefined ? `line ${e.line}` : `row ${e.row}`}: ${e.message} (left out)`)
    }
    return 0
  } catch (e) {
    printer.done()
    if (e instanceof TranslateCancelledError) {
      ctx.err(`phoenix translate: interrupted; ${e.progress.cached + e.progress.translated} segments are saved in ${e.cachePath}, run the same command again to resume`)
      ctx.err(formatSummary(e.progress).join('\n'))
      return interrupted === 'SIGTERM' ? 143 : 130
    }
    if (interrupted) {
      ctx.err(`phoenix translate: interrupted by ${interrupted} before translating started`)
      return interrupted === 'SIGTERM' ? 143 : 130
    }
    if (e instanceof TranslateInputError || e instanceof EngineUnavailableError) {
      ctx.err(`phoenix translate: ${e.message}`)
      return 2
    }
    if (e instanceof CompletionsError) {
      ctx.err(`phoenix translate: the engine failed: ${e.message}; translated segments are kept in ${resolve(a.out)}.phoenix-cache.jsonl`)
      return 1
    }
    throw e
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await engine?.stop()
  }
}

