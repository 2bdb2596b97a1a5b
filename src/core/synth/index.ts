/** Seeded synthetic shards in the Hugging Face schemas, English or German, paired row for row. */
export { generate, generateRow, SYNTH_KINDS, type GenerateOptions, type SynthKind } from './generate'
export type { Lang } from './slots'
export { Rng } from './rng'
