/**
 * The QA engine's flags per record from the previous export of a shard, so that a re-export runs the
 * engine only on records whose texts changed (a reviewer's correction, a new translation). A record's key
 * is the place of its English and translated rows, or, once corrected, the English row's place and a digest
 * of its current translated texts. A cache file holds for the inputs it was written for: their stamps (size,
 * time, inode) must match when it is loaded, and their sha256, which the export computes for its manifest
 * anyway, must match at the end, or the export runs again without it. The file's fingerprint covers the QA
 * config, the language identifier and the code of the QA engine and of the record layer, and a file whose
 * fingerprint differs is ignored. It keeps only the records of the latest export, so its size
 * follows the shard's. Losing it costs time, never correctness.
 */
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { QaConfig } from '../qa/config'
import type { TextUnit } from '../records/address'
import { cacheFile, sameStamps, writeCacheFile, type InputStamp } from './cache-files'
import type { QaHit } from './qa-flags'

const VERSION = 3

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
 * A record's key when its translated row is as stored: the places of its English and translated rows.
 * Their contents are vouched for by the files' stamps and, once the export has hashed them, their sha256.
 */
export function storedRecordKey(sourceIndex: number, targetIndex: number): string {
  return `${sourceIndex}:${targetIndex}`
}

/** A record's key once corrections changed its translated texts: its English row's place and those texts. */
export function recordKey(sourceIndex: number, target: readonly TextUnit[]): string {
  // One string, one update: per-text updates cost more than the hashing itself.
  const parts: string[] = []
  for (const u of target) parts.push(u.address, String(u.text.length), u.text)
  return `${sourceIndex}:${createHash('sha256').update(parts.join('\u0000')).digest('base64')}`
}

type Entry = QaHit[] | null

interface CacheFile {
  version?: number
  fingerprint?: string
  inputs?: InputStamp[]
  sums?: string[]
  /** Keys (never holding a space) of the records without flags, nearly all of them, space-separated: one string parses far faster than an object. */
  clean?: string
  /** The other records' flags (null: no paired texts). */
  flagged?: Record<string, Entry>
}

const NO_HITS: QaHit[] = []

export class QaCache {
  /** Keys of this export's records without flags, and the others' flags: what `save` writes. */
  private readonly usedClean: string[] = []
  private readonly usedFlagged = new Map<string, Entry>()
  hits = 0
  misses = 0

  private constructor(
    private readonly file: string,
    private readonly fingerprint: string,
    private readonly stamps: InputStamp[],
    private readonly clean: Set<string>,
    private readonly flagged: Map<string, Entry>,
    /** sha256 of the inputs when the loaded entries were written. */
    private readonly loadedSums: readonly string[],
  ) {}

  /**
   * The cache of one translated shard (by its workspace identity) for inputs with these stamps (English
   * shard, then translation); empty when absent, unreadable, stale, written for inputs stamped otherwise,
   * or when `reuse` is false (it is then only written).
   */
  static load(workspace: string, shardIdentity: string, fingerprint: string, stamps: InputStamp[], reuse = true): QaCache {
    const file = cacheFile(workspace, 'export-qa', shardIdentity)
    let clean = new Set<string>()
    let flagged = new Map<string, Entry>()
    let sums: readonly string[] = []
    try {
      const data = (reuse ? JSON.parse(readFileSync(file, 'utf8')) : {}) as CacheFile
      if (data.version === VERSION && data.fingerprint === fingerprint && data.sums && data.inputs && sameStamps(data.inputs, stamps)) {
        if (typeof data.clean === 'string' && data.clean !== '') clean = new Set(data.clean.split(' '))
        if (data.flagged) flagged = new Map(Object.entries(data.flagged))
        sums = data.sums
      }
    } catch {
      // Absent or torn: the engine runs on every record and the file is rewritten.
    }
    return new QaCache(file, fingerprint, stamps, clean, flagged, sums)
  }

  /** Nothing was loaded: the engine will run on every record. */
  get empty(): boolean {
    return this.clean.size === 0 && this.flagged.size === 0
  }

  /** The flags of a record (null: no paired texts), or undefined when the engine has to run. */
  get(key: string): Entry | undefined {
    if (this.clean.has(key)) {
      this.hits++
      this.usedClean.push(key)
      return NO_HITS
    }
    const e = this.flagged.get(key)
    if (e === undefined) {
      this.misses++
      return undefined
    }
    this.hits++
    this.usedFlagged.set(key, e)
    return e
  }

  set(key: string, entry: Entry): void {
    if (entry !== null && entry.length === 0) this.usedClean.push(key)
    else this.usedFlagged.set(key, entry)
  }

  /**
   * Whether flags were taken from entries written for other contents than the inputs' `sums` (a file
   * rewritten in place with its size and time kept): the export that used them must run again without.
   */
  stale(sums: readonly string[]): boolean {
    return this.hits > 0 && (sums.length !== this.loadedSums.length || sums.some((s, i) => s !== this.loadedSums[i]))
  }

  /** Writes the records of this export when they differ from what was loaded; returns a problem, if any. */
  save(sums: readonly string[]): string | undefined {
    if (this.misses === 0 && this.usedClean.length + this.usedFlagged.size === this.clean.size + this.flagged.size) return undefined
    const data: CacheFile = { version: VERSION, fingerprint: this.fingerprint, inputs: this.stamps, sums: [...sums], clean: this.usedClean.join(' '), flagged: Object.fromEntries(this.usedFlagged) }
    const problem = writeCacheFile(this.file, data)
    return problem && `QA ${problem}`
  }
}
