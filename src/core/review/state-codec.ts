/**
 * A `ReviewState` as plain data, for journal snapshots (snapshot.ts): decoding rebuilds the state's Maps
 * directly, in their original key order, instead of folding events through `applyEvent` again.
 *
 * Every string (values and Map keys) is interned in one table, every other JSON value in `values`, every
 * event's key list in `shapes`. The table is stored as `text`, the strings that need no escaping in JSON
 * (printable ASCII but `"` and `\`) one after the other, and `strings`, the others; `bounds` says per
 * entry where its string ends in `text` (end * 2) or which of `strings` it is (index * 2 + 1). Decoding
 * cuts `text` into slices, which V8 makes without copying characters (for 13 and more), where a JSON
 * array of a quarter million strings took longer to parse than everything else and filled the young
 * generation the garbage collector copies. The events and the state's structure are Uint32 streams stored as base64:
 * decoding them is a native copy, where a JSON array of a million numbers took longer to parse than the
 * rest of the reopen together.
 *
 * `events`: per event, its shape, then per key an index into the string table (kind 's') or `values` ('j').
 * `layout`: reviewers, then resolutions:
 *   count, per reviewer: name, record count,
 *     per record: promptId, then for flags, unflags, qa, edits: count and (key, event) pairs,
 *     then approval, pick (event + 1, 0 for none) and last (event);
 *   count, per promptId with resolutions: promptId, count, per resolution in key order: field
 *   (0 approval, 1 pick) and event (key order, like every Map's, is what a replay would give).
 * If `RecordState` or `Resolutions` gain a slot, encode it here and bump SNAPSHOT_VERSION.
 */
import type { ReviewEvent } from './events'
import type { ApprovalEvent, ApprovalResolution, PickResolution, RecordState, Resolutions, ReviewState } from './state'

export interface EncodedState {
  text: string
  bounds: string
  strings: string[]
  values: unknown[]
  shapes: [string[], string][]
  events: string
  layout: string
  eventCount: number
}

const RESOLUTION_FIELDS = ['approval', 'pick'] as const

const toBase64 = (words: number[]) => Buffer.from(Uint32Array.from(words).buffer).toString('base64')

function fromBase64(b64: unknown): Uint32Array {
  if (typeof b64 !== 'string') throw new Error('stream missing')
  const buf = Buffer.from(b64, 'base64')
  if (buf.length % 4 !== 0) throw new Error('stream length is not a multiple of 4')
  // Small buffers come from a shared pool at any offset; a Uint32Array needs one aligned to 4.
  const aligned = buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf)
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4)
}

