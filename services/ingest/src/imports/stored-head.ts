import type { FileStore } from '@docprocessor/bus';

/** How much of a file a preview or an inferred template reads: DuckDB's sniffer samples about as much. */
export const HEAD_BYTES = 1024 * 1024;

/** The first bytes of a stored file, and whether it goes on after them; the rest is never read. */
export async function readStoredHead(files: FileStore, name: string, maxBytes = HEAD_BYTES): Promise<{ head: Buffer; cut: boolean }> {
  const file = await files.read(name);
  if (!file) return { head: Buffer.alloc(0), cut: false };
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of file as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length > maxBytes) break;
    }
  } finally {
    file.destroy();
  }
  const all = Buffer.concat(chunks);
  return { head: all.subarray(0, maxBytes), cut: all.length > maxBytes };
}
