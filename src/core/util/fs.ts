import * as fsp from 'node:fs/promises'

/** Makes a new file's directory entry durable too; best effort (Windows cannot open directories, NTFS journals metadata itself). */
export async function syncDir(dir: string): Promise<void> {
  let h: fsp.FileHandle | undefined
  try {
    h = await fsp.open(dir, 'r')
    await h.sync()
  } catch {
    // Not possible on this platform: the rename itself is still atomic.
  } finally {
    await h?.close().catch(() => undefined)
  }
}
