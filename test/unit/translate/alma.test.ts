import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { almaPrompt, cleanAlmaOutput, completionParams, languageName } from '../../../src/core/translate/alma';

describe('ALMA prompt', () => {
  it('is the prompt from ALMA’s code, English to German by default', () => {
    assert.equal(almaPrompt('Hello world.'), 'Translate this from English to German:\nEnglish: Hello world.\nGerman:');
  });

  it('takes other pairs by code or name', () => {
    assert.equal(almaPrompt('Bonjour.', { source: 'fr', target: 'cs' }), 'Translate this from French to Czech:\nFrench: Bonjour.\nCzech:');
    assert.equal(almaPrompt('x', { source: 'is', target: 'zh' }), 'Translate this from Icelandic to Chinese:\nIcelandic: x\nChinese:');
    assert.equal(almaPrompt('x', { source: 'EN-us', target: 'russian' }), 'Translate this from English to Russian:\nEnglish: x\nRussian:');
    assert.equal(languageName('de_AT'), 'German');
  });

  it('names the known languages when a code is unknown', () => {
    assert.throws(() => almaPrompt('x', { source: 'en', target: 'xx' }), /unknown language "xx".*de \(German\)/);
  });
});

describe('ALMA output cleaning', () => {
  it('keeps the first line of a completion, trimmed', () => {
    assert.equal(cleanAlmaOutput(' Hallo Welt.\nEnglish: Next example\nGerman: Nächstes Beispiel'), 'Hallo Welt.');
    assert.equal(cleanAlmaOutput('  Guten Tag.  \r\n'), 'Guten Tag.');
  });

  it('skips an empty first (and second) line, as ALMA does', () => {
    assert.equal(cleanAlmaOutput('\n Hallo.\nmehr'), 'Hallo.');
    assert.equal(cleanAlmaOutput(' \n\t\nDritte Zeile\n'), 'Dritte Zeile');
    assert.equal(cleanAlmaOutput('\n\n\nVierte Zeile'), '');
    assert.equal(cleanAlmaOutput(''), '');
  });

  it('cuts an echoed prompt after its target-language suffix', () => {
    const prompt = almaPrompt('Good morning.');
    assert.equal(cleanAlmaOutput(`${prompt} Guten Morgen.\nEnglish: Bye.\nGerman: Tschüss.`), 'Guten Morgen.');
    assert.equal(cleanAlmaOutput(`${prompt}\nGuten Morgen.`, 'de', prompt), 'Guten Morgen.');
    const cs = almaPrompt('Good morning.', { source: 'en', target: 'cs' });
    assert.equal(cleanAlmaOutput(`${cs} Dobré ráno.\n`, 'cs'), 'Dobré ráno.');
  });
});

describe('generation settings', () => {
  it('default to ALMA’s beam 5 and 256 new tokens, asked so both old and new vLLM beam-search', () => {
    assert.deepEqual(completionParams(), { max_tokens: 256, temperature: 0, top_p: 1, n: 5, use_beam_search: true, best_of: 5 });
  });

  it('sampling and greedy settings map to plain sampling parameters', () => {
    assert.deepEqual(completionParams({ doSample: true, temperature: 0.6, topP: 0.9, beams: 1, maxNewTokens: 64 }), {
      max_tokens: 64,
      temperature: 0.6,
      top_p: 0.9,
      n: 1,
    });
    assert.deepEqual(completionParams({ beams: 1, stop: ['\n'] }), { max_tokens: 256, temperature: 0, top_p: 1, n: 1, stop: ['\n'] });
    assert.throws(() => completionParams({ beams: 0 }), /beams/);
  });
});
