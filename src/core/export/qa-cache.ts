/**
 * The QA engine's flags per record from the previous export of a shard, so that a re-export runs the
 * engine only on records whose texts changed (a reviewer's correction, a new translation). A record's key
 * is a digest of its English row and its current translated texts; the file's fingerprint covers the QA
 * config, the language identifier and the code of the QA engine and of the record layer, and a file
 * whose fingerprint differs is ignored. It keeps only the records of the latest export, so its size
 * follows the shard's. Losing it costs time, never correctness.
 */
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { QaConfig } from '../qa/config'
import type { TextUnit } from '../records/address'
import type { QaHit } from './qa-flags'

const VERSION = 1

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
}

let codeDigest: string | undefined

/** This module's file: `__filename` in a CJS bundle, `import.meta.url` under tsx (empty in a bundle). */
function modulePath(): string {
  if (typeof __filename === 'string') return __filename
  try {
    return fileURLToPath(import.meta.url)
  } catch {
    return ''
  }
}

/**
 * From sources, the QA and record modules; from a bundle, the bundle itself (any change to it, even an
 * unrelated one, starts a fresh cache: cheap, and never stale).
 */
function codeFingerprint(): string {
  if (codeDigest) return codeDigest
  const self = modulePath()
  // code of unknown origin: a fingerprint no later run repeats, so a cache is never trusted across versions
  if (!self) return (codeDigest = randomUUID())
  const dirs = ['qa', 'records'].map((d) => join(dirname(self), '..', d))
  const files = dirs.every((d) => existsSync(d)) ? dirs.flatMap(walk).sort() : [self]
  const h = createHash('sha256')
  for (const f of files) h.update(`${f.slice(dirname(self).length)}\u0000`).update(readFileSync(f))
  return (codeDigest = h.digest('hex'))
}

export function qaFingerprint(config: QaConfig, languageId: string | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify({ version: VERSION, config, languageId: languageId ?? null, code: codeFingerprint() }))
    .digest('hex')
}

/**
 * A record's key when its translated row is as stored: its English row's digest and the translation's
 * place (file digest, row index). Hashing the texts themselves would cost more than a second per shard.
 */
export function storedRecordKey(sourceDigest: string, targetSha256: string, targetIndex: number): string {
  return createHash('sha256').update(`${sourceDigest}\u0000${targetSha256}\u0000${targetIndex}`).digest('base64')
}

/** A record's key once corrections changed its translated texts: its English row's digest and those texts. */
export function recordKey(sourceDigest: string, target: readonly TextUnit[]): string {
  // One string, one update: per-text updates cost more than the hashing itself.
  const parts = [sourceDigest]
  for (const u of target) parts.push(u.address, String(u.text.length), u.text)
  return createHash('sha256').update(parts.join('\u0000')).digest('base64')
}

type Entry = QaHit[] | null

export class QaCache {
  private readonly used = new Map<string, Entry>()
  hits = 0
  misses = 0

  private constructor(
    private readonly file: string,
    private readonly fingerprint: string,
    private readonly loaded: Map<string, Entry>,
  ) {}

  /** The cache of one translated shard (by its workspace identity); empty when absent, unreadable or stale. */
  static load(workspace: string, shardIdentity: string, fingerprint: string): QaCache {
    const name = createHash('sha256').update(shardIdentity).digest('hex').slice(0, 16)
    const file = join(workspace, '.phoenix', 'cache', 'export-qa', `${name}.json`)
    let loaded = new Map<string, Entry>()
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { fingerprint?: string; entries?: Record<string, Entry> }
      if (data.fingerprint === fingerprint && data.entries) loaded = new Map(Object.entries(data.entries))
    } catch {
      // Absent or torn: the engine runs on every record and the file is rewritten.
    }
    return new QaCache(file, fingerprint, loaded)
  }

  /** The flags of a record (null: no paired texts), or undefined when the engine has to run. */
  get(key: string): Entry | undefined {
    const e = this.loaded.get(key)
    if (e === undefined) {
      this.misses++
      return undefined
    }
    this.hits++
    this.used.set(key, e)
    return e
  }

  set(key: string, entry: Entry): void {
    this.used.set(key, entry)
  }

  /** Writes the records of this export when they differ from what was loaded; returns a problem, if any. */
  save(): string | undefined {
    if (this.misses === 0 && this.used.size === this.loaded.size) return undefined
    try {
      mkdirSync(dirname(this.file), { recursive: true })
      const tmp = `${this.file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify({ fingerprint: this.fingerprint, entries: Object.fromEntries(this.used) }))
      renameSync(tmp, this.file)
      return undefined
    } catch (e) {
      return `QA cache not written: ${(e as Error).message}`
    }
  }
}
