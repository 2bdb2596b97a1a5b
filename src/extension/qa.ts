import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import * as vscode from 'vscode'
import type { QaConfig } from '../core/qa/config'
import { mergeQaSources, openPaired, QA_CONFIG_FILE, qaFlagKey, qaRuntime, qaShardFlagsAsync } from '../core/qa/scan'
import type { QaRuntime } from '../core/qa/types'
import type { PairedShards } from '../core/records/paired'
import { existsSync } from 'node:fs'
import { pairedPaths } from '../core/records/siblings'
import type { SharedEmbeddings } from './embeddings'
import { languagePair } from './settings'

let runtime: Promise<QaRuntime> | undefined
let log: vscode.OutputChannel | undefined

/** Where QA notes go (the Phoenix output channel); set at activation, before anything runs QA. */
export function setQaLog(channel: vscode.OutputChannel): void {
  log = channel
}

/**
 * Language id loads once per extension host, on first use (fastText wasm, ~1 s), not at activation;
 * the stopword fallback if it fails.
 */
export function sharedQaRuntime(): Promise<QaRuntime> {
  return (runtime ??= qaRuntime().then(({ runtime, note }) => {
    if (note) log?.appendLine(`QA: ${note}; using the stopword language detector`)
    return runtime
  }))
}

/** QA settings for a folder: `phoenix.qa.checks` overridden by the folder's phoenix-qa.json. */
export async function qaConfigFor(folder: string): Promise<{ config: QaConfig; errors: string[] }> {
  const settings = vscode.workspace.getConfiguration('phoenix.qa').get<Record<string, unknown>>('checks')
  const file = join(folder, QA_CONFIG_FILE)
  const text = existsSync(file) ? await readFile(file, 'utf8') : undefined
  return mergeQaSources(settings, text, file)
}

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information }

export interface QaDiagnosticData {
  promptId: string
  address: string
  check: string
  key: string
}

/**
 * Inline quality flags for JSONL shards open in the text editor: each flag is a diagnostic on its row's
 * line (and in the Problems panel). Runs when a shard is opened or saved; the shard is paired with its
 * English sibling (mode a) or its own `original` fields (mode b).
 */
export class QaDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('phoenix-qa')
  /** Diagnostic → what it flags, for the code actions. */
  readonly data = new WeakMap<vscode.Diagnostic, QaDiagnosticData>()
  private readonly subs: vscode.Disposable[] = []
  private dismissed = new Set<string>()

  constructor(
    private readonly log: vscode.OutputChannel,
    private readonly embeddings: SharedEmbeddings,
  ) {
    this.subs.push(
      vscode.workspace.onDidOpenTextDocument((d) => void this.refresh(d)),
      vscode.workspace.onDidSaveTextDocument((d) => void this.refresh(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    )
    for (const d of vscode.workspace.textDocuments) void this.refresh(d)
  }

  /** Hides one flag at once after "Mark as false alarm" (the journal holds the durable decision). */
  hide(uri: vscode.Uri, d: vscode.Diagnostic): void {
    const info = this.data.get(d)
    if (info) this.dismissed.add(`${uri.toString()}|${info.promptId}|${info.key}`)
    this.collection.set(uri, (this.collection.get(uri) ?? []).filter((x) => x !== d))
  }

  async refresh(doc: vscode.TextDocument): Promise<void> {
    if (doc.uri.scheme !== 'file' || !/\.(jsonl|ndjson)$/i.test(doc.uri.fsPath)) return
    const path = doc.uri.fsPath
    const { from, to } = languagePair()
    // Only translations get flags: a file whose name marks it as the source language has its sibling flagged.
    const { pickedSource, source } = pairedPaths(path, from, to)
    if (pickedSource) return
    let paired
    try {
      paired = await openPaired(path, source)
    } catch (e) {
      this.log.appendLine(`QA skipped ${path}: ${(e as Error).message}`)
      this.collection.delete(doc.uri)
      return
    }
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath ?? dirname(path)
    const { config, errors } = await qaConfigFor(folder)
    for (const e of errors) this.log.appendLine(`QA config: ${e}`)
    const rt = await sharedQaRuntime()
    const similarity = await this.embeddings.provider(folder).catch((e: Error) => {
      this.log.appendLine(`QA similarity off for ${path}: ${e.message}`)
      return undefined
    })
    let diags: vscode.Diagnostic[]
    try {
      try {
        diags = await this.diagnosticsOf(doc, paired, config, { ...rt, ...(similarity ? { similarity } : {}) })
      } catch (e) {
        // A failing embedding model never hides the rule flags.
        if (!similarity) throw e
        this.log.appendLine(`QA similarity failed for ${path}: ${(e as Error).message}; rule checks only`)
        diags = await this.diagnosticsOf(doc, paired, config, rt)
      }
    } finally {
      await paired.close()
    }
    this.collection.set(doc.uri, diags)
  }

  private async diagnosticsOf(doc: vscode.TextDocument, paired: PairedShards, config: QaConfig, rt: QaRuntime): Promise<vscode.Diagnostic[]> {
    const diags: vscode.Diagnostic[] = []
    for await (const f of qaShardFlagsAsync(paired, config, rt)) {
      if (f.line === undefined) continue
      const key = qaFlagKey(f)
      if (this.dismissed.has(`${doc.uri.toString()}|${f.prompt_id}|${key}`)) continue
      const line = Math.min(f.line - 1, doc.lineCount - 1)
      const d = new vscode.Diagnostic(doc.lineAt(line).range, `${f.message} (${f.address})`, SEVERITY[f.severity])
      d.source = 'Phoenix QA'
      d.code = f.check
      this.data.set(d, { promptId: f.prompt_id, address: f.address, check: f.check, key })
      diags.push(d)
    }
    return diags
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose())
    this.collection.dispose()
  }
}
