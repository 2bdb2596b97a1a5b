/**
 * Data sets for the review webview tests, generated here. Synthetic rows follow a rule of their index so a
 * 200k-row shard costs nothing to ship to the page: the host double (bundled into the page) and the
 * tests (in node) call the same functions.
 */
import { FLAG_REASONS, type RecordView, type RowSummary, type ShardInfo, type UnitView } from '../../src/protocol/review'

export interface Keybinding {
  command: string
  key: string
  args?: unknown
  when?: string
}

export interface HostDataSpec {
  shard: ShardInfo
  /** Rows of the unfiltered list; row i has record index i. */
  rowCount: number
  /** Rows that replace the synthetic ones (same index). */
  rows?: RowSummary[]
  /** Records that replace the synthetic ones (same index). */
  records?: RecordView[]
  /** Rows `init` carries (the real host sends 100). */
  initRows?: number
  /** Keybindings the keybinding dispatch double maps key presses with. */
  keybindings: Keybinding[]
}

export const hex = (i: number) => i.toString(16).padStart(64, '0')

/** The flag reason a synthetic flagged row carries. */
export const syntheticReason = (i: number) => FLAG_REASONS[i % FLAG_REASONS.length]

export function syntheticRow(i: number): RowSummary {
  return {
    index: i,
    promptId: hex(i),
    preview: `Prompt ${i}: how do I write a haiku about rivers?`,
    units: 3,
    lengthRatio: 0.8 + (i % 50) / 100,
    flags: i % 97 === 5 ? 1 : 0,
    qaFlags: i % 89 === 7 ? 2 : 0,
    approved: i % 50 === 0,
    reviewed: i % 50 === 0,
  }
}

export function syntheticRecord(i: number): RecordView {
  const units: UnitView[] = [
    {
      address: 'messages/0/content',
      role: 'user',
      source: `Question ${i}, first paragraph.\n\nSecond paragraph of question ${i}.`,
      target: `Frage ${i}, erster Absatz.\n\nZweiter Absatz der Frage ${i}.`,
      segments: [
        { source: `Question ${i}, first paragraph.`, target: `Frage ${i}, erster Absatz.` },
        { source: `Second paragraph of question ${i}.`, target: `Zweiter Absatz der Frage ${i}.` },
      ],
    },
    {
      address: 'messages/1/content',
      role: 'assistant',
      source: `Answer ${i}.\n\n\`\`\`python\nprint(${i})\n\`\`\``,
      target: `Antwort ${i}.\n\n\`\`\`python\nprint(${i})\n\`\`\``,
      segments: [
        { source: `Answer ${i}.`, target: `Antwort ${i}.` },
        { source: `\`\`\`python\nprint(${i})\n\`\`\``, target: `\`\`\`python\nprint(${i})\n\`\`\`` },
      ],
    },
    {
      address: 'messages/2/content',
      role: 'user',
      source: `Thanks for answer ${i}.`,
      target: `Danke für Antwort ${i}.`,
      segments: [{ source: `Thanks for answer ${i}.`, target: `Danke für Antwort ${i}.` }],
    },
  ]
  const row = syntheticRow(i)
  return {
    index: i,
    promptId: hex(i),
    kind: 'ultrachat',
    units,
    completions: [],
    flags: [],
    qaFlags: [],
    approved: row.approved ?? false,
  }
}

export function shardInfo(rowCount: number, kind = 'ultrachat'): ShardInfo {
  return { path: '/data/train_sft.de.jsonl', name: 'train_sft.de.jsonl', kind, format: 'jsonl', rowCount, mode: 'paired', pairedWith: 'train_sft.en.jsonl', reviewer: 'tester' }
}

/** An UltraFeedback binarized record: a prompt, and chosen (0) / rejected (1) completions. */
export function ultrafeedbackRecord(index: number): RecordView {
  const unit = (address: string, role: string, source: string, target: string): UnitView => ({ address, role, source, target, segments: [{ source, target }] })
  return {
    index,
    promptId: hex(index),
    kind: 'ultrafeedback-binarized',
    units: [
      unit('prompt', 'user', 'Name a prime number.', 'Nenne eine Primzahl.'),
      unit('chosen/1/content', 'assistant', 'Seven is prime.', 'Sieben ist eine Primzahl.'),
      unit('rejected/1/content', 'assistant', 'Nine is prime.', 'Neun ist eine Primzahl.'),
    ],
    completions: [
      { index: 0, label: 'chosen', score: 9, address: 'chosen/1/content' },
      { index: 1, label: 'rejected', score: 3, address: 'rejected/1/content' },
    ],
    flags: [],
    qaFlags: [
      { key: 'numbers:chosen/1/content:0', address: 'chosen/1/content', check: 'numbers', severity: 'warning', message: 'number "7" missing in translation', automatic: true, status: 'open' },
    ],
    approved: false,
  }
}

export const XSS_SCRIPT = '<script>window.__xss = 1; alert(1)</script>'
export const XSS_IMG = '<img src=x onerror="window.__xss = 2; alert(2)">'
export const XSS_SVG = '<svg><svg onload="window.__xss = 3">'

/** A record whose every text is markup that must show literally and run nothing. */
export function xssRecord(index: number): RecordView {
  return {
    index,
    promptId: hex(index),
    kind: 'ultrachat',
    units: [
      {
        address: 'messages/0/content',
        role: XSS_IMG,
        source: XSS_SCRIPT,
        target: XSS_IMG,
        machine: XSS_SVG,
        segments: [{ source: XSS_SCRIPT, target: XSS_IMG }],
      },
    ],
    completions: [],
    flags: [{ id: 'f1', address: 'messages/0/content', segment: 0, reason: 'other', severity: 'minor', comment: XSS_SVG, reviewer: XSS_IMG, automatic: false }],
    qaFlags: [{ key: 'k1', address: 'messages/0/content', check: XSS_SCRIPT, severity: 'error', message: XSS_IMG, automatic: true, status: 'open' }],
    approved: false,
    error: XSS_SCRIPT,
  }
}

export function xssRow(index: number): RowSummary {
  return { ...syntheticRow(index), preview: `${XSS_SCRIPT} ${XSS_IMG}`, promptId: XSS_SVG }
}
