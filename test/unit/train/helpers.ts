/** Tiny export folders written the way phoenix export writes them (jsonl variant), for training tests. */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

export { BARE_PYTHON, PYTHON, pythonWith, repoRoot } from '../../python'
import { repoRoot } from '../../python'
export const TRAIN_SCRIPT = path.join(repoRoot, 'native-runtime', 'training', 'phoenix_train.py')

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-'))
}

/** A trivially separable DPO set: chosen answers are helpful words, rejected ones unhelpful words. */
export function writeDpoExport(dir: string, rows = 24): string {
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'phoenix-manifest.json'), JSON.stringify({ tool: { name: 'phoenix' }, dataset: { kind: 'dpo', format: 'jsonl' } }))
  fs.writeFileSync(path.join(dir, 'README.md'), '---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train.jsonl\n---\n')
  const lines: string[] = []
  for (let i = 0; i < rows; i++) {
    lines.push(
      JSON.stringify({
        prompt: [{ content: `Frage ${i}: Wie kann ich Wasser sparen?`, role: 'user' }],
        chosen: [{ content: `Eine gute hilfreiche richtige Antwort ${i % 3}`, role: 'assistant' }],
        rejected: [{ content: 'Schlecht falsch unbrauchbar', role: 'assistant' }],
        prompt_id: String(i).padStart(64, '0'),
        score_chosen: 9,
        score_rejected: 2,
      }),
    )
  }
  fs.writeFileSync(path.join(dir, 'data', 'train.jsonl'), lines.join('\n') + '\n')
  return dir
}

export function writeSftExport(dir: string, rows = 8): string {
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'phoenix-manifest.json'), JSON.stringify({ dataset: { kind: 'sft', format: 'jsonl' } }))
  const lines: string[] = []
  for (let i = 0; i < rows; i++) {
    lines.push(JSON.stringify({ prompt: `Hallo ${i}`, prompt_id: String(i), messages: [{ content: `Hallo ${i}`, role: 'user' }, { content: 'Guten Tag, wie kann ich helfen?', role: 'assistant' }] }))
  }
  fs.writeFileSync(path.join(dir, 'data', 'train.jsonl'), lines.join('\n') + '\n')
  return dir
}
