/**
 * A dataset folder replaced as a whole: built in a temporary sibling `<out>.tmp-<pid>-<rand>`, every file
 * fsync'd, then renamed into place. An existing `<out>` is moved aside only once the new folder is
 * complete (`<out>` → `<out>.old-…`, new → `<out>`, old deleted), so a failed export leaves no
 * half-written set and never touches the previous good one.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { ExportArgumentError } from './types'
import { pidAlive } from '../util/process'

/** The file that marks a folder as a Phoenix export (and so as safe to replace). */
export const MANIFEST_FILE = 'phoenix-manifest.json'

/**
 * Refuses to replace anything that is not a previous export: `--out ~/` must never delete a home folder.
 * An empty folder is fine.
 */
export function checkReplaceable(out: string): void {
  if (!existsSync(out)) return
  const st = lstatSync(out)
  if (!st.isDirectory()) throw new ExportArgumentError(`--out ${out} exists and is not a folder`)
  const entries = readdirSync(out)
  if (entries.length && !entries.includes(MANIFEST_FILE)) {
    throw new ExportArgumentError(`--out ${out} is a folder that is not a Phoenix export (no ${MANIFEST_FILE}); refusing to replace it`)
  }
}

function syncPath(p: string): void {
  let fd: number | undefined
  try {
    fd = openSync(p, 'r')
    fsyncSync(fd)
  } catch {
    // Directories cannot be opened on Windows; NTFS journals metadata itself.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

function syncTree(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) syncTree(p)
    else syncPath(p)
  }
  syncPath(dir)
}

const tag = () => `${process.pid}-${randomBytes(4).toString('hex')}`


/**
 * Cleans up after an export that was killed: its temporary folder is removed, and a previous set it had
 * moved aside but not yet replaced is put back. Only folders of processes that are gone are touched.
 */
export function recoverStale(out: string): void {
  const parent = dirname(out)
  const base = basename(out)
  let names: string[]
  try {
    names = readdirSync(parent)
  } catch {
    return
  }
  for (const name of names.sort()) {
    const kind = name.startsWith(`${base}.tmp-`) ? 'tmp' : name.startsWith(`${base}.old-`) ? 'old' : null
    const m = kind && /^(\d+)-[0-9a-f]+$/.exec(name.slice(base.length + 5))
    if (!m || pidAlive(Number(m[1]))) continue
    const p = join(parent, name)
    if (kind === 'old' && !existsSync(out)) renameSync(p, out)
    else rmSync(p, { recursive: true, force: true })
  }
}

export async function writeDirAtomically<T>(out: string, build: (dir: string) => Promise<T>): Promise<T> {
  out = resolve(out)
  recoverStale(out)
  checkReplaceable(out)
  const parent = dirname(out)
  mkdirSync(parent, { recursive: true })
  const tmp = join(parent, `${basename(out)}.tmp-${tag()}`)
  mkdirSync(tmp)
  let result: T
  try {
    result = await build(tmp)
    syncTree(tmp)
    checkReplaceable(out)
    if (existsSync(out)) {
      const old = join(parent, `${basename(out)}.old-${tag()}`)
      renameSync(out, old)
      try {
        renameSync(tmp, out)
      } catch (e) {
        renameSync(old, out)
        throw e
      }
      rmSync(old, { recursive: true, force: true })
    } else {
      renameSync(tmp, out)
    }
    syncPath(parent)
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true })
    throw e
  }
  return result
}
