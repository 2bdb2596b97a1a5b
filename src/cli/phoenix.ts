import { ShardOpenError } from '../core/records/types'
import { exportCommand, exportUsage } from './commands/export'
import { inspectCommand, inspectUsage } from './commands/inspect'
import { qaCommand, qaUsage } from './commands/qa'
import { translateCommand, translateUsage } from './commands/translate'
import { sampleCommand, sampleUsage } from './commands/sample'
import { estimateCommand, estimateUsage } from './commands/estimate'
import { processContext, type CliContext } from './context'

type Command = { run: (args: string[], ctx: CliContext) => Promise<number>; usage: string; summary: string }

const COMMANDS: Record<string, Command> = {
  inspect: { run: inspectCommand, usage: inspectUsage, summary: 'kind, format, rows, fields, text lengths and errors of a shard' },
  qa: { run: qaCommand, usage: qaUsage, summary: 'automatic translation QA flags of a shard pair' },
  export: { run: exportCommand, usage: exportUsage, summary: 'reviewed shards to a TRL-ready DPO/SFT dataset folder (parquet or jsonl)' },
  translate: { run: translateCommand, usage: translateUsage, summary: 'English shard to German with ALMA (vLLM or embedded server), resumable, with cost estimate' },
  sample: { run: sampleCommand, usage: sampleUsage, summary: 'seeded random sample plan of a shard for quality estimates' },
  estimate: { run: estimateCommand, usage: estimateUsage, summary: 'drift shares from the reviewed sample, Wilson intervals, acceptance verdict' },
  train: { run: async (a, c) => (await import('./commands/train')).trainCommand(a, c), usage: 'phoenix train dpo|sft --config FILE [--dry-run]', summary: 'launch an SFT/DPO run on an export folder and stream its metrics (--dry-run: argv + config)' },
  serve: { run: async (a, c) => (await import('./commands/serve')).serveCommand(a, c), usage: 'phoenix serve --model DIR [--port P]', summary: 'OpenAI-compatible inference server (onnxruntime-node) on an ONNX model folder, 127.0.0.1 only' },
}

function help(): string {
  const rows = Object.values(COMMANDS).flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`])
  return ['phoenix — translated preference data, the PHOENIX way', '', 'commands:', ...rows].join('\n')
}

/** Runs one CLI invocation and returns its exit code; errors a user can fix print one line, exit 2. */
export async function main(argv: string[], ctx: CliContext = processContext): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.out(help())
    return name ? 0 : 2
  }
  const cmd = COMMANDS[name]
  if (!cmd) {
    ctx.err(`phoenix: unknown command "${name}"\n${help()}`)
    return 2
  }
  try {
    return await cmd.run(args, ctx)
  } catch (e) {
    if (e instanceof ShardOpenError) {
      ctx.err(`phoenix ${name}: ${e.message}`)
      return 2
    }
    throw e
  }
}

// Run when executed (bundle or tsx), not when imported by tests.
const entry = process.argv[1] ?? ''
if (/phoenix(\.ts|\.js)?$|cli\.cjs$/.test(entry)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`phoenix: ${(e as Error).stack ?? e}\n`)
      process.exit(1)
    },
  )
}
