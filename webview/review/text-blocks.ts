/** Prose and fenced code blocks of a markdown text, for showing markdown as text with code monospaced. */
export interface TextBlock {
  code: boolean
  text: string
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/

/**
 * Splits at fenced code blocks (fence lines stay with their block). `inCode` carries an open fence
 * across the segments of one text; the result says whether this part ends inside one.
 */
export function splitFences(text: string, inCode = false): { blocks: TextBlock[]; inCode: boolean } {
  const blocks: TextBlock[] = []
  let cur: TextBlock = { code: inCode, text: '' }
  const flush = () => {
    if (cur.text) blocks.push(cur)
  }
  for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    if (FENCE.test(line)) {
      if (cur.code) {
        cur.text += line
        flush()
        cur = { code: false, text: '' }
        inCode = false
      } else {
        flush()
        cur = { code: true, text: line }
        inCode = true
      }
    } else cur.text += line
  }
  flush()
  return { blocks, inCode }
}
