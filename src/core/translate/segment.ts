import { findInlineSpans, type Span } from './inline';
import { placeholder, restorePlaceholders } from './placeholders';
import { MASK, splitClauses, splitSentences, splitWords } from './sentences';
import { approxTokenCount, type CountTokens } from './tokens';

/**
 * The segmenter: cuts markdown-ish chat content into pieces ALMA can translate, and puts translations back.
 *
 * ALMA translates one line of at most ~256 source tokens and keeps only the first line of its output, so:
 * - Structure is found per line. Fenced code (``` and ~~~, also inside blockquotes; an unclosed fence runs
 *   to the end, as in CommonMark) and indented code (4 spaces or a tab after a blank line, outside lists)
 *   are skeleton: never sent, put back byte-identical.
 * - Each line of a paragraph loses its markup prefix (indentation, `>` quotes, `#` heading marks, list
 *   bullets/numbers, task boxes), its trailing whitespace and the emphasis markers (`*` `_` `~`) at its
 *   edges, all kept as skeleton; table rows (in paragraphs with a delimiter row) are cut at their pipes
 *   into cells. What remains is one unit.
 * - A unit within the token budget is one segment ("paragraph, then line"); a longer unit is split into
 *   sentences, packed greedily into segments under the budget; a sentence still too long is split at
 *   `,;:`, then between words. A single word over the budget is left untranslated (it is not language).
 * - Inline code, URLs, e-mail addresses, link targets and HTML bits inside a unit are replaced by
 *   placeholders `{1}`, `{2}`… (see placeholders.ts for the choice), never split around: splitting would
 *   cut sentences into fragments ("Call" / "to start the server") that translate badly and cannot be
 *   reordered by the translator, which German word order needs ("{1} gibt den Wert zurück").
 * - A piece without letters (numbers, rules, `{1}.`) is not worth a translator call and stays skeleton.
 * Everything not inside a segment is skeleton, so with identity translations `rebuild` returns the input.
 */

export interface Segment {
  /** Index into `segments` and into the translations passed to `rebuild`. */
  id: number;
  /** What the translator gets: one line, trimmed, protected pieces replaced by `{n}`. */
  text: string;
  /** The source range [start, end) this segment replaces. */
  start: number;
  end: number;
  /** The originals of `{1}`, `{2}`, … in `text`. */
  placeholders: string[];
}

export type SkeletonPiece = { kind: 'literal'; text: string } | { kind: 'segment'; id: number };

export interface SegmentOptions {
  /** Source-token budget per segment (default 256, ALMA's training limit). */
  maxTokens?: number;
  /** Token counter (default `approxTokenCount`, see tokens.ts). */
  countTokens?: CountTokens;
}

export interface SegmentIssue {
  segmentId: number;
  missing: number[];
  duplicated: number[];
  unknown: string[];
}

export interface Segmentation {
  readonly source: string;
  readonly segments: readonly Segment[];
  /** The source as alternating skeleton text and segment slots, in order. */
  readonly pieces: readonly SkeletonPiece[];
  /** Joins translations (one per segment, in order) into the skeleton. */
  rebuild(translations: readonly string[]): string;
  /** `rebuild`, plus the segments whose placeholders came back missing, doubled or unknown. */
  rebuildWithReport(translations: readonly string[]): { text: string; issues: SegmentIssue[] };
}

export const DEFAULT_MAX_TOKENS = 256;

interface Line {
  start: number;
  /** End of the line's content, before its line break. */
  end: number;
}

