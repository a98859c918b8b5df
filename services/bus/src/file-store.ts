import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeliverPolicy, JsHeaders } from '@nats-io/jetstream';
import { Base64UrlPaddedCodec, Objm, type ObjectStore } from '@nats-io/obj';
import { headers } from '@nats-io/transport-node';
import type { Bus } from './connect.js';
import { ensureStream, replicasFor } from './replicas.js';

const CHUNK_BYTES = 512 * 1024;
/** Chunks sent before the oldest one's ack is awaited: enough to keep the server busy, few enough to bound memory. */
const CHUNKS_IN_FLIGHT = 4;
/**
 * Chunks a reader has on their way to it: the next one arrives while this one is read. Four held each chunk's
 * buffers (which the client assembles from socket reads) long enough to reach V8's old generation, and the full
 * collections that then freed them cost a 1M-row import about 0.1 s of the processor's time.
 */
const CHUNKS_AHEAD = 2;
/**
 * A chunk that takes longer than this to arrive fails the read (the server lost it, or is gone). The read's consumer
 * has one copy: on a cluster, when its server dies the library keeps pulling from it, so this is what ends the read.
 */
const CHUNK_WAIT_MS = 10_000;
/**
 * Times the read's consumer is asked for when the request times out. It has one copy, and on a cluster NATS 2.9 may
 * place it on a node that has just died, which answers nothing; asked again, it is placed anew. Without this, each
 * such placement cost the job a delivery, and five in a row failed it while the cluster was otherwise serving.
 */
const CONSUMER_TRIES = 5;

