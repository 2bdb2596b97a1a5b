import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { SupervisedServer } from '../../native-runtime/inference/supervisor'
import { embeddingsProvider } from '../core/qa/embeddings'
import type { SimilarityProvider } from '../core/qa/types'

/** `--embeddings-url URL [--embeddings-key KEY] | --embedding-model DIR`, shared by `phoenix qa` and `export`. */
export const EMBEDDING_USAGE = '[--embeddings-url URL [--embeddings-key KEY] | --embedding-model DIR]'

export interface EmbeddingFlags {
  url?: string
  key?: string
  modelDir?: string
}

/** Takes the option at args[i] if it is one of ours: the index of its value, or undefined. */
export function takeEmbeddingFlag(args: readonly string[], i: number, into: EmbeddingFlags): number | undefined {
  const a = args[i]
  const v = args[i + 1]
  if (v === undefined) return undefined
  if (a === '--embeddings-url') into.url = v
  else if (a === '--embeddings-key') into.key = v
  else if (a === '--embedding-model') into.modelDir = v
  else return undefined
  return i + 1
}

/** What is wrong with the combination, or undefined. */
export function embeddingFlagsProblem(f: EmbeddingFlags): string | undefined {
  if (f.url && f.modelDir) return 'give --embeddings-url or --embedding-model, not both'
  if (f.key && !f.url) return '--embeddings-key needs --embeddings-url'
  if (f.url && !/^https?:\/\//.test(f.url)) return `--embeddings-url ${f.url} is not an http(s) URL`
  return undefined
}

/**
 * The provider the flags name (a model folder is served by the embedded inference server until `stop`),
 * or undefined when none is given. Throws with the folder's name when the model cannot start.
 */
export async function openEmbeddings(f: EmbeddingFlags): Promise<{ provider: SimilarityProvider; stop(): Promise<void> } | undefined> {
  if (f.url) return { provider: embeddingsProvider({ url: f.url, apiKey: f.key }), stop: async () => undefined }
  if (!f.modelDir) return undefined
  const dir = resolve(f.modelDir)
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder')
    const server = await SupervisedServer.start({ modelDir: dir })
    return { provider: embeddingsProvider({ url: server.url, apiKey: server.apiKey }), stop: () => server.stop() }
  } catch (e) {
    throw new Error(`cannot start the embedding model ${dir}: ${(e as Error).message}`)
  }
}
