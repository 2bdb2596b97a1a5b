/**
 * Journal snapshots: `<journal>.snapshot.json` lets a reopen skip parsing the journal's first `offset` bytes.
 *
 * A snapshot holds only the events that still decide the replayed state (the ones a `ReviewState` built
 * from the covered lines references: latest flag/unflag per flag id, QA decision per key, edit per
 * address, approval, pick, each record's `last` event, resolutions). Every slot of the state keeps "the
 * last event with the greatest time", and holds one event, so replaying those events (ordered as
 * `Compactor` explains), then any further events (this journal's tail, other journals), gives the same
 * state as replaying everything; `eventCount` differs, and `last` may name another event of the same
 * time. If `state.ts` gains a slot or other rules, update `slotKey` and bump SNAPSHOT_VERSION.
 *
 * The snapshot is a cache, never the record: the journal is never modified here, and a snapshot that does
 * not match its journal (other file at that path, file shorter or rewritten, unreadable or of another
 * version) is ignored and the whole journal is read. The match is checked cheaply: same device and inode,
 * size at least `offset`, and sha256 of the first and of the last 4 KiB before `offset`.
 *
 * Written atomically (temporary file, fsync, rename), so concurrent writers of one snapshot (a reader that
 * parsed a long tail, the writer closing its journal) can only replace a complete snapshot with another
 * complete one; each describes a prefix of the append-only journal, so whichever wins is valid.
 */
import { createHash, randomBytes } from 'node:crypto'
import * as fsp from 'node:fs/promises'
import * as path from 'node:path'
import { EVENT_VERSION, validateEvent, type ReviewEvent } from './events'
import { applyEvent, emptyState, type ReviewState } from './state'
import { syncDir } from '../util/fs'

export const SNAPSHOT_FORMAT = 'phoenix-journal-snapshot'
export const SNAPSHOT_VERSION = 1
/** Readers write or refresh a snapshot once they had to parse at least this many events outside it. */
export const SNAPSHOT_AFTER_EVENTS = 5000

const WINDOW = 4096
// Far longer than any write of a snapshot takes.
const STALE_TEMP_MS = 10 * 60_000

export interface SnapshotError {
  line: number
  message: string
}

/** What a snapshot stands for: the journal's first `offset` bytes (`lines` complete lines). */
export interface JournalSnapshot {
  offset: number
  lines: number
  /** Valid events in those lines (the snapshot keeps fewer, see above). */
  count: number
  /** Lines of the covered part that were skipped, as a full read reports them. */
  errors: SnapshotError[]
  events: ReviewEvent[]
}

/** How a read used snapshots, for callers that report it (`ReplayResult.snapshot`). */
export interface SnapshotReport {
  /** The snapshot was valid and its events stood in for the first `covered` events. */
  used: boolean
  /** Why an existing snapshot was not used; absent when it was used or there was none. */
  ignored?: string
  covered: number
  /** Events parsed from the journal itself (after the snapshot, or all of them). */
  parsed: number
  /** A new snapshot was written by this read; `writeError` says why writing one failed. */
  written: boolean
  writeError?: string
  /** Valid events of the journal that the snapshot on disk does not cover after this read. */
  uncovered: number
}

export function snapshotPath(journal: string): string {
  return `${journal}.snapshot.json`
}

// ------------------------------------------------------------------------------------------ compaction

function isEvent(v: unknown): v is ReviewEvent {
  return v !== null && typeof v === 'object' && typeof (v as ReviewEvent).id === 'string' && typeof (v as ReviewEvent).type === 'string'
}

/**
 * Every event a state references. Walks the state's values rather than naming its fields, so a new
 * slot holding events (directly, or in a Map, Set or array) is kept without changes here.
 */
export function referencedEvents(state: ReviewState, into: Set<ReviewEvent> = new Set()): Set<ReviewEvent> {
  const visit = (v: unknown) => {
    if (isEvent(v)) into.add(v)
    else if (v instanceof Map || v instanceof Set || Array.isArray(v)) for (const x of v.values()) if (isEvent(x)) into.add(x)
  }
  for (const recs of state.byReviewer.values()) for (const rec of recs.values()) for (const v of Object.values(rec)) visit(v)
  for (const res of state.resolutions.values()) for (const v of Object.values(res)) visit(v)
  return into
}