export function encodeState(state: ReviewState): EncodedState {
  const strings: string[] = []
  const stringIds = new Map<string, number>()
  const str = (s: string) => {
    let id = stringIds.get(s)
    if (id === undefined) {
      id = strings.length
      strings.push(s)
      stringIds.set(s, id)
    }
    return id
  }
  const values: unknown[] = []
  const valueIds = new Map<unknown, number>()
  const val = (v: unknown) => {
    // Objects (a resolved pick) are stored once per event, so no two decoded events share one.
    if (v !== null && typeof v === 'object') return values.push(v) - 1
    let id = valueIds.get(v)
    if (id === undefined) valueIds.set(v, (id = values.push(v) - 1))
    return id
  }
  const shapes: [string[], string][] = []
  const events: number[] = []
  let eventCount = 0
  // Shapes seen so far per event type; an event is compared with them key by key (no string built per event).
  const shapesByType = new Map<string, number[]>()
  // Emits an event and returns its index. Every slot of a state holds another event, except a record's
  // `last` (see `record` below), so events are not looked up to be stored once.
  const ev = (e: ReviewEvent) => {
    let keys = Object.keys(e)
    let vals: unknown[] = Object.values(e)
    if (vals.includes(undefined)) {
      // Keys with undefined values are dropped, as writing the event to a journal line drops them.
      keys = keys.filter((_, j) => vals[j] !== undefined)
      vals = vals.filter((v) => v !== undefined)
    }
    let candidates = shapesByType.get(e.type)
    if (candidates === undefined) shapesByType.set(e.type, (candidates = []))
    let shape = -1
    next: for (const c of candidates) {
      const [sk, kinds] = shapes[c]
      if (sk.length !== keys.length) continue
      for (let j = 0; j < sk.length; j++) if (sk[j] !== keys[j] || (kinds.charCodeAt(j) === 115) !== (typeof vals[j] === 'string')) continue next
      shape = c
      break
    }
    if (shape === -1) {
      shape = shapes.push([keys, vals.map((v) => (typeof v === 'string' ? 's' : 'j')).join('')]) - 1
      candidates.push(shape)
    }
    events.push(shape)
    for (let j = 0; j < vals.length; j++) {
      const v = vals[j]
      // `id` and `ts` are unique to nearly every event: interning them costs a lookup and saves nothing.
      events.push(typeof v !== 'string' ? val(v) : keys[j] === 'id' || keys[j] === 'ts' ? strings.push(v) - 1 : str(v))
    }
    return eventCount++
  }
  const optional = (e: ReviewEvent | null | undefined) => (e ? ev(e) + 1 : 0)
  const layout: number[] = [state.byReviewer.size]
  for (const [reviewer, recs] of state.byReviewer) {
    layout.push(str(reviewer), recs.size)
    for (const [promptId, rec] of recs) {
      layout.push(str(promptId))
      // `last` is always one of the record's other events (the latest one is also the latest of its slot).
      let last = -1
      const slot = (e: ReviewEvent) => {
        const i = ev(e)
        if (e === rec.last) last = i
        return i
      }
      for (const m of [rec.flags, rec.unflags, rec.qa, rec.edits] as Map<string, ReviewEvent>[]) {
        layout.push(m.size)
        for (const [k, e] of m) layout.push(str(k), slot(e))
      }
      layout.push(rec.approval ? slot(rec.approval) + 1 : 0, rec.pick ? slot(rec.pick) + 1 : 0)
      layout.push(last === -1 ? ev(rec.last) : last)
    }
  }
  layout.push(state.resolutions.size)
  for (const [promptId, res] of state.resolutions) {
    const fields = (Object.keys(res) as (keyof Resolutions)[]).filter((k) => res[k])
    layout.push(str(promptId), fields.length)
    for (const k of fields) layout.push(RESOLUTION_FIELDS.indexOf(k), ev(res[k]!))
  }
  return { ...packStrings(strings), values, shapes, events: toBase64(events), layout: toBase64(layout), eventCount: state.eventCount }
}

const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/

function packStrings(table: string[]): Pick<EncodedState, 'text' | 'bounds' | 'strings'> {
  const plain: string[] = []
  const other: string[] = []
  const bounds: number[] = []
  let end = 0
  for (const s of table) {
    if (PLAIN.test(s)) {
      plain.push(s)
      end += s.length
      if (end > 0x7fffffff) throw new Error('string table too large for a snapshot')
      bounds.push(end * 2)
    } else bounds.push((other.push(s) - 1) * 2 + 1)
  }
  return { text: plain.join(''), bounds: toBase64(bounds), strings: other }
}

function unpackStrings(enc: EncodedState): string[] {
  const { text, strings } = enc
  if (typeof text !== 'string' || !Array.isArray(strings)) throw new Error('string table missing')
  const bounds = fromBase64(enc.bounds)
  const table: string[] = new Array(bounds.length)
  let start = 0
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i]
    if (b & 1) {
      const s = strings[b >>> 1]
      if (typeof s !== 'string') throw new Error('a string table entry is not a string')
      table[i] = s
    } else {
      const end = b >>> 1
      if (end < start || end > text.length) throw new Error('string table bounds out of order')
      table[i] = text.slice(start, end)
      start = end
    }
  }
  return table
}

type MakeEvent = (strings: string[], values: unknown[], flat: Uint32Array, at: number) => ReviewEvent

/**
 * One function per shape that returns an object literal of that shape, so V8 creates each event in one
 * step at its final size: decoding the bench's 107k events takes about half the time of filling objects
 * key by key. Keys are written as JSON string literals (never `__proto__`, see
 * `decodeState`), so a key cannot be anything but a property name. Where code cannot be generated (a
 * host that forbids it), objects are filled key by key instead.
 */
function eventMaker(keys: string[], kinds: string): MakeEvent {
  const props = keys.map((k, j) => {
    const v = `flat[at + ${j}]`
    const load = kinds[j] === 's' ? `strings[${v}]` : `copy(values[${v}])`
    return `${JSON.stringify(k)}: ${load}`
  })
  try {
    const make = new Function('copy', `return (strings, values, flat, at) => ({ ${props.join(', ')} })`) as (copy: (v: unknown) => unknown) => MakeEvent
    return make(copyValue)
  } catch {
    return (strings, values, flat, at) => {
      const o: Record<string, unknown> = {}
      for (let j = 0; j < keys.length; j++) o[keys[j]] = kinds.charCodeAt(j) === 115 /* s */ ? strings[flat[at + j]] : copyValue(values[flat[at + j]])
      return o as unknown as ReviewEvent
    }
  }
}

