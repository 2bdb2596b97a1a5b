/**
 * Export folders a run can train on (folders holding phoenix-manifest.json), newest first, and the
 * defaults of a start form: the newest export of the run's kind, the kind's PHOENIX preset.
 */
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { readManifestKind } from './config'
import { DEFAULT_BASE_MODEL, defaultPreset } from './presets'
import type { RunKind } from './types'

export interface ExportFolder {
  path: string
  label: string
  kind: RunKind
  mtime: number
}

const SKIP = new Set(['node_modules', '.git', '.phoenix', '.vscode-test', 'dist'])

/** Walks `root` (to `maxDepth` folders down, skipping dot folders, node_modules, checkpoints). */
export function findExports(root: string, maxDepth = 5): ExportFolder[] {
  const out: ExportFolder[] = []
  const walk = (dir: string, depth: number) => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    if (entries.some((e) => e.isFile() && e.name === 'phoenix-manifest.json')) {
      const kind = readManifestKind(dir)
      if (kind) out.push({ path: dir, label: relative(root, dir) || '.', kind, mtime: statSync(join(dir, 'phoenix-manifest.json')).mtimeMs })
      return
    }
    if (depth >= maxDepth) return
    for (const e of entries) {
      if (!e.isDirectory() || SKIP.has(e.name) || e.name.startsWith('.') || /^checkpoint-\d+$/.test(e.name) || /\.(tmp|old)-/.test(e.name)) continue
      walk(join(dir, e.name), depth + 1)
    }
  }
  walk(root, 0)
  return out.sort((a, b) => b.mtime - a.mtime || a.label.localeCompare(b.label))
}

export function latestExport(exports: readonly ExportFolder[], kind: RunKind): ExportFolder | undefined {
  return exports.filter((e) => e.kind === kind).sort((a, b) => b.mtime - a.mtime)[0]
}

export interface FormDefaults {
  kind: RunKind
  baseModel: string
  dataset: string
  preset: string
  method: 'full' | 'lora' | 'qlora'
  launcher: 'single' | 'accelerate' | 'deepspeed-zero3'
  numGpus: number
  outputDir: string
}

/** A fresh output folder name: runs/<kind>-<yyyymmdd-hhmm>. */
export function defaultOutputDir(kind: RunKind, now = new Date()): string {
  const s = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13)
  return `runs/${kind}-${s}`
}

export function defaultForm(kind: RunKind, exports: readonly ExportFolder[], now = new Date()): FormDefaults {
  const latest = latestExport(exports, kind)
  return {
    kind,
    baseModel: DEFAULT_BASE_MODEL,
    dataset: latest?.path ?? '',
    preset: defaultPreset(kind).id,
    method: 'full',
    launcher: 'single',
    numGpus: 1,
    outputDir: defaultOutputDir(kind, now),
  }
}
