import { PLACEHOLDER_SOURCE } from './placeholders';

/** A half-open range [start, end) of UTF-16 offsets into the source text. */
export type Span = readonly [start: number, end: number];

const URL_CHARS = String.raw`[^\s<>"'\x60{}|\\^\[\]]`;

// One alternation, tried leftmost-first; at equal offsets the earlier alternative wins.
const INLINE = new RegExp(
  [
    String.raw`<!--[\s\S]*?-->`, // HTML comment
    String.raw`<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>`, // autolink <scheme:...>
    String.raw`<[^\s<>@]+@[^\s<>@]+>`, // autolink <user@host>
    String.raw`<\/?[A-Za-z][A-Za-z0-9\-]*(?:[ \t][^<>\r\n]*)?\/?>`, // HTML tag
    String.raw`(?<=\]\()(?:[^\s()]|\([^\s()]*\))+(?:[ \t]+"[^"\r\n]*")?(?=\))`, // markdown link target
    String.raw`(?<![\w/])(?:https?|ftp|file):\/\/${URL_CHARS}+`, // URL with scheme
    String.raw`(?<![\w./])www\.[A-Za-z0-9\-]+\.${URL_CHARS}+`, // bare www. URL
    String.raw`(?<![\w.+\-%])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`, // e-mail
    String.raw`&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});`, // HTML entity
    PLACEHOLDER_SOURCE, // text that already looks like one of our placeholders
  ].join('|'),
  'giu',
);

const URL_START = /^(?:(?:https?|ftp|file):\/\/|www\.)/i;

/** Sentence punctuation and emphasis right after a URL belong to the sentence, not the URL. */
function trimUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const c = url[end - 1];
    if (c !== undefined && '.,;:!?*_~\'"'.includes(c)) {
      end--;
      continue;
    }
    if (c === ')') {
      const body = url.slice(0, end);
      const open = body.split('(').length - 1;
      const close = body.split(')').length - 1;
      if (close > open) {
        end--;
        continue;
      }
    }
    break;
  }
  return url.slice(0, end);
}

function backtickRun(text: string, at: number): number {
  let n = 0;
  while (text.charCodeAt(at + n) === 0x60) n++;
  return n;
}

/** Finds a closing backtick run of exactly `n` backticks at or after `from`; returns the offset after it. */
function closeCodeSpan(text: string, from: number, n: number): number {
  let i = from;
  for (;;) {
    const at = text.indexOf('`', i);
    if (at < 0) return -1;
    const run = backtickRun(text, at);
    if (run === n) return at + n;
    i = at + run;
  }
}

/**
 * Protected inline spans of one paragraph `text`, as offsets into it, sorted and non-overlapping:
 * inline code (CommonMark backtick runs, which may cross line breaks), URLs, e-mail addresses, markdown
 * link targets, autolinks, HTML tags, comments and entities, and placeholder look-alikes.
 */
export function findInlineSpans(text: string): Span[] {
  const spans: Span[] = [];
  let pos = 0;
  // The next regex match, kept while it still lies ahead: backticks before it must not rescan the text.
  let m: RegExpExecArray | null | undefined;
  while (pos < text.length) {
    let tick = text.indexOf('`', pos);
    if (tick < 0) tick = text.length;
    if (m === undefined || (m !== null && m.index < pos)) {
      INLINE.lastIndex = pos;
      m = INLINE.exec(text);
    }
    const mAt = m ? m.index : text.length;
    if (tick < text.length && tick <= mAt) {
      const n = backtickRun(text, tick);
      let slashes = 0;
      while (tick - slashes - 1 >= 0 && text[tick - slashes - 1] === '\\') slashes++;
      if (slashes % 2 === 1) {
        // An escaped backtick is a literal one; the rest of the run may still open a span.
        pos = tick + 1;
        continue;
      }
      const end = closeCodeSpan(text, tick + n, n);
      if (end < 0) {
        pos = tick + n;
        continue;
      }
      spans.push([tick, end]);
      pos = end;
      continue;
    }
    if (!m) break;
    let len = m[0].length;
    if (URL_START.test(m[0])) len = trimUrl(m[0]).length;
    if (len > 0) spans.push([m.index, m.index + len]);
    pos = m.index + Math.max(len, 1);
    m = undefined;
  }
  return spans;
}