/** The JetStream stream under an object store bucket (the library's naming). */
export const objectStoreStream = (bucket: string): string => `OBJ_${bucket}`;

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

  /** Opens the bucket, creating it, or bringing its copies to NATS_REPLICAS (replicas.ts), as the events stream's. */
  static async open(bus: Bus): Promise<FileStore> {
    const store = await new Objm(bus.js).create(bus.names.bucket, { replicas: replicasFor(bus) });
    await ensureStream(bus, { name: objectStoreStream(bus.names.bucket) });
    return new FileStore(bus, store);
  }

  /**
   * Stores a stream in the Object Store's own layout (chunk messages, then the object's metadata with its
   * SHA-256), so the library, `nats object` and `read` below all see an ordinary object. Written here rather
   * than with the library's put, which copies every chunk through web streams and a growing buffer and waits
   * for each chunk's ack before sending the next: on a 2-core machine that took about twice the CPU. Up to
   * CHUNKS_IN_FLIGHT chunks wait for their acks, so a slow server slows the reader instead of filling memory.
   * Object names are never reused (each upload has its own), so there is no older revision to clean up.
   */
  async put(name: string, content: AsyncIterable<Buffer>): Promise<StoredFile> {
    const bucket = this.bus.names.bucket;
    // A server configured with a smaller max_payload gets smaller chunks, as the library does.
    const chunkBytes = Math.min(CHUNK_BYTES, this.bus.nc.info?.max_payload ?? CHUNK_BYTES);
    const nuid = randomUUID().replaceAll('-', '');
    const chunkSubject = `$O.${bucket}.C.${nuid}`;
    const sha256 = createHash('sha256');
    const inFlight: { ack: Promise<unknown>; chunk: Buffer }[] = [];
    // A chunk's buffer is reused once its ack is in: the server has it, so the client has sent it.
    const spare: Buffer[] = [];
    let chunks = 0;
    let size = 0;
    const send = async (chunk: Buffer) => {
      sha256.update(chunk);
      chunks++;
      size += chunk.length;
      const ack = this.bus.js.publish(chunkSubject, chunk);
      ack.catch(() => undefined); // awaited below; a failure while the reader is busy must not go unhandled
      inFlight.push({ ack, chunk });
      if (inFlight.length < CHUNKS_IN_FLIGHT) return;
      const oldest = inFlight.shift()!;
      await oldest.ack;
      spare.push(oldest.chunk);
    };
    try {
      let chunk: Buffer = Buffer.allocUnsafe(chunkBytes);
      let filled = 0;
      for await (const piece of content) {
        for (let offset = 0; offset < piece.length; ) {
          const taken = piece.copy(chunk, filled, offset);
          filled += taken;
          offset += taken;
          if (filled < chunkBytes) continue;
          await send(chunk);
          chunk = spare.pop() ?? Buffer.allocUnsafe(chunkBytes);
          filled = 0;
        }
      }
      if (filled > 0) await send(chunk.subarray(0, filled));
      await Promise.all(inFlight.map((sent) => sent.ack));
      const digest = sha256.digest();
      const info = {
        name,
        description: '',
        options: { max_chunk_size: chunkBytes },
        bucket,
        nuid,
        size,
        chunks,
        mtime: new Date().toISOString(),
        digest: `SHA-256=${Base64UrlPaddedCodec.encode(digest)}`,
        deleted: false,
      };
      const rollup = headers();
      rollup.set(JsHeaders.RollupHdr, JsHeaders.RollupValueSubject);
      await this.bus.js.publish(`$O.${bucket}.M.${Base64UrlPaddedCodec.encode(name)}`, JSON.stringify(info), { headers: rollup });
      return { name, size, sha256: digest.toString('hex') };
    } catch (error) {
      await Promise.allSettled(inFlight.map((sent) => sent.ack));
      const unpurged = await this.bus.jsm.streams.purge(objectStoreStream(bucket), { filter: chunkSubject }).then(
        () => null,
        (e: unknown) => e,
      );
      if (unpurged) throw new AggregateError([error, unpurged], `Storing ${name} failed, and so did removing its chunks`);
      throw error;
    }
  }

  /** Bytes the bucket's stream holds on the server (files, their metadata and any partial uploads). */
  async storedBytes(): Promise<number> {
    const info = await this.bus.jsm.streams.info(`OBJ_${this.bus.names.bucket}`);
    return info.state.bytes;
  }

  async delete(name: string): Promise<void> {
    await this.store.delete(name);
  }

  async exists(name: string): Promise<boolean> {
    const info = await this.store.info(name);
    return info !== null && !info.deleted;
  }

  /**
   * Reads a stored file as a Node stream that pulls chunks only as fast as it is consumed: a window of
   * CHUNKS_AHEAD chunks, refilled as they are taken, so the next chunks are on their way while the reader
   * works on this one. (The library's own get() pushes every chunk at once, which would hold a large file
   * in memory. Fetching a batch of four chunks only once the last batch was read made a reader that spends
   * 20 ms per chunk wait about 1.5 s per 100 MB; a window of four refilled as chunks were taken, 0.25 s, and
   * a window of two is no slower. The Readable below holds one more chunk.)
   */
  async read(name: string): Promise<Readable | null> {
    const info = await this.store.info(name);
    if (!info || info.deleted) return null;
    if (info.size === 0) return Readable.from([]);
    const { js, names } = this.bus;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      // Made on the first read: a stream destroyed before it is read leaves no consumer on the server.
      const consumer = await askAgainOnTimeout(CONSUMER_TRIES, () =>
        js.consumers.get(objectStoreStream(names.bucket), {
          filter_subjects: `$O.${names.bucket}.C.${info!.nuid}`,
          deliver_policy: DeliverPolicy.All,
        }),
      );
      const messages = await consumer.consume({ max_messages: Math.min(info!.chunks, CHUNKS_AHEAD) });
      const iterator = messages[Symbol.asyncIterator]();
      try {
        for (let remaining = info!.chunks; remaining > 0; remaining--) {
          const next = await withinMs(
            CHUNK_WAIT_MS,
            iterator.next(),
            () => `object ${name}: no chunk arrived within ${CHUNK_WAIT_MS / 1000} s (${remaining} left)`,
          );
          if (next.done) throw new Error(`object ${name}: the chunks ended with ${remaining} left`);
          yield next.value.data;
        }
      } finally {
        messages.stop();
      }
    }
    return Readable.from(chunks(), { objectMode: false, highWaterMark: 256 * 1024 });
  }
}

/** `request()`, made again (up to `tries` times in all) while it fails with a NATS request timeout. */
export async function askAgainOnTimeout<T>(tries: number, request: () => Promise<T>): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await request();
    } catch (error) {
      if (tried >= tries || !(error instanceof Error && error.name === 'TimeoutError')) throw error;
    }
  }
}

/** `promise`, or an error saying `why` once `ms` have passed without it settling. */
async function withinMs<T>(ms: number, promise: Promise<T>, why: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(why())), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
