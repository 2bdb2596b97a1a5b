// Rebuilds the sample workspace from the hand-written texts in this folder:
//   npx tsx samples/_source/build.ts
// prompt_ids, addresses and the drift list are computed here so they can never disagree with the files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeShardParquet } from '../../src/core/records/parquet-write'
import { promptIdOf } from '../../src/core/records/schema'
import type { Row } from '../../src/core/records/types'
import { binarized } from './binarized'
import { raw } from './raw'
import type { DriftKind, RawCompletion } from './types'
import { ultrachat } from './ultrachat'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

interface DriftEntry {
  file: string
  prompt_id: string
  address: string
  kind: DriftKind
  note: string
}
const drift: DriftEntry[] = []

function write(rel: string, text: string | Buffer): void {
  const p = join(root, rel)
  mkdirSync(dirname(p), { recursive: true })
  writeFileSync(p, text)
}
const jsonl = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
const turns = (texts: string[]) => texts.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content }))

// --- UltraChat (mode a: en.jsonl + de.jsonl; mode b: de-with-original.jsonl) ---
for (const c of ultrachat) {
  if (c.en.length !== c.de.length) throw new Error(`turn count differs for "${c.en[0]}"`)
}
const ucEn = ultrachat.map((c) => ({ prompt: c.en[0], prompt_id: promptIdOf(c.en[0]), messages: turns(c.en) }))
const ucDe = ultrachat.map((c, i) => ({ prompt: c.de[0], prompt_id: ucEn[i].prompt_id, messages: turns(c.de) }))
const WITH_ORIGINAL = 10
const ucOrig = ultrachat.slice(0, WITH_ORIGINAL).map((c, i) => ({
  prompt: c.de[0],
  prompt_id: ucEn[i].prompt_id,
  messages: c.de.map((content, t) => ({ role: t % 2 ? 'assistant' : 'user', content, original: c.en[t] })),
}))
ultrachat.forEach((c, i) => {
  for (const d of c.drift ?? []) {
    const addresses = d.turn === 0 ? ['prompt', 'messages/0/content'] : [`messages/${d.turn}/content`]
    const files = ['ultrachat/de.jsonl', 'ultrachat/de.parquet', ...(i < WITH_ORIGINAL ? ['ultrachat/de-with-original.jsonl'] : [])]
    for (const file of files) for (const address of addresses) drift.push({ file, prompt_id: ucEn[i].prompt_id, address, kind: d.kind, note: d.note })
  }
})
write('ultrachat/en.jsonl', jsonl(ucEn))
write('ultrachat/de.jsonl', jsonl(ucDe))
write('ultrachat/de-with-original.jsonl', jsonl(ucOrig))
await writeShardParquet(join(root, 'ultrachat/de.parquet'), 'ultrachat', ucDe, { rowGroupSize: 8 })

// --- UltraFeedback binarized ---
const pref = (p: { prompt: string; chosen: string; rejected: string }, id: string, sc: number, sr: number) => {
  const chosen = turns([p.prompt, p.chosen])
  return { prompt: p.prompt, prompt_id: id, chosen, rejected: turns([p.prompt, p.rejected]), messages: turns([p.prompt, p.chosen]), score_chosen: sc, score_rejected: sr }
}
const bEn = binarized.map((b) => pref(b.en, promptIdOf(b.en.prompt), b.score_chosen, b.score_rejected))
const bDe = binarized.map((b, i) => pref(b.de, bEn[i].prompt_id, b.score_chosen, b.score_rejected))
binarized.forEach((b, i) => {
  for (const d of b.drift ?? []) {
    // messages repeats chosen, so a damaged chosen answer is damaged in both places.
    const addresses = d.part === 'chosen' ? ['chosen/1/content', 'messages/1/content'] : ['rejected/1/content']
    for (const address of addresses) drift.push({ file: 'ultrafeedback-binarized/de.jsonl', prompt_id: bEn[i].prompt_id, address, kind: d.kind, note: d.note })
  }
})
write('ultrafeedback-binarized/en.jsonl', jsonl(bEn))
write('ultrafeedback-binarized/de.jsonl', jsonl(bDe))

