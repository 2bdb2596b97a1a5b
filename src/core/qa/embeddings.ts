/**
 * SimilarityProvider over an OpenAI-compatible POST /v1/embeddings (the embedded inference server, or any
 * server speaking the same protocol). Texts go in batches; each batch's vectors are put back in input order
 * by their `index`, since the protocol does not promise the order of `data`.
 */
import type { SimilarityProvider } from './types'

export interface EmbeddingsProviderOptions {
  /** Server root (`http://127.0.0.1:8000`); a trailing `/v1` is accepted too. */
  url: string
  apiKey?: string
  model?: string
  /** Texts per request (default 64). */
  batchSize?: number
  fetch?: typeof fetch
}

export function embeddingsProvider(opts: EmbeddingsProviderOptions): SimilarityProvider {
  const endpoint = `${opts.url.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/embeddings`
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 64))
  const doFetch = opts.fetch ?? fetch
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`

  async function batch(input: string[]): Promise<number[][]> {
    const body: Record<string, unknown> = { input }
    if (opts.model) body.model = opts.model
    let res: Response
    try {
      res = await doFetch(endpoint, { method: 'POST', headers, body: JSON.stringify(body) })
    } catch (e) {
      throw new Error(`embeddings request to ${endpoint} failed: ${(e as Error).message}`)
    }
    const text = await res.text()
    if (!res.ok) {
      let detail = text.slice(0, 300)
      try {
        detail = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? detail
      } catch {
        // Not JSON: the raw text is the detail.
      }
      throw new Error(`embeddings request to ${endpoint} failed with HTTP ${res.status}${detail ? `: ${detail}` : ''}`)
    }
    let data: unknown
    try {
      data = (JSON.parse(text) as { data?: unknown }).data
    } catch {
      throw new Error(`embeddings response from ${endpoint} is not JSON`)
    }
    if (!Array.isArray(data)) throw new Error(`embeddings response from ${endpoint} has no "data" array`)
    const out: number[][] = new Array(input.length)
    data.forEach((d: { index?: unknown; embedding?: unknown }, pos) => {
      const i = typeof d?.index === 'number' ? d.index : pos
      if (!Number.isInteger(i) || i < 0 || i >= input.length || !Array.isArray(d.embedding)) {
        throw new Error(`embeddings response from ${endpoint}: item ${pos} has a bad index or embedding`)
      }
      out[i] = d.embedding as number[]
    })
    for (let i = 0; i < input.length; i++) {
      if (!out[i]) throw new Error(`embeddings response from ${endpoint} lacks input ${i} (${data.length} of ${input.length} vectors)`)
    }
    return out
  }

  return {
    async embed(texts: string[]): Promise<number[][]> {
      const out: number[][] = []
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await batch(texts.slice(i, i + batchSize))))
      return out
    },
  }
}