const FENCE_OPEN = /^[ \t>]*(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^[ \t>]*(`{3,}|~{3,})[ \t]*$/;
const LIST_ITEM = /^[ \t>]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const INDENTED = /^(?: {4}| {0,3}\t)/;
const DELIMITER_ROW = /^[ \t>]*[|:\- \t]+$/;
const isBlank = (s: string): boolean => /^\s*$/.test(s);
const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
const isEdgeMarkup = (c: string | undefined): boolean => c === '*' || c === '_' || c === '~';

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  lines.push({ start, end: text.length });
  return lines;
}

function fenceOpen(line: string): { char: string; len: number } | undefined {
  const m = FENCE_OPEN.exec(line);
  if (!m) return undefined;
  const fence = m[1]!;
  // A backtick fence's info string cannot hold backticks: "```x```" is inline code.
  if (fence[0] === '`' && m[2]!.includes('`')) return undefined;
  return { char: fence[0]!, len: fence.length };
}

function closesFence(line: string, open: { char: string; len: number }): boolean {
  const m = FENCE_CLOSE.exec(line);
  return !!m && m[1]![0] === open.char && m[1]!.length >= open.len;
}

function isDelimiterRow(line: string): boolean {
  return DELIMITER_ROW.test(line) && line.includes('|') && line.includes('-');
}

/** Paragraphs (runs of prose lines) as [firstLine, endLine) indices; everything else is skeleton. */
function findParagraphs(text: string, lines: Line[]): Array<[number, number]> {
  const raw = (i: number): string => text.slice(lines[i]!.start, lines[i]!.end);
  const out: Array<[number, number]> = [];
  let prevBlank = true;
  let inList = false;
  let i = 0;
  while (i < lines.length) {
    const line = raw(i);
    const fence = fenceOpen(line);
    if (fence) {
      let j = i + 1;
      while (j < lines.length && !closesFence(raw(j), fence)) j++;
      i = j + 1;
      prevBlank = false;
      continue;
    }
    if (isBlank(line)) {
      prevBlank = true;
      i++;
      continue;
    }
    if (prevBlank && !inList && INDENTED.test(line)) {
      let j = i + 1;
      while (j < lines.length && (isBlank(raw(j)) || INDENTED.test(raw(j)))) j++;
      prevBlank = isBlank(raw(j - 1));
      i = j;
      continue;
    }
    // A paragraph ends at a blank line or where a fence interrupts it.
    let k = i + 1;
    while (k < lines.length && !isBlank(raw(k)) && !fenceOpen(raw(k))) k++;
    // Indented lines after a blank line stay list content while a list is open.
    if (prevBlank && !LIST_ITEM.test(line) && !/^[ \t]{2,}/.test(line)) inList = false;
    for (let j = i; j < k; j++) if (LIST_ITEM.test(raw(j))) inList = true;
    out.push([i, k]);
    prevBlank = false;
    i = k;
  }
  return out;
}

class Segmenter {
  private readonly spans: Span[] = [];
  private mask = '';
  private readonly segments: Segment[] = [];
  private readonly pieces: SkeletonPiece[] = [];
  private cursor = 0;

  constructor(
    private readonly text: string,
    private readonly maxTokens: number,
    private readonly countTokens: CountTokens,
  ) {}

  run(): { segments: Segment[]; pieces: SkeletonPiece[] } {
    const { text } = this;
    const lines = splitLines(text);
    const paragraphs = findParagraphs(text, lines);
    for (const [first, endLine] of paragraphs) {
      const start = lines[first]!.start;
      for (const [s, e] of findInlineSpans(text.slice(start, lines[endLine - 1]!.end))) {
        this.spans.push([start + s, start + e]);
      }
    }
    let masked = '';
    let at = 0;
    for (const [s, e] of this.spans) {
      masked += text.slice(at, s) + MASK.repeat(e - s);
      at = e;
    }
    this.mask = masked + text.slice(at);

    for (const [first, endLine] of paragraphs) {
      let table = false;
      for (let j = first; j < endLine; j++) {
        if (isDelimiterRow(text.slice(lines[j]!.start, lines[j]!.end))) table = true;
      }
      for (let j = first; j < endLine; j++) this.line(lines[j]!, table);
    }
    this.literalTo(text.length);
    return { segments: this.segments, pieces: this.pieces };
  }

  private line({ start, end }: Line, table: boolean): void {
    const m = this.mask;
    if (table && m.slice(start, end).includes('|')) {
      if (isDelimiterRow(this.text.slice(start, end))) return;
      let p = start;
      while (p < end && (m[p] === ' ' || m[p] === '\t' || m[p] === '>')) p++;
      let cell = p;
      for (let i = p; i < end; i++) {
        if (m[i] === '|' && m[i - 1] !== '\\') {
          this.unit(cell, i);
          cell = i + 1;
        }
      }
      this.unit(cell, end);
      return;
    }
    let p = start;
    let heading = false;
    for (;;) {
      while (p < end && (m[p] === ' ' || m[p] === '\t')) p++;
      if (m[p] === '>') {
        p++;
        continue;
      }
      const marker = /(?:[-*+]|\d{1,9}[.)])(?=[ \t\r\n]|$)/y;
      marker.lastIndex = p;
      if (!heading && marker.exec(m) && marker.lastIndex <= end) {
        p = marker.lastIndex;
        const task = /[ \t]+\[[ xX]\](?=[ \t\r\n]|$)/y;
        task.lastIndex = p;
        if (task.exec(m) && task.lastIndex <= end) p = task.lastIndex;
        continue;
      }
      const hashes = /#{1,6}(?=[ \t\r\n]|$)/y;
      hashes.lastIndex = p;
      if (!heading && hashes.exec(m) && hashes.lastIndex <= end) {
        p = hashes.lastIndex;
        heading = true;
        continue;
      }
      break;
    }
    let e = end;
    if (heading) {
      // Closing hashes of an ATX heading ("## Title ##") are markup too.
      const closing = /(?:^|[ \t])#+[ \t]*$/.exec(m.slice(p, end));
      if (closing) e = p + closing.index;
    }
    this.unit(p, e);
  }

  /** Shrinks [a, b) past whitespace and emphasis markers at both edges. */
  private trim(a: number, b: number): Span {
    const m = this.mask;
    while (a < b && (isSpace(m[a]) || isEdgeMarkup(m[a]))) a++;
    while (b > a && (isSpace(m[b - 1]) || isEdgeMarkup(m[b - 1]))) b--;
    return [a, b];
  }

  private hasLetter(a: number, b: number): boolean {
    return /\p{L}/u.test(this.mask.slice(a, b));
  }

  private unit(a0: number, b0: number): void {
    const [a, b] = this.trim(a0, b0);
    if (a >= b || !this.hasLetter(a, b)) return;
    for (const [s0, e0] of this.pack(a, b, 0)) {
      const [s, e] = this.trim(s0, e0);
      if (s < e && this.hasLetter(s, e)) this.segment(s, e);
    }
  }

  private fits(a: number, b: number): boolean {
    return this.countTokens(this.render(a, b).text) <= this.maxTokens;
  }

  /** Chunks of [a, b) within the budget: sentences, then clauses, then words (level 0, 1, 2). */
  private pack(a: number, b: number, level: number): Span[] {
    if (this.fits(a, b)) return [[a, b]];
    if (level > 2) return []; // one "word" over the whole budget: not language, keep it as skeleton
    const split = level === 0 ? splitSentences : level === 1 ? splitClauses : splitWords;
    const parts = split(this.mask, a, b);
    if (parts.length <= 1) return this.pack(a, b, level + 1);
    const out: Span[] = [];
    let cur: [number, number] | undefined;
    for (const [s, e] of parts) {
      if (cur && this.fits(cur[0], e)) {
        cur[1] = e;
        continue;
      }
      if (cur) out.push(cur);
      cur = undefined;
      if (this.fits(s, e)) cur = [s, e];
      else out.push(...this.pack(s, e, level + 1));
    }
    if (cur) out.push(cur);
    return out;
  }

  /** The translator's view of [a, b): protected spans become `{1}`, `{2}`, … */
  private render(a: number, b: number): { text: string; originals: string[] } {
    const { spans, text } = this;
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]![1] <= a) lo = mid + 1;
      else hi = mid;
    }
    let out = '';
    let at = a;
    const originals: string[] = [];
    for (let i = lo; i < spans.length && spans[i]![0] < b; i++) {
      const s = Math.max(spans[i]![0], a);
      const e = Math.min(spans[i]![1], b);
      out += text.slice(at, s);
      originals.push(text.slice(s, e));
      out += placeholder(originals.length);
      at = e;
    }
    out += text.slice(at, b);
    return { text: out, originals };
  }

  private literalTo(pos: number): void {
    if (pos <= this.cursor) return;
    const text = this.text.slice(this.cursor, pos);
    const last = this.pieces[this.pieces.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else this.pieces.push({ kind: 'literal', text });
    this.cursor = pos;
  }

  private segment(a: number, b: number): void {
    this.literalTo(a);
    const { text, originals } = this.render(a, b);
    const id = this.segments.length;
    this.segments.push({ id, text, start: a, end: b, placeholders: originals });
    this.pieces.push({ kind: 'segment', id });
    this.cursor = b;
  }
}

/** Splits `source` into translatable segments plus the skeleton that surrounds them. */
export function segmentText(source: string, options: SegmentOptions = {}): Segmentation {
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (!(maxTokens >= 1)) throw new RangeError(`maxTokens must be at least 1, got ${maxTokens}`);
  const { segments, pieces } = new Segmenter(source, maxTokens, options.countTokens ?? approxTokenCount).run();

  const rebuildWithReport = (translations: readonly string[]): { text: string; issues: SegmentIssue[] } => {
    if (translations.length !== segments.length) {
      throw new Error(`rebuild needs ${segments.length} translations (one per segment), got ${translations.length}`);
    }
    const issues: SegmentIssue[] = [];
    let text = '';
    for (const piece of pieces) {
      if (piece.kind === 'literal') {
        text += piece.text;
        continue;
      }
      const r = restorePlaceholders(translations[piece.id]!, segments[piece.id]!.placeholders);
      if (r.missing.length || r.duplicated.length || r.unknown.length) {
        issues.push({ segmentId: piece.id, missing: r.missing, duplicated: r.duplicated, unknown: r.unknown });
      }
      text += r.text;
    }
    return { text, issues };
  };

  return {
    source,
    segments,
    pieces,
    rebuild: (translations) => rebuildWithReport(translations).text,
    rebuildWithReport,
  };
}
