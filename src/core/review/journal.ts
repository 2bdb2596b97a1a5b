/**
 * Append-only JSON-lines journal of review events, one file per reviewer per shard.
 *
 * Durability: `append` resolves only after the event's bytes were written and fdatasync'd. Appends are
 * grouped (group commit) so many events share one fsync. A process killed mid-write leaves at most one
 * torn last line; replay skips and reports it, and the next writer starts on a fresh line. Nothing that is
 * already in the file is ever truncated or rewritten.
 *
 * Exclusivity: a `<file>.lock` created with O_EXCL and holding the writer's pid keeps two windows from
 * writing the same journal. A lock whose pid is gone (crash) is taken over.
 */
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { parseEventLine, validateEvent, type ReviewEvent } from './events'
import { loadSnapshot, SNAPSHOT_AFTER_EVENTS, writeSnapshot, type JournalSnapshot, type SnapshotReport } from './snapshot'
import { applyEvent, emptyState, type ReviewState } from './state'
import { mergeState, stateEvents } from './state-merge'
import { pidAlive } from '../util/process'
import { syncDir } from '../util/fs'

export interface ReplayError {
  /** 1-based line number in the journal file. */
  line: number
  message: string
}

export interface ReplayResult {
  /**
   * The valid events in file order; empty when an `onEvent` callback took them instead. When a snapshot
   * was used (see `ReadOptions.snapshot`), its events come first and stand in for the lines it covers.
   */
  events: ReviewEvent[]
  errors: ReplayError[]
  /** True when the file does not end with a newline (the last write was cut off). */
  tornTail: boolean
  /** Valid events in the journal, also those a snapshot stands in for (`events` may hold fewer). */
  count: number
  /** How the snapshot was used; absent when snapshots were turned off. */
  snapshot?: SnapshotReport
}

// ---------------------------------------------------------------------------------------------- paths

const SAFE_RE = /[^A-Za-z0-9_-]/g
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i

/**
 * A file-name-safe form of any string: only [A-Za-z0-9_-], never empty, never `.`/`..`, bounded length.
 * When anything had to change, a hash of the original is appended so distinct names stay distinct.
 */
export function safeName(name: string, maxLength = 64): string {
  let s = name.replace(SAFE_RE, '_')
  const changed = s !== name || s.length === 0 || s.length > maxLength || WINDOWS_RESERVED.test(s)
  if (!changed) return s
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10)
  s = s.slice(0, maxLength - hash.length - 1)
  return s.length ? `${s}-${hash}` : `x-${hash}`
}

/** The shard's identity stored in events: workspace-relative POSIX path when inside the workspace, else absolute. */
export function shardIdentity(workspace: string, shardPath: string): string {
  const abs = path.resolve(workspace, shardPath)
  const rel = path.relative(path.resolve(workspace), abs)
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/')
  return abs.split(path.sep).join('/')
}

/** Folder name of a shard's journals: readable base name plus a hash of its identity. */
export function shardKey(workspace: string, shardPath: string): string {
  const id = shardIdentity(workspace, shardPath)
  const base = path.posix.basename(id).replace(/\.(jsonl|json|parquet)$/i, '')
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 12)
  return `${safeName(base, 48)}-${hash}`
}

export function journalDir(workspace: string, shardPath: string): string {
  return path.join(path.resolve(workspace), '.phoenix', 'journal', shardKey(workspace, shardPath))
}

/** `<workspace>/.phoenix/journal/<shard-key>/<reviewer>.jsonl`; the reviewer name can never leave the folder. */
export function journalPath(workspace: string, shardPath: string, reviewer: string): string {
  return path.join(journalDir(workspace, shardPath), `${safeName(reviewer)}.jsonl`)
}

// --------------------------------------------------------------------------------------------- replay

const CHUNK = 8 * 1024 * 1024

export interface ReadOptions {
  /**
   * Use `<file>.snapshot.json` (see snapshot.ts; default true). With a valid snapshot, `events` holds the
   * snapshot's events (those that still decide the replayed state) and then the lines after it. false:
   * parse every line and return every event, e.g. to list the journal's history.
   */
  snapshot?: boolean
  /** Write or refresh the snapshot once at least this many events had to be parsed (default 5000; Infinity: never). */
  snapshotAfter?: number
}

