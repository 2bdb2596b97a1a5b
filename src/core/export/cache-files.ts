/**
 * What the export's caches (QA flags: qa-cache.ts; the English side's ids and lengths: source-scan-cache.ts)
 * share: a file per input under `.phoenix/cache/<kind>/`, written atomically, and valid only for the input
 * files it was written for — their stamps must match when it is loaded, and their sha256, which the export
 * computes for its manifest anyway, must match at the end, or the export runs again without caches.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/** What identifies an input file cheaply: its path, size, change time and inode, taken when an export starts. */
export interface InputStamp {
  path: string
  size: number
  mtimeMs: number
  ino: number
}

export function stampOf(path: string): InputStamp {
  const st = statSync(path)
  // absolute: the same file given relatively (the CLI) or absolutely (the editor) has one stamp
  return { path: resolve(path), size: st.size, mtimeMs: st.mtimeMs, ino: st.ino }
}

export const sameStamps = (a: readonly InputStamp[], b: readonly InputStamp[]) =>
  a.length === b.length && a.every((x, i) => x.path === b[i].path && x.size === b[i].size && x.mtimeMs === b[i].mtimeMs && x.ino === b[i].ino)

/** Cached results were taken for inputs whose sha256 turned out to differ: the export runs again without. */
export class StaleCache extends Error {}

/** The cache file of one input (by its workspace identity) in `.phoenix/cache/<kind>/`. */
export function cacheFile(workspace: string, kind: string, identity: string): string {
  return join(workspace, '.phoenix', 'cache', kind, `${createHash('sha256').update(identity).digest('hex').slice(0, 16)}.json`)
}

/** Writes through a temporary file and a rename, so a reader never sees half a file; returns a problem, if any. */
export function writeCacheFile(file: string, data: unknown): string | undefined {
  try {
    mkdirSync(dirname(file), { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(data))
    renameSync(tmp, file)
    return undefined
  } catch (e) {
    return `cache not written: ${(e as Error).message}`
  }
}