/**
 * The state slot an event competes for (mirrors `applyEvent`). Slots never disappear, so the order in
 * which slots first appear is the order in which the state's Maps got their keys.
 */
export function slotKey(ev: ReviewEvent): string {
  switch (ev.type) {
    case 'resolve':
      return `resolve\0${ev.promptId}\0${ev.field}`
    case 'flag':
    case 'unflag':
      return `${ev.type}\0${ev.reviewer}\0${ev.promptId}\0${ev.flagId}`
    case 'qa-confirm':
    case 'qa-dismiss':
      return `qa\0${ev.reviewer}\0${ev.promptId}\0${ev.flagKey}`
    case 'edit':
      return `edit\0${ev.reviewer}\0${ev.promptId}\0${ev.address}`
    case 'approve':
    case 'unapprove':
      return `approval\0${ev.reviewer}\0${ev.promptId}`
    case 'pick':
      return `pick\0${ev.reviewer}\0${ev.promptId}`
    default:
      return `event\0${(ev as ReviewEvent).id}`
  }
}

/**
 * Replays events into a state and gives back the ones it still references. They come ordered by when
 * their slot first appeared, not by their own position: replayed in that order, every Map of the state
 * (reviewers, records, flags, edits, ...) gets its keys in the same order as in the full replay, so lists
 * derived from the state (flags of equal time, agreement, exports) come out identical. The one thing this
 * order can change is which of several events with the very same time a record's `last` names.
 */
export class Compactor {
  readonly state: ReviewState = emptyState()
  private readonly firstSeen = new Map<string, number>()

  add(ev: ReviewEvent): void {
    applyEvent(this.state, ev)
    const k = slotKey(ev)
    if (!this.firstSeen.has(k)) this.firstSeen.set(k, this.firstSeen.size)
  }

  events(): ReviewEvent[] {
    const keyed = [...referencedEvents(this.state)].map((e) => ({ at: this.firstSeen.get(slotKey(e)) ?? Infinity, e }))
    keyed.sort((x, y) => x.at - y.at)
    return keyed.map((x) => x.e)
  }
}

// ------------------------------------------------------------------------------------------ encoding

/*
 * File layout: one JSON object, ASCII only (other characters as \u escapes, so it decodes as latin1
 * without a UTF-8 pass). After the header come the events: every string value interned in `strings`,
 * every key list in `shapes` (keys, and per key 's' for an interned string or 'j' for a plain JSON value),
 * and `events` one flat array `[shape, value..., shape, value..., ...]`. No object or array per event
 * and one string per distinct value (except `id` and `ts`, kept inline: they rarely repeat): the file is
 * about a third of the events' JSON and parses several times faster, and interned strings make the Map
 * lookups of the replay cheaper.
 */
interface SnapshotFile {
  format: string
  version: number
  eventVersion: number
  journal: string
  offset: number
  lines: number
  count: number
  dev: string
  ino: string
  head: string
  tail: string
  errors: SnapshotError[]
  strings: string[]
  shapes: [string[], string][]
  events: unknown[]
}

// Values unique to nearly every event gain nothing from interning, and interning costs a Map insert each.
const interned = (key: string, v: unknown): v is string => typeof v === 'string' && key !== 'id' && key !== 'ts'