/**
 * Read a journal without locking it (other reviewers' journals, reports). Unparsable or invalid lines are
 * skipped and reported; a missing file is an empty journal. With `onEvent`, events are handed over one by
 * one instead of collected (folding them straight into state keeps a large replay from filling the heap).
 * The journal itself is never modified; only its snapshot may be (re)written.
 */
export async function readJournal(file: string, onEvent?: (ev: ReviewEvent) => void, opts: ReadOptions = {}): Promise<ReplayResult> {
  const events: ReviewEvent[] = []
  const { result } = await read(file, opts, onEvent ?? ((ev: ReviewEvent) => void events.push(ev)))
  result.events = events
  return result
}

/**
 * Fold a journal into `into` (see `mergeState`): what `replay` of its events gives, without handing the
 * events over. With a valid snapshot only the lines after it are parsed and folded; the state the
 * snapshot holds is taken as it is. `events` of the result is empty.
 */
export async function replayJournal(file: string, into: ReviewState, opts: ReadOptions = {}): Promise<ReplayResult> {
  const { result, state } = await read(file, opts)
  mergeState(into, state ?? emptyState())
  return result
}

/**
 * Read one journal, either handing every event to `deliver` (a snapshot's stand in for the lines it
 * covers) or, without `deliver`, folding them into the journal's own state, which is returned.
 */
async function read(file: string, opts: ReadOptions, deliver?: (ev: ReviewEvent) => void): Promise<{ result: ReplayResult; state?: ReviewState }> {
  const errors: ReplayError[] = []
  const useSnapshot = opts.snapshot !== false
  const snapshotAfter = opts.snapshotAfter ?? SNAPSHOT_AFTER_EVENTS
  let handle: fsp.FileHandle
  try {
    handle = await fsp.open(file, 'r')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { result: { events: [], errors, tornTail: false, count: 0 } }
    throw e
  }
  let report: SnapshotReport | undefined
  let snap: JournalSnapshot | undefined
  let lineNo = 0
  let start = 0
  let parsed = 0
  // The journal's own state, kept when folding or once it is clear a snapshot will be written. Until
  // then, events that are only delivered are held back (up to `snapshotAfter`).
  let state: ReviewState | undefined = deliver ? undefined : emptyState()
  let held: ReviewEvent[] | null = []
  const take = (line: string) => {
    lineNo++
    if (line.length === 0 || (line.length === 1 && line === '\r')) return
    const ev = parseEventLine(line)
    if (typeof ev === 'string') {
      errors.push({ line: lineNo, message: ev })
      return
    }
    parsed++
    if (deliver) deliver(ev)
    if (state) applyEvent(state, ev)
    else if (held) {
      held.push(ev)
      if (held.length >= snapshotAfter) {
        state = snap?.state ?? emptyState()
        for (const e of held) applyEvent(state, e)
        held = null
      }
    }
  }
  let lastByte = -1
  let covered = 0
  let carry: Buffer | null = null
  try {
    if (useSnapshot) {
      const loaded = await loadSnapshot(file, handle)
      if ('snapshot' in loaded) {
        snap = loaded.snapshot
        start = covered = snap.offset
        lineNo = snap.lines
        errors.push(...snap.errors)
        if (deliver) for (const ev of stateEvents(snap.state)) deliver(ev)
        else state = snap.state
      }
      report = { used: !!snap, ignored: 'ignored' in loaded ? loaded.ignored : undefined, covered: snap?.count ?? 0, parsed: 0, written: false, uncovered: 0 }
    }
    if (!useSnapshot || snapshotAfter === Infinity) held = null
    // Lines are split on bytes (a 0x0a byte is always a newline in UTF-8) so `covered` stays a byte offset.
    const buf = Buffer.allocUnsafe(CHUNK)
    for (let pos = start; ; ) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK, pos)
      if (bytesRead === 0) break
      pos += bytesRead
      lastByte = buf[bytesRead - 1]
      const nl = buf.lastIndexOf(0x0a, bytesRead - 1)
      if (nl === -1) {
        carry = carry ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : Buffer.from(buf.subarray(0, bytesRead))
        continue
      }
      const text = (carry ? Buffer.concat([carry, buf.subarray(0, nl + 1)]) : buf.subarray(0, nl + 1)).toString('utf8')
      covered += (carry?.length ?? 0) + nl + 1
      carry = nl + 1 < bytesRead ? Buffer.from(buf.subarray(nl + 1, bytesRead)) : null
      let s = 0
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', s)) {
        take(text.slice(s, i))
        s = i + 1
      }
    }
    if (report) {
      report.parsed = parsed
      report.uncovered = parsed
      const write = deliver ? state !== undefined : parsed > 0 && parsed >= snapshotAfter
      if (write && state && covered > start) {
        // Covers complete lines only: a last line without its newline may still be being written.
        try {
          await writeSnapshot(file, handle, { offset: covered, lines: lineNo, count: (snap?.count ?? 0) + parsed, errors: [...errors], state })
          report.written = true
          report.uncovered = 0
        } catch (e) {
          report.writeError = (e as Error).message
        }
      }
    }
  } finally {
    await handle.close()
  }
  const tornTail = lastByte !== -1 && lastByte !== 0x0a
  if (carry) {
    lineNo++
    const ev = parseEventLine(carry.toString('utf8'))
    // A complete JSON event without its newline is kept: all its bytes reached the file.
    if (typeof ev === 'string') errors.push({ line: lineNo, message: `torn last line (write cut off), ignored: ${ev}` })
    else {
      parsed++
      if (report) report.uncovered++
      if (deliver) deliver(ev)
      else applyEvent(state!, ev)
    }
  }
  return { result: { events: [], errors, tornTail, count: (snap?.count ?? 0) + parsed, snapshot: report }, state: deliver ? undefined : state }
}

