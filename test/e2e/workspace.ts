import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './harness/code-server'

/** A fresh copy of samples/ per test file: tests that save decisions must never write into the repository. */
export function sampleWorkspace(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-e2e-ws-'))
  cpSync(join(repoRoot, 'samples'), dir, { recursive: true, filter: (src) => !src.includes('_source') })
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
