import type { Row, RowResult, Shard } from '../records/types'

/**
 * Source rows by prompt_id while the target streams: translations keep the source's order, so the source
 * is read alongside (skipping a few rows if needed); rows out of order are read by index.
 */
export class SourceCursor {
  private readonly it: AsyncIterator<RowResult>
  private pos = 0

  constructor(
    private readonly shard: Shard,
    readonly byId: Map<string, number>,
  ) {
    this.it = shard.rows()[Symbol.asyncIterator]()
  }

  async get(promptId: string): Promise<Row | undefined> {
    const index = this.byId.get(promptId)
    return index === undefined ? undefined : this.at(index)
  }

  /** Row `index`: streamed when it is a little ahead (rows come in nearly the source's order), else read. */
  async at(index: number): Promise<Row | undefined> {
    if (index >= this.pos && index - this.pos < 256) {
      for (;;) {
        const n = await this.it.next()
        if (n.done) break
        this.pos = n.value.index + 1
        if (n.value.index === index) return n.value.row
      }
    }
    return (await this.shard.read(index)).row
  }
}