// ----------------------------------------------------------------------------------------------- lock

export class JournalLockedError extends Error {
  constructor(
    readonly file: string,
    readonly lockFile: string,
    readonly holder: string,
  ) {
    super(
      `Journal ${file} is already open for writing by ${holder}. ` +
        `Close the other window first; if that process is gone, delete ${lockFile}.`,
    )
    this.name = 'JournalLockedError'
  }
}

interface LockInfo {
  pid: number
  host: string
  token: string
}

function readLock(lockFile: string): { raw: string; info?: LockInfo } | undefined {
  let raw: string
  try {
    raw = fs.readFileSync(lockFile, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  try {
    const info = JSON.parse(raw) as LockInfo
    if (typeof info.pid === 'number') return { raw, info }
  } catch {
    // Half-written lock (holder died between create and write) is handled as stale below.
  }
  return { raw }
}


function isStale(info: LockInfo | undefined, lockFile: string): boolean {
  if (!info) {
    // Unreadable content: stale only if it is not brand new (its writer may still be filling it in).
    try {
      return Date.now() - fs.statSync(lockFile).mtimeMs > 2000
    } catch {
      return true
    }
  }
  // A pid on another machine (shared folder) cannot be checked: treat it as alive.
  if (info.host !== os.hostname()) return false
  return !pidAlive(info.pid)
}

/** Take the lock or throw JournalLockedError. Returns the token to release it with. */
function acquireLock(file: string, lockFile: string): string {
  const token = randomBytes(8).toString('hex')
  const content = JSON.stringify({ pid: process.pid, host: os.hostname(), token } satisfies LockInfo)
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx')
      try {
        fs.writeSync(fd, content)
      } finally {
        fs.closeSync(fd)
      }
      return token
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    const seen = readLock(lockFile)
    if (!seen) continue
    const holder = seen.info ? `process ${seen.info.pid} on ${seen.info.host}` : 'another process'
    if (!isStale(seen.info, lockFile)) throw new JournalLockedError(file, lockFile, holder)
    // Move the stale lock aside atomically, then make sure it was the one we judged stale: another
    // window may have taken it over in between, and its fresh lock must survive.
    const aside = `${lockFile}.stale-${process.pid}-${token}`
    try {
      fs.renameSync(lockFile, aside)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw e
    }
    let movedRaw = ''
    try {
      movedRaw = fs.readFileSync(aside, 'utf8')
    } catch {
      // ignore: treated as mismatch below only if non-empty
    }
    if (movedRaw !== seen.raw) {
      try {
        fs.linkSync(aside, lockFile)
      } catch {
        // Someone created a new lock already; theirs stands.
      }
      fs.rmSync(aside, { force: true })
      throw new JournalLockedError(file, lockFile, 'another process (it just took over a stale lock)')
    }
    fs.rmSync(aside, { force: true })
  }
  throw new JournalLockedError(file, lockFile, 'another process (lock kept changing)')
}

function releaseLock(lockFile: string, token: string): void {
  const seen = readLock(lockFile)
  if (seen?.info?.token === token) fs.rmSync(lockFile, { force: true })
}

// -------------------------------------------------------------------------------------------- journal

export interface JournalOptions {
  /** Commit as soon as this many events wait (default 64). */
  batchSize?: number
  /** Otherwise commit this many ms after the first waiting event (default 5). */
  batchMs?: number
  /** Receive the replayed events one by one instead of in `Journal.events` (see `readJournal`). */
  onEvent?: (ev: ReviewEvent) => void
  /** See `ReadOptions`; `close()` also refreshes the snapshot when that many events are not in it. */
  snapshot?: boolean
  snapshotAfter?: number
}

interface Pending {
  data: string
  resolve: () => void
  reject: (e: Error) => void
}

export class Journal {
  /** Events found in the file when it was opened (empty when `onEvent` was given). */
  readonly events: ReviewEvent[]
  /** Lines skipped during replay (torn tail, corrupt or invalid lines). */
  readonly errors: ReplayError[]
  readonly tornTail: boolean
  /** Durable events and the fsyncs they took (group commit makes commits << events). */
  readonly stats = { events: 0, commits: 0 }

  private pending: Pending[] = []
  private timer: NodeJS.Timeout | null = null
  private committing: Promise<void> | null = null
  private failed: Error | null = null
  private closed = false
  private closing: Promise<void> | null = null
  private readonly batchSize: number
  private readonly batchMs: number
  private readonly snapshotAfter: number
  // Valid events in the file that its snapshot does not cover (before this journal's own appends).
  private readonly uncovered: number

  private constructor(
    readonly path: string,
    private readonly handle: fsp.FileHandle,
    private readonly lockFile: string,
    private readonly lockToken: string,
    replay: ReplayResult,
    opts: JournalOptions,
  ) {
    this.events = replay.events
    this.errors = replay.errors
    this.tornTail = replay.tornTail
    this.batchSize = Math.max(1, opts.batchSize ?? 64)
    this.batchMs = Math.max(0, opts.batchMs ?? 5)
    this.snapshotAfter = opts.snapshot === false ? Infinity : (opts.snapshotAfter ?? SNAPSHOT_AFTER_EVENTS)
    this.uncovered = replay.snapshot?.uncovered ?? 0
  }

  /** Lock the journal for writing, replay what is in it and get ready to append. */
  static async open(file: string, opts: JournalOptions = {}): Promise<Journal> {
    await fsp.mkdir(path.dirname(file), { recursive: true })
    const lockFile = `${file}.lock`
    const token = acquireLock(file, lockFile)
    let handle: fsp.FileHandle | undefined
    try {
      const existed = fs.existsSync(file)
      const replay = await readJournal(file, opts.onEvent, { snapshot: opts.snapshot, snapshotAfter: opts.snapshotAfter })
      handle = await fsp.open(file, 'a')
      if (replay.tornTail) {
        // Start the next event on a fresh line; the torn bytes stay where they are.
        await writeAll(handle, Buffer.from('\n'))
        await handle.datasync()
      }
      if (!existed) await syncDir(path.dirname(file))
      return new Journal(file, handle, lockFile, token, replay, opts)
    } catch (e) {
      await handle?.close().catch(() => undefined)
      releaseLock(lockFile, token)
      throw e
    }
  }

  /** Resolves once the event is written and fsync'd; rejects if it is invalid or the write failed. */
  append(event: ReviewEvent): Promise<void> {
    if (this.closed || this.closing) return Promise.reject(new Error(`journal ${this.path} is closed`))
    if (this.failed) return Promise.reject(this.failed)
    const checked = validateEvent(event)
    if (typeof checked === 'string') return Promise.reject(new Error(`invalid review event: ${checked}`))
    const data = JSON.stringify(event) + '\n'
    const p = new Promise<void>((resolve, reject) => this.pending.push({ data, resolve, reject }))
    if (this.pending.length >= this.batchSize) this.kick()
    else if (!this.timer && !this.committing) this.timer = setTimeout(() => this.kick(), this.batchMs)
    return p
  }

  /** Make everything appended so far durable. */
  async flush(): Promise<void> {
    while (this.pending.length || this.committing) {
      if (!this.committing) this.kick()
      await this.committing
    }
    if (this.failed) throw this.failed
  }

  /** Flush, close the file and release the lock. Safe to call twice. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.closing ??= (async () => {
      try {
        await this.flush().catch(() => undefined)
        // Holding the lock, nobody appends meanwhile: the snapshot covers the whole journal.
        if (!this.failed && this.uncovered + this.stats.events >= this.snapshotAfter) {
          await readJournal(this.path, () => undefined, { snapshotAfter: 0 }).catch(() => undefined)
        }
      } finally {
        this.closed = true
        await this.handle.close().catch(() => undefined)
        releaseLock(this.lockFile, this.lockToken)
      }
    })()
    return this.closing
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (this.committing || this.pending.length === 0) return
    this.committing = this.drain().finally(() => {
      this.committing = null
      // Appends that slipped in after the drain loop's last check (same microtask turn) still need a commit.
      if (this.pending.length) this.kick()
    })
  }

  // Events that arrive while one batch is being fsync'd form the next batch.
  private async drain(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, this.pending.length)
      if (this.failed) {
        for (const p of batch) p.reject(this.failed)
        continue
      }
      try {
        await writeAll(this.handle, Buffer.from(batch.map((p) => p.data).join('')))
        await this.handle.datasync()
        this.stats.commits++
        this.stats.events += batch.length
        for (const p of batch) p.resolve()
      } catch (e) {
        // After a failed write the file state is unknown: refuse further appends until reopened.
        this.failed = new Error(`journal ${this.path}: write failed: ${(e as Error).message}`)
        for (const p of batch) p.reject(this.failed)
      }
    }
  }
}

async function writeAll(handle: fsp.FileHandle, buf: Buffer): Promise<void> {
  let off = 0
  while (off < buf.length) {
    const { bytesWritten } = await handle.write(buf, off, buf.length - off, null)
    off += bytesWritten
  }
}


/** Read every reviewer's journal of one shard folder (see `journalDir`). */
export async function readJournalDir(dir: string, opts: ReadOptions = {}): Promise<Map<string, ReplayResult>> {
  const out = new Map<string, ReplayResult>()
  let names: string[]
  try {
    names = await fsp.readdir(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return out
    throw e
  }
  for (const name of names.sort()) {
    if (!name.endsWith('.jsonl')) continue
    const file = path.join(dir, name)
    out.set(file, await readJournal(file, undefined, opts))
  }
  return out
}

/**
 * Fold every reviewer's journal of one shard folder into one state (in file-name order, as
 * `readJournalDir` reads them): the state `replay` of all their events gives, read through snapshots.
 */
export async function replayJournalDir(dir: string, opts: ReadOptions = {}, into: ReviewState = emptyState()): Promise<{ state: ReviewState; journals: Map<string, ReplayResult> }> {
  const journals = new Map<string, ReplayResult>()
  let names: string[]
  try {
    names = await fsp.readdir(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: into, journals }
    throw e
  }
  for (const name of names.sort()) {
    if (!name.endsWith('.jsonl')) continue
    const file = path.join(dir, name)
    journals.set(file, await replayJournal(file, into, opts))
  }
  return { state: into, journals }
}
