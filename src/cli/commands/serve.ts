import type { CliContext } from '../context'

export const serveUsage = 'phoenix serve --model DIR [--port P]'

const HELP = `usage: phoenix serve --model DIR [options]

  Serves an ONNX model folder (optimum layout: config.json, tokenizer.json, onnx/model.onnx with KV cache;
  see scripts/export-alma.sh) over the OpenAI-compatible API on 127.0.0.1: GET /v1/models,
  POST /v1/completions (greedy, sampling, beam search), POST /v1/embeddings. Prints one JSON line
  {"event":"listening","port","token","provider","model"} to stdout; requests need
  "Authorization: Bearer <token>". Runs until SIGTERM or Ctrl-C.

  --port P                 port on 127.0.0.1 (default 0: a free one)
  --providers LIST         execution providers to try in order (default: cuda,webgpu,cpu on Linux,
                           cuda,webgpu,dml,cpu on Windows, coreml,webgpu,cpu on macOS)
  --max-prompt-tokens N    longest prompt accepted (default 2048)
  --max-batch-rows N       rows decoded together (default 64)
  --max-body-bytes N       largest request body (default 8 MiB)
  --served-model-name S    model id in the API (default: the folder's name)
  --threads N              CPU threads for onnxruntime`

/** Runs the inference server in this process until a signal; exit 0 after a clean shutdown, 2 for bad arguments, 1 when the model cannot be served. */
export async function serveCommand(args: string[], ctx: CliContext): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    ctx.out(HELP)
    return 0
  }
  // Loaded only here: other commands never load onnxruntime-node.
  const { parseServerArgs, startInferenceServer } = await import('../../../native-runtime/inference/server')
  const parsed = parseServerArgs(args.filter((a) => a !== '--exit-with-parent'))
  if (typeof parsed === 'string') {
    ctx.err(`phoenix serve: ${parsed}\n${serveUsage}`)
    return 2
  }
  let running: Awaited<ReturnType<typeof startInferenceServer>>
  try {
    running = await startInferenceServer({ ...parsed, log: (line) => ctx.err(line) })
  } catch (e) {
    ctx.err(`phoenix serve: ${(e as Error).message}`)
    return 1
  }
  const { port, token, provider, model } = running
  ctx.out(JSON.stringify({ event: 'listening', port, token, provider, model, pid: process.pid }))
  ctx.err(`phoenix serve: ${model} on http://127.0.0.1:${port} (provider ${provider}); Ctrl-C to stop`)
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
  ctx.err(`phoenix serve: ${signal}, shutting down`)
  await running.close()
  return 0
}
