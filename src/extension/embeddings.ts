import { existsSync } from 'node:fs'
import { basename, isAbsolute, join } from 'node:path'
import * as vscode from 'vscode'
import { SupervisedServer } from '../../native-runtime/inference/supervisor'
import { embeddingsProvider } from '../core/qa/embeddings'
import type { SimilarityProvider } from '../core/qa/types'

/**
 * The similarity check's embeddings for the whole extension host: `phoenix.qa.embeddingsUrl` (a running
 * OpenAI-compatible server) wins over `phoenix.qa.embeddingModelDir`, which the embedded inference server
 * serves. That server starts on first use and stays up for the diagnostics and reports that follow (a model
 * load takes seconds); a changed setting or deactivation stops it. Neither setting: no provider, no flags.
 */
export class SharedEmbeddings implements vscode.Disposable {
  private server?: { key: string; started: Promise<SupervisedServer> }
  private readonly sub = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('phoenix.qa.embeddingModelDir') || e.affectsConfiguration('phoenix.qa.embeddingsUrl')) void this.stop()
  })

  constructor(private readonly log: vscode.OutputChannel) {}

  /** The provider for a workspace folder (a relative model folder resolves against it), or undefined. */
  async provider(folder: string, progress?: (m: string) => unknown): Promise<SimilarityProvider | undefined> {
    const cfg = vscode.workspace.getConfiguration('phoenix.qa')
    const url = cfg.get<string>('embeddingsUrl')?.trim()
    if (url) return embeddingsProvider({ url, apiKey: cfg.get<string>('embeddingsApiKey') || undefined })
    const setting = cfg.get<string>('embeddingModelDir')?.trim()
    if (!setting) return undefined
    const modelDir = isAbsolute(setting) ? setting : join(folder, setting)
    if (!existsSync(modelDir)) throw new Error(`phoenix.qa.embeddingModelDir: ${modelDir} does not exist`)
    if (this.server?.key !== modelDir) {
      await this.stop()
      await progress?.(`Starting the embedding model ${basename(modelDir)}…`)
      this.log.appendLine(`QA: starting the embedding model ${modelDir}`)
      const started = SupervisedServer.start({ modelDir })
      this.server = { key: modelDir, started }
      started.catch(() => {
        if (this.server?.started === started) this.server = undefined
      })
    }
    const server = await this.server.started
    return embeddingsProvider({ url: server.url, apiKey: server.apiKey })
  }

  async stop(): Promise<void> {
    const s = this.server
    this.server = undefined
    await s?.started.then((server) => server.stop()).catch(() => undefined)
  }

  dispose(): void {
    this.sub.dispose()
    void this.stop()
  }
}
