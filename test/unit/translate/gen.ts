/**
 * Seeded generator of markdown-ish chat texts for the segmenter's property tests. Text that must never
 * reach the translator (code, URLs, e-mail addresses) carries the marker `SECRET`, so a test can check
 * that no segment holds it.
 */

export type Rng = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const WORDS = [
  'the', 'model', 'translates', 'data', 'quickly', 'and', 'reliably', 'because', 'we', 'split', 'long',
  'paragraphs', 'into', 'sentences', 'Python', 'function', 'returns', 'value', 'list', 'of', 'items',
  'Grüße', 'naïve', 'café', 'Straße', '日本語', 'Ελληνικά', 'русский', 'e\u0301t\u00e9', '😀', '🇩🇪',
  'e.g.', 'i.e.', 'Dr.', 'Mr.', '3.5', '42', 'U.S.', 'z.B.', 'etc.', 'vs.', '(see', 'below)', '"quoted"',
  '{', '}', '{x}', '$5', '100%', 'a/b', 'x*y', 'snake_case', '--flag', 'C++', 'über', 'ÄÖÜ',
  'internationalization', 'supercalifragilisticexpialidocious',
];
const ENDS = ['.', '.', '.', '!', '?', '...', ':', '', '."', '.)'];

let secretCounter = 0;
const secret = (): string => `SECRET${secretCounter++}`;

function inline(r: Rng): string {
  switch (int(r, 0, 10)) {
    case 0:
      return `\`${secret()} x = 1\``;
    case 1:
      return `\`\`a\`${secret()}\`\``;
    case 2:
      return `https://example.com/${secret()}/path_(x)?q=1&r=2`;
    case 3:
      return `www.example.org/${secret()}`;
    case 4:
      return `${secret().toLowerCase()}@example.com`;
    case 5:
      return `[the docs](https://docs.example.com/${secret()} "Title")`;
    case 6:
      return `**${pick(r, WORDS)} ${pick(r, WORDS)}**`;
    case 7:
      return `_${pick(r, WORDS)}_`;
    case 8:
      return `{${int(r, 0, 12)}}`;
    case 9:
      return `<br/>`;
    default:
      return `&nbsp;`;
  }
}

function sentence(r: Rng): string {
  const n = int(r, 1, 14);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(r() < 0.15 ? inline(r) : pick(r, WORDS));
  let s = words.join(r() < 0.05 ? '  ' : ' ');
  s = s[0]!.toUpperCase() + s.slice(1);
  return s + pick(r, ENDS);
}

function prose(r: Rng): string {
  const n = int(r, 1, 6);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(sentence(r));
  return out.join(r() < 0.1 ? '\u00a0' : ' ');
}

type Block = { lines: string[] };

function block(r: Rng, first: boolean, last: boolean): Block {
  switch (int(r, 0, 11)) {
    case 0:
    case 1:
    case 2: {
      const lines = [prose(r)];
      while (r() < 0.3) lines.push(prose(r));
      return { lines };
    }
    case 3:
      return { lines: [`${'#'.repeat(int(r, 1, 6))} ${sentence(r)}${r() < 0.3 ? ' ##' : ''}`] };
    case 4: {
      const lines: string[] = [];
      const ordered = r() < 0.5;
      for (let i = 0, n = int(r, 1, 5); i < n; i++) {
        const indent = r() < 0.3 ? '  ' : r() < 0.1 ? '    ' : '';
        const marker = ordered ? `${i + 1}${r() < 0.8 ? '.' : ')'}` : pick(r, ['-', '*', '+']);
        const task = r() < 0.2 ? ` [${pick(r, [' ', 'x'])}]` : '';
        lines.push(`${indent}${marker}${task} ${prose(r)}`);
      }
      return { lines };
    }
    case 5:
    case 6: {
      const fence = pick(r, ['```', '~~~', '````']);
      const lines = [`${r() < 0.3 ? '   ' : ''}${fence}${pick(r, ['', 'python', 'js', ' bash'])}`];
      for (let i = 0, n = int(r, 0, 4); i < n; i++) lines.push(`print("${secret()} Hello. World.")  # ${pick(r, WORDS)}`);
      // Left open, a fence runs to the end of the text, so only the last block may leave it open.
      if (!last || r() < 0.8) lines.push(fence);
      return { lines };
    }
    case 7: {
      // Indented code is code only after a blank line outside an open list; whether a list is open
      // depends on what came before, so only a document's first block is sure to be code.
      const lines: string[] = [''];
      for (let i = 0, n = int(r, 1, 3); i < n; i++) {
        lines.push(`${pick(r, ['    ', '\t', '      '])}x = ${first ? secret() : 'plain'} + 1`);
      }
      return { lines };
    }
    case 8: {
      const cols = int(r, 1, 4);
      const row = (): string => `| ${Array.from({ length: cols }, () => (r() < 0.3 ? inline(r) : pick(r, WORDS))).join(' | ')} |`;
      const lines = [row(), `|${Array.from({ length: cols }, () => pick(r, ['---', ':--', ':-:', '--:'])).join('|')}|`];
      for (let i = 0, n = int(r, 0, 3); i < n; i++) lines.push(row());
      return { lines };
    }
    case 9: {
      const lines: string[] = [];
      for (let i = 0, n = int(r, 1, 3); i < n; i++) lines.push(`${pick(r, ['> ', '>', '> > '])}${prose(r)}`);
      return { lines };
    }
    case 10:
      return { lines: [pick(r, ['---', '***', '___', '<div align="center">', '</div>', '<!-- comment -->'])] };
    default:
      return { lines: [`**${sentence(r)}** ${prose(r)}`] };
  }
}

/** A random chat-like document, mixing line ending styles, trailing spaces and blank lines. */
export function randomDocument(r: Rng): string {
  const eolStyle = pick(r, ['\n', '\r\n', 'mixed']);
  const eol = (): string => (eolStyle === 'mixed' ? pick(r, ['\n', '\r\n', '\r']) : eolStyle);
  let out = r() < 0.1 ? pick(r, ['\n', ' ', '\t']) : '';
  for (let i = 0, n = int(r, 1, 7); i < n; i++) {
    const b = block(r, i === 0, i === n - 1);
    for (const line of b.lines) {
      // Only spaces and tabs may follow a closing fence (CommonMark); other lines get any whitespace.
      const trailing = /^\s*(```|~~~)/.test(line) ? [' ', '\t'] : [' ', '  ', '\t', ' \u3000'];
      out += line + (r() < 0.15 ? pick(r, trailing) : '') + eol();
    }
    // Indented code needs a blank line before it, which this always supplies.
    out += r() < 0.2 ? '' : eol().repeat(r() < 0.8 ? 1 : int(r, 2, 3));
  }
  if (r() < 0.5) out = out.replace(/(\r\n|\n|\r)+$/, '');
  return out;
}

const SOUP = ['a', 'b', 'Z', 'ß', '日', '😀', ' ', ' ', '\t', '\n', '\r', '\r\n', '.', '!', '?', ',', ':', '`', '``', '```', '~~~', '*',
  '_', '~', '#', '>', '|', '-', '+', '1.', '{', '}', '{1}', '{ 2 }', '[', ']', '(', ')', '<', '>', '/', '\\', '@', '&', ';',
  'http://', 'www.', 'x@y.de', '"', "'", '\u00a0', '\uffff', 'e.g.', 'Dr. ', '    '];

/** Random character soup built from markup-significant pieces: stresses the parser's edges. */
export function randomSoup(r: Rng): string {
  let s = '';
  for (let i = 0, n = int(r, 0, 80); i < n; i++) s += pick(r, SOUP);
  return s;
}
