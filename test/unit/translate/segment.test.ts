import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { segmentText, type Segmentation } from '../../../src/core/translate/segment';
import { approxTokenCount } from '../../../src/core/translate/tokens';
import { PLACEHOLDER_SOURCE, restorePlaceholders } from '../../../src/core/translate/placeholders';
import { splitSentences } from '../../../src/core/translate/sentences';
import { randomDocument, randomSoup, rng } from './gen';

const identity = (s: Segmentation): string => s.rebuild(s.segments.map((x) => x.text));
const texts = (s: Segmentation): string[] => s.segments.map((x) => x.text);

/** Everything a segmentation promises, for any input. */
function checkInvariants(source: string, maxTokens: number, count = approxTokenCount): Segmentation {
  const seg = segmentText(source, { maxTokens, countTokens: count });
  assert.equal(identity(seg), source, 'identity rebuild must give the input back');
  let prevEnd = 0;
  for (const s of seg.segments) {
    // Messages are built only on failure: these checks run for hundreds of thousands of segments.
    const fail = (why: string): never => assert.fail(`segment ${s.id} ${why}: ${JSON.stringify(s.text)} in ${JSON.stringify(source)}`);
    if (/[\r\n]/.test(s.text)) fail('spans lines');
    if (!/\p{L}/u.test(s.text)) fail('has no letter');
    if (s.text !== s.text.trim()) fail('is not trimmed');
    if (count(s.text) > maxTokens) fail(`is over the budget of ${maxTokens}`);
    if (!(s.start >= prevEnd && s.end > s.start)) fail('is out of order or overlaps');
    prevEnd = s.end;
    const numbers = [...s.text.matchAll(new RegExp(PLACEHOLDER_SOURCE, 'g'))].map((m) => Number(m[1]));
    if (numbers.length !== s.placeholders.length || numbers.some((n, i) => n !== i + 1)) fail('has placeholders out of sequence');
    if (restorePlaceholders(s.text, s.placeholders).text !== source.slice(s.start, s.end)) fail('does not restore to its source range');
  }
  return seg;
}

describe('segmenter properties', () => {
  it('hand-written samples rebuild byte-identical with an identity translator', () => {
    const samples = [
      '',
      ' ',
      '\n\n\r\n',
      'Hello.',
      'Hello world. This is a test!  \nSecond line\r\nThird line\rFourth',
      '# Heading #\n\nSome *emphasis* and **bold** text.\n\n* a\n* b\n\n1. one\n2) two\n',
      '```python\ndef f(x):\n    return x  # Hello. World.\n```\nAfter the fence.',
      '~~~\nunclosed tilde fence with prose. It goes on.',
      '> Quote line one.\n> > nested quote with `code` in it.\n',
      '| Name | Value |\n|:-----|------:|\n| Alpha | `1` |\n| Beta gamma | two words |',
      'Visit https://example.com/path_(1). Or mail a.b+c@example.co.uk!',
      'Trailing spaces   \nand tabs\t\t\n',
      '    indented code first\n\nthen prose',
      '- item\n\n    continuation of the item\n',
      'Unicode: Grüße aus Köln, 日本語のテキスト。 Emoji 😀 🇩🇪 and e\u0301.',
      'Format strings like {0} and {1} stay, and so does { 2 } and {x}.',
      'Backticks: ``code with ` inside`` and a lone ` backtick.',
      'Escaped \\`not code\\` here.',
      '<div align="center">Centered <b>bold</b> text &amp; more</div>',
      '[link text](https://example.com "Title") and ![image](./img.png)',
      '***\n---\n___\n',
      'Line with only code: `x`\n`y`\n',
      'A multi-line `code\nspan` across lines.',
      '\uffff\uffff masked-looking text \uffff.',
    ];
    for (const sample of samples) {
      for (const budget of [3, 8, 256]) checkInvariants(sample, budget);
    }
  });

  it('random chat documents (seeded, 2000 cases) rebuild byte-identical and leak no code', () => {
    const r = rng(20240117);
    for (let i = 0; i < 2000; i++) {
      const doc = randomDocument(r);
      const budget = [4, 8, 16, 64, 256][i % 5]!;
      const seg = checkInvariants(doc, budget);
      for (const t of texts(seg)) {
        if (/secret/i.test(t)) assert.fail(`case ${i}: protected text sent to the translator: ${JSON.stringify(t)}\nin ${JSON.stringify(doc)}`);
      }
      // A translator that keeps placeholders: every protected original survives, in the skeleton's place.
      const shouty = seg.rebuildWithReport(seg.segments.map((s) => s.text.replace(/\p{Ll}/gu, (c) => c.toUpperCase())));
      assert.deepEqual(shouty.issues, []);
      for (const m of doc.matchAll(/SECRET\d+/g)) assert.ok(shouty.text.includes(m[0]), `case ${i}: lost ${m[0]}`);
    }
  });

  it('random character soup (seeded, 2500 cases) rebuilds byte-identical', () => {
    const r = rng(7);
    for (let i = 0; i < 2500; i++) checkInvariants(randomSoup(r), [2, 5, 256][i % 3]!);
  });

  it('a word-count tokenizer is honoured as the budget', () => {
    const words = (t: string): number => t.split(/\s+/).filter(Boolean).length;
    const r = rng(99);
    for (let i = 0; i < 300; i++) {
      const seg = checkInvariants(randomDocument(r), 6, words);
      for (const t of texts(seg)) assert.ok(words(t) <= 6);
    }
  });
});

