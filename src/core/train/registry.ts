/**
 * The run registry, `<workspace>/.phoenix/runs.json` on lowdb (whole-file atomic rewrites; small state).
 * The extension host and a CLI may both write it, so every change re-reads the file first and changes are
 * serialized within a process.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { JSONFilePreset } from 'lowdb/node'
import type { Low } from 'lowdb'
import { RUN_STATUSES, type RunConfig, type RunRecord } from './types'

interface RegistryData {
  version: 1
  runs: RunRecord[]
}

export const registryPath = (workspace: string) => join(workspace, '.phoenix', 'runs.json')

export function newRunId(kind: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${kind}-${stamp}-${randomBytes(2).toString('hex')}`
}

export class RunRegistry {
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(
    readonly path: string,
    private readonly db: Low<RegistryData>,
  ) {}

  static async open(workspace: string): Promise<RunRegistry> {
    const path = registryPath(workspace)
    mkdirSync(dirname(path), { recursive: true })
    const db = await JSONFilePreset<RegistryData>(path, { version: 1, runs: [] })
    if (!Array.isArray(db.data?.runs)) db.data = { version: 1, runs: [] }
    // Records written by hand or by an older version: keep only the well-formed ones.
    db.data.runs = db.data.runs.filter((r) => r && typeof r.id === 'string' && (RUN_STATUSES as readonly string[]).includes(r.status))
    return new RunRegistry(path, db)
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn)
    this.queue = next.catch(() => {})
    return next
  }

  /** Re-reads the file (another process may have written it). */
  async refresh(): Promise<RunRecord[]> {
    return this.serial(async () => {
      await this.db.read()
      if (!Array.isArray(this.db.data?.runs)) this.db.data = { version: 1, runs: [] }
      return this.list()
    })
  }

  /** Newest first. */
  list(): RunRecord[] {
    return [...this.db.data.runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  }

  get(id: string): RunRecord | undefined {
    return this.db.data.runs.find((r) => r.id === id)
  }

  async add(record: RunRecord): Promise<RunRecord> {
    return this.serial(async () => {
      await this.db.read()
      if (this.db.data.runs.some((r) => r.id === record.id)) throw new Error(`run ${record.id} already exists`)
      await this.db.update((d) => void d.runs.push(record))
      return record
    })
  }

  async create(config: RunConfig, paths: { metrics: string; status: string; config: string }, argv: string[]): Promise<RunRecord> {
    const now = new Date().toISOString()
    return this.add({
      id: newRunId(config.kind),
      kind: config.kind,
      config,
      status: 'queued',
      pid: null,
      metricsPath: paths.metrics,
      statusPath: paths.status,
      configPath: paths.config,
      checkpoints: [],
      exitCode: null,
      argv,
      createdAt: now,
      updatedAt: now,
    })
  }

  /** Applies `patch` to the run as it is in the file now; returns the new record. */
  async update(id: string, patch: Partial<RunRecord> | ((r: RunRecord) => Partial<RunRecord>)): Promise<RunRecord> {
    return this.serial(async () => {
      await this.db.read()
      const i = this.db.data.runs.findIndex((r) => r.id === id)
      if (i === -1) throw new Error(`no run ${id} in ${this.path}`)
      const cur = this.db.data.runs[i]
      const p = typeof patch === 'function' ? patch(cur) : patch
      const next = { ...cur, ...p, id: cur.id, updatedAt: new Date().toISOString() }
      this.db.data.runs[i] = next
      await this.db.write()
      return next
    })
  }

  async remove(id: string): Promise<void> {
    await this.serial(async () => {
      await this.db.read()
      this.db.data.runs = this.db.data.runs.filter((r) => r.id !== id)
      await this.db.write()
    })
  }
}
