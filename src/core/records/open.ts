import { open } from 'node:fs/promises'
import { extname } from 'node:path'
import { JsonlShard } from './jsonl'
import { ParquetShard } from './parquet'
import { detectKind, detectKindFromFields } from './schema'
import { ShardOpenError, type SchemaKind, type Shard, type ShardFormat } from './types'

const JSONL_EXT = new Set(['.jsonl', '.ndjson', '.json'])

/** The format of a shard by its extension, or by its magic bytes when the extension says nothing. */
export async function shardFormat(path: string): Promise<ShardFormat> {
  const ext = extname(path).toLowerCase()
  if (ext === '.parquet') return 'parquet'
  if (JSONL_EXT.has(ext)) return 'jsonl'
  let magic = ''
  try {
    const fh = await open(path, 'r')
    const b = Buffer.alloc(4)
    await fh.read(b, 0, 4, 0)
    await fh.close()
    magic = b.toString('latin1')
  } catch (e) {
    throw new ShardOpenError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message)
  }
  if (magic === 'PAR1') return 'parquet'
  throw new ShardOpenError(path, `unsupported file type "${ext || '(none)'}": expected .jsonl, .ndjson, .json (JSON lines) or .parquet`)
}

export function isShardPath(path: string): boolean {
  const ext = extname(path).toLowerCase()
  return ext === '.parquet' || JSONL_EXT.has(ext)
}

export async function openShard(path: string): Promise<Shard> {
  return (await shardFormat(path)) === 'parquet' ? ParquetShard.open(path) : JsonlShard.open(path)
}

/** The schema kind of a shard: from the parquet schema, or from the first JSONL rows that parse. */
export async function shardKind(shard: Shard, probeRows = 20): Promise<SchemaKind | null> {
  const fields = (shard as { fields?: string[] }).fields
  if (fields) {
    try {
      return detectKindFromFields(fields)
    } catch {
      return null
    }
  }
  for await (const r of shard.rows(0, probeRows)) {
    if (!r.row) continue
    try {
      return detectKind(r.row)
    } catch {
      return null
    }
  }
  return null
}
