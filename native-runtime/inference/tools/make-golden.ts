/**
 * Writes test/fixtures/tiny-llama-golden.json: greedy and beam-5 generations of the tiny model (seeded
 * weights from make-tiny-llama.ts) computed by the float64 reference (reference.ts, no ONNX Runtime, no KV
 * cache). The server's tests must reproduce these token ids exactly; scripts/gpu/golden-transformers.py
 * checks them against transformers' generate().
 *
 * Usage: node --import tsx native-runtime/inference/tools/make-golden.ts [OUT_JSON]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { TextTokenizer } from '../tokenizer'
import { buildTinyLlama, DEFAULT_SEED, TINY_DEFAULTS } from './make-tiny-llama'
import { beamSearch, greedy, ReferenceLlama } from './reference'

const ALMA = (src: string): string => `Translate this from English to German:\nEnglish: ${src}\nGerman:`

export const GOLDEN_PROMPTS: string[] = [
  ALMA('The cat sat on the mat.'),
  ALMA('Please send me the report by Friday.'),
  ALMA('Machine learning models need careful evaluation before deployment.'),
  ALMA('Hello!'),
  ALMA('The quick brown fox jumps over the lazy dog, while the farmer watches from his old wooden porch.'),
  ALMA('Where is the train station?'),
  ALMA('I paid 42.50 EUR for 3 books on 2024-01-19.'),
  ALMA('Use `npm install` to set up the project.'),
  'Hello',
  'a',
  'Once upon a time',
  'The capital of Germany is',
  'Grüße aus München! Ça va? 😀',
  '1 2 3 4 5 6 7 8 9 10',
  'def fibonacci(n):\n    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)',
  'Q: What is the boiling point of water?\nA:',
  '   leading spaces and trailing spaces   ',
  'A very long sentence that keeps going and going, with many clauses, commas, and words, so that the prompt is much longer than the others in this list and tests padding.',
  '<s> literal special tokens </s> in text',
  'Übersetze: Guten Morgen',
]

export const MAX_NEW_TOKENS = 16
export const NUM_BEAMS = 5

export function makeGolden(modelDir: string, weightsSha256: string, seed: number) {
  const tok = TextTokenizer.load(modelDir)
  const model = new ReferenceLlama(modelDir)
  const eos = model.cfg.eos_token_id
  const prompts = GOLDEN_PROMPTS.map((prompt) => {
    const inputIds = tok.encode(prompt)
    const g = greedy(model, inputIds, MAX_NEW_TOKENS, eos)
    const b = beamSearch(model, inputIds, NUM_BEAMS, MAX_NEW_TOKENS, eos)
    return {
      prompt,
      input_ids: inputIds,
      greedy: { tokens: g.tokens, text: tok.decode(g.tokens), finish_reason: g.finish, min_margin: round(g.minMargin) },
      beam: {
        tokens: b.beams[0]!.tokens,
        text: tok.decode(b.beams[0]!.tokens),
        score: round(b.beams[0]!.score),
        all: b.beams.map((h) => ({ tokens: h.tokens, score: round(h.score) })),
        min_margin: round(b.minMargin),
      },
    }
  })
  return {
    about:
      'Golden generations of the tiny random LLaMA (native-runtime/inference/tools/make-tiny-llama.ts) from the float64 reference (tools/reference.ts): greedy and beam search as transformers generate() does them (length_penalty 1, early_stopping False). Regenerate with tools/make-golden.ts.',
    model: { seed, weights_sha256: weightsSha256, config: TINY_DEFAULTS },
    max_new_tokens: MAX_NEW_TOKENS,
    num_beams: NUM_BEAMS,
    length_penalty: 1,
    prompts,
  }
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6

if (process.argv[1] && /make-golden(\.ts)?$/.test(process.argv[1])) {
  const out = resolve(process.argv[2] ?? 'test/fixtures/tiny-llama-golden.json')
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-tiny-'))
  try {
    const started = Date.now()
    const built = buildTinyLlama(dir, { seed: DEFAULT_SEED })
    const golden = makeGolden(dir, built.weightsSha256, DEFAULT_SEED)
    writeFileSync(out, JSON.stringify(golden, null, 1) + '\n')
    const margins = golden.prompts.flatMap((p) => [p.greedy.min_margin, p.beam.min_margin])
    process.stdout.write(`${out}: ${golden.prompts.length} prompts in ${Date.now() - started} ms, smallest margin ${Math.min(...margins)}\n`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
