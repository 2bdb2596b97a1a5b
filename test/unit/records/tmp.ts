import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh temporary folder per test file, removed by the returned cleanup. */
export function tempDir(): { dir: string; file: (name: string, content: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-'))
  return {
    dir,
    file: (name, content) => {
      const p = join(dir, name)
      writeFileSync(p, content)
      return p
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

export const uc = (prompt: string, id: string, ...turns: string[]) =>
  JSON.stringify({ prompt, prompt_id: id, messages: turns.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content })) })
