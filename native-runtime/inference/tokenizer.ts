/**
 * The model folder's tokenizer.json through @huggingface/tokenizers, with LLaMA's special-token handling
 * as transformers applies it: BOS prepended and no EOS appended unless tokenizer_config.json says otherwise
 * (`add_bos_token` / `add_eos_token`, which transformers' LlamaTokenizerFast applies over tokenizer.json's
 * own post-processor), and decoding that skips special tokens.
 */
import { Tokenizer } from '@huggingface/tokenizers'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export class TextTokenizer {
  readonly bosId: number | undefined
  readonly eosId: number | undefined
  readonly padId: number
  readonly vocabSize: number
  /** Longest token in characters: a text of n characters has at least n / maxTokenChars tokens. */
  readonly maxTokenChars: number
  private readonly addBos: boolean
  private readonly addEos: boolean

  private constructor(
    private readonly tok: Tokenizer,
    config: Record<string, unknown>,
  ) {
    const id = (field: string): number | undefined => {
      const v = config[field]
      const content = typeof v === 'string' ? v : v && typeof v === 'object' ? (v as { content?: string }).content : undefined
      return content === undefined ? undefined : tok.token_to_id(content)
    }
    this.bosId = id('bos_token')
    this.eosId = id('eos_token')
    this.padId = id('pad_token') ?? id('unk_token') ?? 0
    this.addBos = config.add_bos_token !== false && this.bosId !== undefined
    this.addEos = config.add_eos_token === true && this.eosId !== undefined
    const vocab = tok.get_vocab(true)
    this.vocabSize = vocab.size
    let longest = 1
    for (const token of vocab.keys()) longest = Math.max(longest, token.length)
    this.maxTokenChars = longest
  }

  static load(modelDir: string): TextTokenizer {
    const file = join(modelDir, 'tokenizer.json')
    if (!existsSync(file)) throw new Error(`${file}: no tokenizer.json in the model folder`)
    const json = JSON.parse(readFileSync(file, 'utf8')) as object
    const configFile = join(modelDir, 'tokenizer_config.json')
    const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>) : {}
    return new TextTokenizer(new Tokenizer(json, config), config)
  }

  encode(text: string): number[] {
    const ids = this.tok.encode(text, { add_special_tokens: false }).ids
    if (this.addBos) ids.unshift(this.bosId!)
    if (this.addEos) ids.push(this.eosId!)
    return ids
  }

  decode(ids: readonly number[]): string {
    return this.tok.decode([...ids], { skip_special_tokens: true })
  }
}