function encodeEvents(events: readonly ReviewEvent[]): Pick<SnapshotFile, 'strings' | 'shapes' | 'events'> {
  const strings: string[] = []
  const stringIds = new Map<string, number>()
  const shapes: [string[], string][] = []
  const shapesByType = new Map<string, number[]>()
  const flat: unknown[] = []
  for (const ev of events) {
    // Two bulk calls (same order for an ordinary object) instead of a keyed load per property.
    const keys = Object.keys(ev)
    const values: unknown[] = Object.values(ev)
    let candidates = shapesByType.get(ev.type)
    if (candidates === undefined) shapesByType.set(ev.type, (candidates = []))
    let shape = -1
    next: for (let c = 0; c < candidates.length; c++) {
      const i = candidates[c]
      const sk = shapes[i][0]
      const kinds = shapes[i][1]
      if (sk.length !== keys.length) continue
      for (let j = 0; j < sk.length; j++) {
        if (sk[j] !== keys[j] || (kinds.charCodeAt(j) === 115) !== interned(sk[j], values[j])) continue next
      }
      shape = i
      break
    }
    if (shape === -1) {
      shape = shapes.length
      shapes.push([keys, keys.map((k, j) => (interned(k, values[j]) ? 's' : 'j')).join('')])
      candidates.push(shape)
    }
    flat.push(shape)
    for (let j = 0; j < keys.length; j++) {
      const v = values[j]
      if (interned(keys[j], v)) {
        let id = stringIds.get(v)
        if (id === undefined) {
          id = strings.length
          strings.push(v)
          stringIds.set(v, id)
        }
        flat.push(id)
      } else flat.push(v)
    }
  }
  return { strings, shapes, events: flat }
}

// Objects made by a constructor get room for all their properties inside the object (V8's slack
// tracking) instead of a property array regrown as keys are added: decoding takes about half the time.
// Its prototype is Object.prototype, so to everything else these are plain objects like JSON.parse makes.
function DecodedEvent(this: unknown) {}
DecodedEvent.prototype = Object.prototype
const newObject = () => new (DecodedEvent as unknown as new () => Record<string, unknown>)()

function decodeEvents(f: SnapshotFile): ReviewEvent[] | string {
  const { strings, shapes, events: flat } = f
  if (!Array.isArray(strings) || !Array.isArray(shapes) || !Array.isArray(flat)) return 'strings, shapes or events missing'
  for (const s of strings) if (typeof s !== 'string') return 'a string table entry is not a string'
  for (const sh of shapes) {
    if (!Array.isArray(sh) || !Array.isArray(sh[0]) || typeof sh[1] !== 'string' || sh[0].length !== sh[1].length) return 'malformed shape'
    if (!sh[0].every((k) => typeof k === 'string' && k !== '__proto__') || !/^[sj]*$/.test(sh[1])) return 'malformed shape'
  }
  const out: ReviewEvent[] = []
  for (let i = 0; i < flat.length; ) {
    const shape = shapes[flat[i] as number]
    if (shape === undefined || i + shape[0].length >= flat.length) return `event ${out.length} has no valid shape`
    i++
    const [keys, kinds] = shape
    const o = newObject()
    for (let k = 0; k < keys.length; k++) {
      const v = flat[i++]
      if (kinds.charCodeAt(k) === 115 /* s */) {
        const s = strings[v as number]
        if (s === undefined) return `event ${out.length} names a string that is not in the table`
        o[keys[k]] = s
      } else o[keys[k]] = v
    }
    // Checked like a journal line: a damaged snapshot must not feed the replay what a journal could not.
    const checked = validateEvent(o)
    if (typeof checked === 'string') return `event ${out.length}: ${checked}`
    out.push(checked)
  }
  return out
}

const NON_ASCII = /[\u007f-\uffff]/g
const escapeNonAscii = (json: string) => json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

// -------------------------------------------------------------------------------------- prefix check

interface PrefixId {
  dev: string
  ino: string
  head: string
  tail: string
}

