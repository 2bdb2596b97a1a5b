import { parseHostToReview, type HostToReview, type ReviewToHost } from '../../src/protocol/review'

interface VsCodeApi {
  postMessage(m: unknown): void
  getState(): unknown
  setState(s: unknown): void
}
declare function acquireVsCodeApi(): VsCodeApi

// acquireVsCodeApi may be called once per page load.
const api: VsCodeApi = acquireVsCodeApi()

export function send(m: ReviewToHost): void {
  api.postMessage(m)
}

export function onHostMessage(handler: (m: HostToReview) => void): () => void {
  const listener = (e: MessageEvent) => {
    const m = parseHostToReview(e.data)
    if (m) handler(m)
  }
  window.addEventListener('message', listener)
  return () => window.removeEventListener('message', listener)
}

export interface SavedState {
  index?: number
  showDiff?: boolean
}

export function loadState(): SavedState {
  const s = api.getState?.()
  return s && typeof s === 'object' ? (s as SavedState) : {}
}

export function saveState(s: SavedState): void {
  api.setState?.(s)
}