// --- UltraFeedback raw ---
const SYSTEM_PROMPTS: Record<RawCompletion['principle'], string> = {
  helpfulness: 'You are a helpful assistant. Give answers that are accurate, useful and easy to follow.',
  honesty: 'You are an honest assistant. Say so when you do not know something instead of guessing.',
  truthfulness: 'You are a careful assistant. Only state facts you are confident are true.',
  verbalized_calibration: 'You are an assistant that states how confident it is in each answer.',
}
function completion(c: RawCompletion, lang: 'en' | 'de') {
  const [help, honest, follow, truth] = c.ratings
  const note = (r: number) => [{ Rating: String(r), Rationale: c.why }]
  return {
    model: c.model,
    response: c[lang],
    annotations: { helpfulness: note(help), honesty: note(honest), instruction_following: note(follow), truthfulness: note(truth) },
    'fine-grained_score': (help + honest + follow + truth) / 4,
    overall_score: c.overall,
    custom_system_prompt: SYSTEM_PROMPTS[c.principle],
    principle: c.principle,
    critique: c.why,
  }
}
const rEn = raw.map((r) => ({
  source: r.source,
  instruction: r.en,
  models: r.completions.map((c) => c.model),
  completions: r.completions.map((c) => completion(c, 'en')),
  correct_answers: [],
  incorrect_answers: [],
}))
// A German raw row cannot rehash its instruction, so it carries the English prompt_id.
const rDe = raw.map((r, i) => ({ ...rEn[i], instruction: r.de, completions: r.completions.map((c) => completion(c, 'de')), prompt_id: promptIdOf(r.en) }))
raw.forEach((r, i) => {
  for (const d of r.drift ?? []) drift.push({ file: 'ultrafeedback-raw/de.jsonl', prompt_id: promptIdOf(r.en), address: `completions/${d.completion}/response`, kind: d.kind, note: d.note })
})
write('ultrafeedback-raw/en.jsonl', jsonl(rEn))
write('ultrafeedback-raw/de.jsonl', jsonl(rDe))

// --- Drift list, machine-readable and for people ---
write('drift.json', JSON.stringify(drift, null, 2) + '\n')
const KIND_TEXT: Record<DriftKind, string> = {
  'omitted-sentence': 'a sentence of the source is missing',
  'changed-number': 'a number differs from the source',
  untranslated: 'a sentence (or the whole text) was left in English',
  truncated: 'the text stops before the end',
  'altered-code': 'a code block differs from the source code',
  'first-line-only': 'only the first line of a multi-line text was translated, the rest is missing',
}
write(
  'DRIFT.md',
  [
    '# Deliberate drift in the samples',
    '',
    'The German sample files are correct translations except for the texts listed here, which were damaged',
    'on purpose so that quality checks have something to find. `drift.json` holds the same list for tests:',
    '`{file, prompt_id, address, kind, note}` per damaged text. Rebuild both with `npx tsx samples/_source/build.ts`.',
    '',
    '## Kinds',
    '',
    ...Object.entries(KIND_TEXT).map(([k, v]) => `- \`${k}\`: ${v}`),
    '',
    '## Entries',
    '',
    '| file | prompt_id | address | kind | what changed |',
    '| --- | --- | --- | --- | --- |',
    ...drift.map((d) => `| ${d.file} | \`${d.prompt_id.slice(0, 12)}…\` | \`${d.address}\` | ${d.kind} | ${d.note.replace(/\|/g, '\\|')} |`),
    '',
  ].join('\n'),
)

// --- Broken shards for error paths ---
const good = ucEn.slice(0, 5).map((r) => JSON.stringify(r))
write('broken/malformed-line.jsonl', [good[0], good[1], '{"prompt": "This line ends before the object is closed", "messages": [', good[2], good[3]].join('\n') + '\n')
write('broken/bom-crlf.jsonl', '\uFEFF' + [good[0], '', good[1], '   ', good[2], '', good[3]].join('\r\n'))
write(
  'broken/wrong-types.jsonl',
  jsonl([
    ucEn[0],
    { prompt: 'A row whose fields have the wrong types', prompt_id: 12345, messages: 'this should be a list of messages' },
    { prompt: ucEn[2].prompt, prompt_id: ucEn[2].prompt_id, messages: [{ role: 'user', content: 42 }, { role: 'assistant' }] },
    ucEn[3],
  ]),
)
write(
  'broken/unknown-schema.jsonl',
  jsonl([
    { text: 'A product review that is not in any of the supported schemas.', label: 1 },
    { text: 'Another row of the same unsupported shape.', label: 0 },
  ]),
)
write('broken/empty.jsonl', '')
const pq = readFileSync(join(root, 'ultrachat/de.parquet'))
write('broken/truncated.parquet', pq.subarray(0, Math.floor(pq.length * 0.6)))
write(
  'broken/expected.json',
  JSON.stringify(
    [
      { file: 'malformed-line.jsonl', rows: 5, validRows: 4, errors: [{ line: 3, what: 'malformed JSON' }] },
      { file: 'bom-crlf.jsonl', rows: 4, validRows: 4, errors: [], what: 'valid: BOM, CRLF line ends, blank lines, no newline after the last line' },
      { file: 'wrong-types.jsonl', rows: 4, validRows: 2, errors: [{ line: 2, what: 'prompt_id is a number, messages is a string' }, { line: 3, what: 'messages/0/content is a number, messages/1/content is missing' }] },
      { file: 'unknown-schema.jsonl', rows: 2, what: 'unknown record shape (fields text, label)' },
      { file: 'empty.jsonl', rows: 0, what: 'empty file' },
      { file: 'truncated.parquet', what: 'the last 40% of the bytes, footer included, are cut off: cannot be opened' },
    ],
    null,
    2,
  ) + '\n',
)

console.log(`samples rebuilt: ${ucEn.length} ultrachat, ${bEn.length} binarized, ${rEn.length} raw rows; ${drift.length} drift entries`)