async function readRange(handle: fsp.FileHandle, start: number, end: number): Promise<Buffer> {
  const buf = Buffer.alloc(end - start)
  let got = 0
  while (got < buf.length) {
    const { bytesRead } = await handle.read(buf, got, buf.length - got, start + got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  return buf.subarray(0, got)
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

async function prefixId(handle: fsp.FileHandle, offset: number): Promise<PrefixId> {
  const st = await handle.stat({ bigint: true })
  const head = await readRange(handle, 0, Math.min(WINDOW, offset))
  const tail = await readRange(handle, Math.max(0, offset - WINDOW), offset)
  return { dev: st.dev.toString(), ino: st.ino.toString(), head: sha256(head), tail: sha256(tail) }
}

// ----------------------------------------------------------------------------------------- read/write

export type SnapshotLoad = { snapshot: JournalSnapshot } | { ignored: string } | { missing: true }

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0

/**
 * The snapshot of the journal open as `handle`, if it still matches it. Never throws: anything wrong
 * comes back as `ignored` with the reason.
 */
export async function loadSnapshot(journal: string, handle: fsp.FileHandle): Promise<SnapshotLoad> {
  let raw: string
  try {
    raw = (await fsp.readFile(snapshotPath(journal))).toString('latin1')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true }
    return { ignored: `unreadable: ${(e as Error).message}` }
  }
  try {
    let f: SnapshotFile
    try {
      f = JSON.parse(raw) as SnapshotFile
    } catch (e) {
      return { ignored: `not valid JSON: ${(e as Error).message}` }
    }
    if (f === null || typeof f !== 'object' || f.format !== SNAPSHOT_FORMAT) return { ignored: 'not a journal snapshot' }
    if (f.version !== SNAPSHOT_VERSION || f.eventVersion !== EVENT_VERSION) {
      return { ignored: `written by another version (snapshot ${f.version}, events ${f.eventVersion})` }
    }
    if (!isCount(f.offset) || !isCount(f.lines) || !isCount(f.count) || !Array.isArray(f.errors)) return { ignored: 'malformed header' }
    for (const e of f.errors) if (e === null || typeof e !== 'object' || !isCount(e.line) || typeof e.message !== 'string') return { ignored: 'malformed errors' }
    const st = await handle.stat({ bigint: true })
    if (st.size < BigInt(f.offset)) return { ignored: `journal is shorter (${st.size} bytes) than the ${f.offset} bytes the snapshot covers` }
    const id = await prefixId(handle, f.offset)
    if (id.dev !== f.dev || id.ino !== f.ino) return { ignored: 'journal was replaced (other file at this path)' }
    if (id.head !== f.head || id.tail !== f.tail) return { ignored: 'journal content differs from what the snapshot covers (rewritten)' }
    const events = decodeEvents(f)
    if (typeof events === 'string') return { ignored: `damaged: ${events}` }
    return { snapshot: { offset: f.offset, lines: f.lines, count: f.count, errors: f.errors, events } }
  } catch (e) {
    return { ignored: `unreadable: ${(e as Error).message}` }
  }
}

/**
 * Atomically write the snapshot of the journal open as `handle` (read access). The caller guarantees
 * that `snap` describes that file's first `snap.offset` bytes.
 */
export async function writeSnapshot(journal: string, handle: fsp.FileHandle, snap: JournalSnapshot): Promise<void> {
  const target = snapshotPath(journal)
  const id = await prefixId(handle, snap.offset)
  const file: SnapshotFile = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    eventVersion: EVENT_VERSION,
    journal: path.basename(journal),
    offset: snap.offset,
    lines: snap.lines,
    count: snap.count,
    ...id,
    errors: snap.errors,
    ...encodeEvents(snap.events),
  }
  const tmp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  let out: fsp.FileHandle | undefined
  try {
    out = await fsp.open(tmp, 'wx')
    await out.writeFile(escapeNonAscii(JSON.stringify(file)), 'latin1')
    await out.sync()
    await out.close()
    out = undefined
    await fsp.rename(tmp, target)
  } catch (e) {
    await out?.close().catch(() => undefined)
    await fsp.rm(tmp, { force: true }).catch(() => undefined)
    throw e
  }
  await syncDir(path.dirname(target))
  await removeStaleTemps(target)
}

// A writer killed between creating its temporary file and the rename leaves it behind; others clean up.
async function removeStaleTemps(target: string): Promise<void> {
  const dir = path.dirname(target)
  const prefix = `${path.basename(target)}.`
  try {
    for (const name of await fsp.readdir(dir)) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue
      const p = path.join(dir, name)
      const st = await fsp.stat(p).catch(() => undefined)
      if (st && Date.now() - st.mtimeMs > STALE_TEMP_MS) await fsp.rm(p, { force: true })
    }
  } catch {
    // Best effort: a leftover file costs only disk space.
  }
}

