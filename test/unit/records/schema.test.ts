import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { textAt, textUnits, withTextAt } from '../../../src/core/records/address'
import { detectKind, promptIdOf, rowPromptId, UnknownSchemaError, validateRow } from '../../../src/core/records/schema'

const msgs = (...t: string[]) => t.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content }))
const ultrachat = { prompt: 'Hi', prompt_id: 'abc', messages: msgs('Hi', 'Hello there', 'More?', 'Sure') }
const binarized = { prompt: 'Q', prompt_id: 'q1', chosen: msgs('Q', 'good'), rejected: msgs('Q', 'bad'), messages: msgs('Q', 'good'), score_chosen: 8.5, score_rejected: 3 }
const raw = {
  source: 'evol_instruct',
  instruction: 'Name a colour.',
  models: ['a', 'b'],
  completions: [
    { model: 'a', response: 'Blue.', annotations: {}, 'fine-grained_score': 4.5, overall_score: 7 },
    { model: 'b', response: 'Red.', annotations: {}, 'fine-grained_score': 3, overall_score: 5 },
  ],
}

describe('schema detection', () => {
  it('names each kind', () => {
    assert.equal(detectKind(ultrachat), 'ultrachat')
    assert.equal(detectKind(binarized), 'ultrafeedback-binarized')
    assert.equal(detectKind(raw), 'ultrafeedback-raw')
    assert.equal(detectKind({ messages: msgs('a') }), 'messages')
  })

  it('lists the fields it found for an unknown shape', () => {
    assert.throws(() => detectKind({ text: 'x', label: 1 }), (e: unknown) => e instanceof UnknownSchemaError && /found fields \[text, label\]/.test(e.message) && /ultrachat \(prompt, prompt_id, messages\)/.test(e.message))
  })

  it('derives prompt_id for raw UltraFeedback as sha256 hex of the instruction', () => {
    assert.equal(promptIdOf('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    assert.equal(rowPromptId(raw, 'ultrafeedback-raw'), promptIdOf('Name a colour.'))
    // A translated raw row keeps the English id instead of hashing its German instruction.
    assert.equal(rowPromptId({ ...raw, instruction: 'Nenne eine Farbe.', prompt_id: promptIdOf('Name a colour.') }, 'ultrafeedback-raw'), promptIdOf('Name a colour.'))
    assert.equal(rowPromptId(ultrachat, 'ultrachat'), 'abc')
  })

  it('reports wrong field types without throwing', () => {
    assert.deepEqual(validateRow(ultrachat, 'ultrachat'), [])
    assert.deepEqual(validateRow(binarized, 'ultrafeedback-binarized'), [])
    assert.deepEqual(validateRow(raw, 'ultrafeedback-raw'), [])
    const bad = validateRow({ prompt: 3, prompt_id: 'x', messages: [{ role: 'user', content: null }, 'oops'] }, 'ultrachat')
    assert.deepEqual(bad, ['field "prompt" should be a string, found a number', 'messages/0/content should be a string, found null', 'messages/1 should be an object {role, content}, found a string'])
    assert.deepEqual(validateRow({ prompt: 'x', messages: [] }, 'ultrachat'), ['missing field "prompt_id" required by ultrachat'])
    assert.match(validateRow({ ...binarized, score_chosen: '8' }, 'ultrafeedback-binarized').join(), /score_chosen" should be a number, found a string/)
  })
})

describe('addresses', () => {
  it('gives every translatable text a stable address', () => {
    assert.deepEqual(textUnits(ultrachat, 'ultrachat').map((u) => u.address), ['prompt', 'messages/0/content', 'messages/1/content', 'messages/2/content', 'messages/3/content'])
    assert.deepEqual(textUnits(binarized, 'ultrafeedback-binarized').map((u) => u.address), ['prompt', 'chosen/0/content', 'chosen/1/content', 'rejected/0/content', 'rejected/1/content', 'messages/0/content', 'messages/1/content'])
    assert.deepEqual(textUnits(raw, 'ultrafeedback-raw').map((u) => u.address), ['instruction', 'completions/0/response', 'completions/1/response'])
    assert.equal(textUnits(ultrachat, 'ultrachat')[2].role, 'assistant')
  })

  it('reads and replaces the text at an address without touching the original row', () => {
    assert.equal(textAt(raw, 'completions/1/response'), 'Red.')
    assert.equal(textAt(raw, 'completions/9/response'), undefined)
    const changed = withTextAt(ultrachat, 'messages/1/content', 'Hallo')
    assert.equal(textAt(changed, 'messages/1/content'), 'Hallo')
    assert.equal(textAt(ultrachat, 'messages/1/content'), 'Hello there')
    assert.throws(() => withTextAt(ultrachat, 'messages/7/content', 'x'), /no text at address "messages\/7\/content"/)
  })
})
