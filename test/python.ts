/**
 * The Python interpreters tests use. PyTorch paths (transformers, TRL, datasets) need the environment that
 * scripts/setup-python.sh makes in .tmp/py; PHOENIX_PYTHON overrides it. A test whose modules are missing
 * skips with a printed reason via `pythonWith`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import * as path from 'node:path'

export const repoRoot = path.resolve(import.meta.dirname, '..')
const venvPython = path.join(repoRoot, '.tmp', 'py', 'bin', 'python')

/** The interpreter with the project's Python packages, if set up; else the system's python3. */
export const PYTHON = process.env.PHOENIX_PYTHON ?? (existsSync(venvPython) ? venvPython : 'python3')

/** The system interpreter, for paths that must run without PyTorch (the environment check). */
export const BARE_PYTHON = 'python3'

/** PYTHON when every module imports there, else undefined after printing why (for t.skip). */
export function pythonWith(modules: string[], why: string): { python?: string; reason: string } {
  const probe = spawnSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' })
  if (probe.status === 0) return { python: PYTHON, reason: '' }
  const reason = `${modules.join('/')} not importable in ${PYTHON} (run scripts/setup-python.sh); ${why}`
  console.log(`# skipped: ${reason}`)
  return { reason }
}