describe('segmenter cases', () => {
  it('fenced code blocks are never sent and come back byte-identical', () => {
    const fence = '```js\nconst greeting = "Hello. World!";\nconsole.log(greeting);\n```';
    const tilde = '~~~~\nNot prose either. Really.\n~~~~';
    const src = `Here is the code:\n${fence}\n\nAnd more:\n\n${tilde}\nDone.`;
    const seg = segmentText(src);
    assert.deepEqual(texts(seg), ['Here is the code:', 'And more:', 'Done.']);
    const out = seg.rebuild(['Hier ist der Code:', 'Und mehr:', 'Fertig.']);
    assert.equal(out, `Hier ist der Code:\n${fence}\n\nUnd mehr:\n\n${tilde}\nFertig.`);
  });

  it('an unclosed fence protects the rest of the text; "```x```" on one line is inline code', () => {
    assert.deepEqual(texts(segmentText('Intro.\n```\ncode. Still code.\n\nMore code.')), ['Intro.']);
    const seg = segmentText('Run ```npm test``` now.');
    assert.deepEqual(texts(seg), ['Run {1} now.']);
    assert.deepEqual(seg.segments[0]!.placeholders, ['```npm test```']);
  });

  it('inline code, URLs and e-mail addresses become placeholders and are restored', () => {
    const src = 'Use `ls -la` to list files, see https://man7.org/ls.html. Questions: help@example.com';
    const seg = segmentText(src);
    assert.deepEqual(texts(seg), ['Use {1} to list files, see {2}. Questions: {3}']);
    assert.deepEqual(seg.segments[0]!.placeholders, ['`ls -la`', 'https://man7.org/ls.html', 'help@example.com']);
    // German reorders; the translator also respaced one placeholder.
    const out = seg.rebuild(['Verwende { 1 }, um Dateien aufzulisten, siehe {2}. Fragen: {3}']);
    assert.equal(out, 'Verwende `ls -la`, um Dateien aufzulisten, siehe https://man7.org/ls.html. Fragen: help@example.com');
  });

  it('markdown link targets are protected, link texts translated', () => {
    const seg = segmentText('Read [the guide](docs/guide.md "Guide") first.');
    assert.deepEqual(texts(seg), ['Read [the guide]({1}) first.']);
    assert.equal(seg.rebuild(['Lies zuerst [die Anleitung]({1}).']), 'Lies zuerst [die Anleitung](docs/guide.md "Guide").');
  });

  it('dropped, doubled and invented placeholders are reported; dropped originals are kept', () => {
    const seg = segmentText('Call `f()` and `g()` now.');
    const { text, issues } = seg.rebuildWithReport(['Rufe {2} und {2} und {7} jetzt auf.']);
    assert.equal(text, 'Rufe `g()` und `g()` und {7} jetzt auf. `f()`');
    assert.deepEqual(issues, [{ segmentId: 0, missing: [1], duplicated: [2], unknown: ['{7}'] }]);
  });

  it('text that already looks like a placeholder is protected, not confused with ours', () => {
    const seg = segmentText('Python prints {0} and {1} for `x`.');
    assert.deepEqual(texts(seg), ['Python prints {1} and {2} for {3}.']);
    assert.equal(seg.rebuild(['Python gibt {1} und {2} für {3} aus.']), 'Python gibt {0} und {1} für `x` aus.');
  });

  it('markdown markup stays in the skeleton', () => {
    const src = '## Setup guide ##\n\n- [x] **Install** the tools\n  2. Then *configure*\n> Quoted advice.\n\n| Col A | Col B |\n|---|---|\n| one | two |';
    const seg = segmentText(src);
    assert.deepEqual(texts(seg), ['Setup guide', 'Install** the tools', 'Then *configure', 'Quoted advice.', 'Col A', 'Col B', 'one', 'two']);
    const out = seg.rebuild(['Anleitung', 'Installiere** die Werkzeuge', 'Dann *einrichten', 'Zitierter Rat.', 'Spalte A', 'Spalte B', 'eins', 'zwei']);
    assert.equal(
      out,
      '## Anleitung ##\n\n- [x] **Installiere** die Werkzeuge\n  2. Dann *einrichten*\n> Zitierter Rat.\n\n| Spalte A | Spalte B |\n|---|---|\n| eins | zwei |',
    );
  });

  it('indented code after a blank line is skeleton; indented list continuation is prose', () => {
    assert.deepEqual(texts(segmentText('Example:\n\n    x = compute(1)\n    print(x)\n\nDone.')), ['Example:', 'Done.']);
    assert.deepEqual(texts(segmentText('- First item.\n\n    More about the first item.\n')), ['First item.', 'More about the first item.']);
  });

  it('every line is its own segment; CRLF, trailing spaces and blank lines are kept', () => {
    const src = 'Roses are red,\r\nviolets are blue.  \r\n\r\n\r\nThe end.\t';
    const seg = segmentText(src);
    assert.deepEqual(texts(seg), ['Roses are red,', 'violets are blue.', 'The end.']);
    assert.equal(seg.rebuild(['Rosen sind rot,', 'Veilchen sind blau.', 'Ende.']), 'Rosen sind rot,\r\nVeilchen sind blau.  \r\n\r\n\r\nEnde.\t');
  });

  it('a long paragraph is split into sentences, each segment under the budget', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i + 1} talks about translating datasets with care.`);
    const seg = segmentText(sentences.join(' '));
    assert.ok(seg.segments.length > 1, 'split');
    for (const s of seg.segments) {
      assert.ok(approxTokenCount(s.text) <= 256);
      assert.match(s.text, /^Sentence number \d+ .*care\.$/, 'cut only between sentences');
    }
    assert.equal(seg.segments.map((s) => s.text).join(' '), sentences.join(' '));
  });

  it('abbreviations, initials and decimals do not end sentences', () => {
    const sentences = (t: string): string[] => splitSentences(t, 0, t.length).map(([a, b]) => t.slice(a, b));
    assert.deepEqual(sentences('Use a tool, e.g. Python. It works.'), ['Use a tool, e.g. Python.', 'It works.']);
    assert.deepEqual(sentences('That is, i.e. Mr. Brown, fine. Next.'), ['That is, i.e. Mr. Brown, fine.', 'Next.']);
    assert.deepEqual(sentences('I met Dr. Smith today. He was late.'), ['I met Dr. Smith today.', 'He was late.']);
    assert.deepEqual(sentences('It costs 3.5 euros. That is cheap.'), ['It costs 3.5 euros.', 'That is cheap.']);
    assert.deepEqual(sentences('Das ist z.B. gut. Am 3. Oktober ist frei. Vgl. Abs. 2 bzw. Nr. 4.'), [
      'Das ist z.B. gut.',
      'Am 3. Oktober ist frei.',
      'Vgl. Abs. 2 bzw. Nr. 4.',
    ]);
    assert.deepEqual(sentences('J. R. R. Tolkien wrote it. The end.'), ['J. R. R. Tolkien wrote it.', 'The end.']);
    assert.deepEqual(sentences('Really? Yes! Wait... "Go." (Now.) Done'), ['Really?', 'Yes!', 'Wait...', '"Go."', '(Now.)', 'Done']);
    assert.deepEqual(sentences('Version 2.0 is out. see above.'), ['Version 2.0 is out. see above.']);
    // Through the segmenter, with a budget that forces one sentence per segment.
    assert.deepEqual(texts(segmentText('I met Dr. Smith on the 3. of May. It costs 3.5 euros, e.g. a lot.', { maxTokens: 12 })), [
      'I met Dr. Smith on the 3. of May.',
      'It costs 3.5 euros, e.g. a lot.',
    ]);
  });

  it('an over-long sentence falls back to clauses, then words; a giant word stays untranslated', () => {
    const seg = segmentText('alpha beta gamma, delta epsilon zeta, eta theta iota kappa lambda', { maxTokens: 6 });
    for (const s of seg.segments) assert.ok(approxTokenCount(s.text) <= 6);
    assert.equal(seg.segments[0]!.text, 'alpha beta gamma,');
    const blob = 'x'.repeat(100);
    assert.deepEqual(texts(segmentText(`Key: ${blob} end`, { maxTokens: 5 })), ['Key:', 'end']);
  });

  it('pieces without letters are not sent', () => {
    assert.deepEqual(texts(segmentText('42\n\n---\n\n`a` + `b`\n\n3.14 * 2 = 6.28\n\nReal text.')), ['Real text.']);
  });

  it('rebuild refuses a wrong number of translations', () => {
    assert.throws(() => segmentText('One. Two.').rebuild([]), /needs 1 translations/);
  });
});
