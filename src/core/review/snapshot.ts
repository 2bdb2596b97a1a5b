/**
 * Journal snapshots: `<journal>.snapshot.json` holds the state (`ReviewState`) that folding the
 * journal's first `offset` bytes gives, so a reopen rebuilds that state directly and folds only the lines
 * after it. The state is the journal's alone: journals are folded one by one and their states merged
 * (`mergeState`), which gives what folding all their events in one go gives, resolutions that compete
 * across journals included. Readers that want events (`readJournal`) get the ones the state holds
 * (`stateEvents`) in place of the covered lines.
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
import { EVENT_VERSION } from './events'
import type { ReviewState } from './state'
import { decodeState, encodeState, type EncodedState } from './state-codec'
import { syncDir } from '../util/fs'

export const SNAPSHOT_FORMAT = 'phoenix-journal-snapshot'
export const SNAPSHOT_VERSION = 2
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
  /** Valid events in those lines. */
  count: number
  /** Lines of the covered part that were skipped, as a full read reports them. */
  errors: SnapshotError[]
  /** Those events folded (its `eventCount` is `count`). */
  state: ReviewState
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

// ------------------------------------------------------------------------------------------ encoding

/*
 * File layout: one JSON object, ASCII only (other characters as \u escapes, so it decodes as latin1
 * without a UTF-8 pass), in this order: the header, `hash`, the state's streams (base64) and its `text`,
 * the rest of the state (see state-codec.ts). `hash` is the sha256 of the bytes after it. With it checked,
 * the state is known to be what this code wrote from validated events, so its events are not validated
 * one by one again (that took a quarter of a reopen); anything else that changes the file fails the check
 * and the snapshot is ignored. The fixed order lets a reader take the header, the streams and `text` by
 * position (none of them holds a quote, and `,"hash":"` cannot occur earlier, in a JSON string, where a
 * quote is escaped), so that only the small tables go through JSON.parse.
 */
interface SnapshotHeader {
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
}

const HASH_KEY = ',"hash":"'
const EVENTS_KEY = '","events":"'
const LAYOUT_KEY = '","layout":"'
const BOUNDS_KEY = '","bounds":"'
const TEXT_KEY = '","text":"'
const HASH_HEX = 64

type Split = { header: string; hash: string; body: Buffer } | undefined

function splitAtHash(buf: Buffer): Split {
  const at = buf.indexOf(HASH_KEY, 0, 'latin1')
  if (at === -1 || buf.length < at + HASH_KEY.length + HASH_HEX) return undefined
  const from = at + HASH_KEY.length
  return { header: buf.toString('latin1', 0, at) + '}', hash: buf.toString('latin1', from, from + HASH_HEX), body: buf.subarray(from + HASH_HEX) }
}

/** The state part of a snapshot whose hash matched (so the layout is the one `writeSnapshot` makes). */
function stateParts(body: Buffer): EncodedState {
  const take = (key: string, from: number) => {
    if (body.toString('latin1', from, from + key.length) !== key) throw new Error('unexpected layout')
    const start = from + key.length
    const end = body.indexOf(0x22 /* " */, start)
    if (end === -1) throw new Error('unexpected layout')
    return { value: body.toString('latin1', start, end), end }
  }
  const events = take(EVENTS_KEY, 0)
  const layout = take(LAYOUT_KEY, events.end)
  const bounds = take(BOUNDS_KEY, layout.end)
  const text = take(TEXT_KEY, bounds.end)
  const rest = JSON.parse(`{${body.toString('latin1', text.end + 2)}`) as Omit<EncodedState, 'events' | 'layout' | 'bounds' | 'text'>
  return { ...rest, events: events.value, layout: layout.value, bounds: bounds.value, text: text.value }
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
  let buf: Buffer
  try {
    buf = await fsp.readFile(snapshotPath(journal))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true }
    return { ignored: `unreadable: ${(e as Error).message}` }
  }
  // Only for a file that is not what `writeSnapshot` makes: say what is wrong with it.
  const whatIsWrong = (otherwise: string) => {
    try {
      const f = JSON.parse(buf.toString('latin1')) as SnapshotHeader | null
      if (f === null || typeof f !== 'object' || f.format !== SNAPSHOT_FORMAT) return 'not a journal snapshot'
      return f.version !== SNAPSHOT_VERSION ? `written by another version (snapshot ${f.version}, events ${f.eventVersion})` : otherwise
    } catch (e) {
      return `not valid JSON: ${(e as Error).message}`
    }
  }
  try {
    const split = splitAtHash(buf)
    let f: SnapshotHeader
    try {
      if (!split) throw new Error('no hash')
      f = JSON.parse(split.header) as SnapshotHeader
    } catch {
      return { ignored: whatIsWrong('damaged: no checksum') }
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
    if (sha256(split!.body) !== split!.hash) return { ignored: whatIsWrong('damaged: checksum does not match its content') }
    let state: ReviewState
    try {
      state = decodeState(stateParts(split!.body))
    } catch (e) {
      return { ignored: `damaged: ${(e as Error).message}` }
    }
    if (state.eventCount !== f.count) return { ignored: 'damaged: event count differs from the header' }
    return { snapshot: { offset: f.offset, lines: f.lines, count: f.count, errors: f.errors, state } }
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
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    eventVersion: EVENT_VERSION,
    journal: path.basename(journal),
    offset: snap.offset,
    lines: snap.lines,
    count: snap.count,
    ...id,
    errors: snap.errors,
  }
  const { events, layout, bounds, text: plain, ...tables } = encodeState(snap.state)
  // The tables' `{...}` without its opening brace continues the object after the streams.
  const body = `${EVENTS_KEY}${events}${LAYOUT_KEY}${layout}${BOUNDS_KEY}${bounds}${TEXT_KEY}${plain}",${escapeNonAscii(JSON.stringify(tables)).slice(1)}`
  const text = `${escapeNonAscii(JSON.stringify(header)).slice(0, -1)}${HASH_KEY}${sha256(Buffer.from(body, 'latin1'))}${body}`
  const tmp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  let out: fsp.FileHandle | undefined
  try {
    out = await fsp.open(tmp, 'wx')
    await out.writeFile(text, 'latin1')
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

