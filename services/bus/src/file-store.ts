import { Readable } from 'node:stream';
import { Objm, setSha256Backend, type ObjectStore } from '@nats-io/obj';

// Node's native hash instead of the library's browser-safe pure-JS one: ~10x faster on large uploads.
setSha256Backend('native');
import { DeliverPolicy } from '@nats-io/jetstream';
import type { Bus } from './connect.js';

const CHUNK_BYTES = 512 * 1024;

export interface StoredFile {
  name: string;
  size: number;
  /** Hex sha256 of the content, computed by the object store while it stored the chunks. */
  sha256: string;
}

/**
 * Uploaded files live in a JetStream Object Store bucket, so every processor on every machine
 * reads the same bytes and no shared disk is needed.
 */
export class FileStore {
  private constructor(
    private readonly bus: Bus,
    private readonly store: ObjectStore,
  ) {}

  static async open(bus: Bus): Promise<FileStore> {
    const store = await new Objm(bus.js).create(bus.names.bucket);
    return new FileStore(bus, store);
  }

  /** Stores a stream chunk by chunk; each chunk waits for its ack, so a slow server slows the reader instead of filling memory. */
  async put(name: string, content: Readable): Promise<StoredFile> {
    // Larger chunks than the 128 KiB default mean 4x fewer publish round trips per file.
    const info = await this.store.put({ name, options: { max_chunk_size: CHUNK_BYTES } }, Readable.toWeb(content) as ReadableStream<Uint8Array>);
    return { name, size: info.size, sha256: digestToHex(info.digest) };
  }

  async delete(name: string): Promise<void> {
    await this.store.delete(name);
  }

  async exists(name: string): Promise<boolean> {
    const info = await this.store.info(name);
    return info !== null && !info.deleted;
  }

  /**
   * Reads a stored file as a Node stream that pulls chunks only as fast as it is consumed.
   * (The library's own get() pushes every chunk at once, which would hold a large file in memory.)
   */
  async read(name: string): Promise<Readable | null> {
    const info = await this.store.info(name);
    if (!info || info.deleted) return null;
    if (info.size === 0) return Readable.from([]);
    const consumer = await this.bus.js.consumers.get(`OBJ_${this.bus.names.bucket}`, {
      filter_subjects: `$O.${this.bus.names.bucket}.C.${info.nuid}`,
      deliver_policy: DeliverPolicy.All,
    });
    let remaining = info.chunks;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      while (remaining > 0) {
        const batch = await consumer.fetch({ max_messages: Math.min(remaining, 4), expires: 10_000 });
        let got = 0;
        for await (const message of batch) {
          got++;
          remaining--;
          yield message.data;
        }
        if (got === 0) throw new Error(`object ${name}: no chunk arrived within 10 s (${remaining} left)`);
      }
    }
    return Readable.from(chunks(), { objectMode: false, highWaterMark: 256 * 1024 });
  }
}

function digestToHex(digest: string): string {
  const encoded = digest.replace(/^SHA-256=/, '').replace(/-/g, '+').replace(/_/g, '/');
  return Buffer.from(encoded, 'base64').toString('hex');
}