// Stored once per event (see encodeState), yet copied: two events must never share an object.
const copyValue = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v)

/**
 * The state `encodeState` was given. Throws on data it could not have written; it does not re-validate
 * the events (the snapshot's checksum already says these are the bytes it wrote, see snapshot.ts).
 */
export function decodeState(enc: EncodedState): ReviewState {
  const { values, shapes } = enc
  if (!Array.isArray(values) || !Array.isArray(shapes)) throw new Error('values or shapes missing')
  const strings = unpackStrings(enc)
  for (const sh of shapes) {
    if (!Array.isArray(sh) || !Array.isArray(sh[0]) || typeof sh[1] !== 'string' || sh[0].length !== sh[1].length) throw new Error('malformed shape')
    if (!sh[0].every((k) => typeof k === 'string' && k !== '__proto__') || !/^[sj]*$/.test(sh[1])) throw new Error('malformed shape')
  }
  const flat = fromBase64(enc.events)
  const makers = shapes.map(([keys, kinds]) => eventMaker(keys, kinds))
  const events: ReviewEvent[] = []
  for (let i = 0; i < flat.length; ) {
    const shape = flat[i++]
    const make = makers[shape]
    if (make === undefined) throw new Error(`event ${events.length} has no valid shape`)
    const keys = shapes[shape][0]
    const kinds = shapes[shape][1]
    if (i + keys.length > flat.length) throw new Error(`event ${events.length} is cut off`)
    for (let k = 0; k < keys.length; k++) {
      if (flat[i + k] >= (kinds.charCodeAt(k) === 115 /* s */ ? strings.length : values.length)) throw new Error(`event ${events.length} names a value that is not in the table`)
    }
    events.push(make(strings, values, flat, i))
    i += keys.length
  }
  const lay = fromBase64(enc.layout)
  let p = 0
  const next = () => {
    if (p >= lay.length) throw new Error('layout ends early')
    return lay[p++]
  }
  const s = () => {
    const x = strings[next()]
    if (typeof x !== 'string') throw new Error('layout names a string that is not in the table')
    return x
  }
  const e = () => {
    const x = events[next()]
    if (x === undefined) throw new Error('layout names an event that is not in the table')
    return x
  }
  const optional = () => {
    const j = next()
    if (j === 0) return null
    const x = events[j - 1]
    if (x === undefined) throw new Error('layout names an event that is not in the table')
    return x
  }
  const fill = <E>(m: Map<string, E>) => {
    for (let n = next(); n > 0; n--) m.set(s(), e() as E)
    return m
  }
  const byReviewer = new Map<string, Map<string, RecordState>>()
  for (let r = next(); r > 0; r--) {
    const reviewer = s()
    const recs = new Map<string, RecordState>()
    byReviewer.set(reviewer, recs)
    for (let n = next(); n > 0; n--) {
      const promptId = s()
      const rec: RecordState = {
        promptId,
        reviewer,
        flags: fill(new Map()),
        unflags: fill(new Map()),
        qa: fill(new Map()),
        edits: fill(new Map()),
        approval: optional() as ApprovalEvent | null,
        pick: optional() as RecordState['pick'],
        last: e(),
      }
      recs.set(promptId, rec)
    }
  }
  const resolutions = new Map<string, Resolutions>()
  for (let n = next(); n > 0; n--) {
    const promptId = s()
    const res: Resolutions = {}
    for (let k = next(); k > 0; k--) {
      const field = RESOLUTION_FIELDS[next()]
      if (field === undefined) throw new Error('layout names an unknown resolution')
      if (field === 'approval') res.approval = e() as ApprovalResolution
      else res.pick = e() as PickResolution
    }
    resolutions.set(promptId, res)
  }
  if (p !== lay.length) throw new Error('layout has trailing data')
  const eventCount = enc.eventCount
  if (!Number.isSafeInteger(eventCount) || eventCount < 0) throw new Error('malformed event count')
  return { byReviewer, resolutions, eventCount }
}
