import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { AppError, type FileEncoding } from '@docprocessor/contracts';
import { isGzip, sniffContent } from './sniff-content.js';

export const SNIFF_BYTES = 8192;

const tooLarge = (maxBytes: number, expanded = false) =>
  new AppError('payload_too_large', `The file ${expanded ? 'unpacks to' : 'is'} more than the limit of ${maxBytes} bytes`);

/**
 * Unpacks gzip-compressed uploads (recognised by their magic number, whatever the name says) while they
 * stream; the compressed bytes are counted against the limit too, and the guard after it bounds the
 * unpacked size, so a gzip bomb is refused after at most `maxBytes` of output, never unpacked whole.
 */
export function expandGzip(maxBytes: number) {
  return async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let received = 0;
    const counted = (async function* () {
      for await (const chunk of source) {
        received += chunk.length;
        if (received > maxBytes) throw tooLarge(maxBytes);
        yield chunk;
      }
    })();
    const first = await counted.next();
    if (first.done) return;
    const all = async function* () {
      yield first.value;
      yield* counted;
    };
    if (!isGzip(first.value)) return yield* all();
    const gunzip = createGunzip();
    const done = pipeline(Readable.from(all()), gunzip);
    // When the consumer stops early (the guard refused), the pipeline is torn down and its rejection has no reader.
    done.catch(() => undefined);
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
      await done;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('unsupported_media_type', `The file looks gzip-compressed but cannot be unpacked: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
}

/**
 * Sits between the (unpacked) upload and the store: counts bytes, refuses past `maxBytes` as soon as the
 * limit is crossed, and looks at the first bytes before any of them is stored. Keeps them for detection.
 */
export class UploadGuard extends Transform {
  bytes = 0;
  /** The first bytes of the content (up to SNIFF_BYTES), once seen. */
  head: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private sniffed = false;

  /** `declared`: the form's `encoding` field when it came before the file (a declared UTF-16 file may hold NULs). */
  constructor(
    private readonly maxBytes: number,
    private readonly declared?: FileEncoding,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return callback(tooLarge(this.maxBytes, true));
    if (this.sniffed) return callback(null, chunk);
    this.pending.push(chunk);
    if (this.bytes >= SNIFF_BYTES) this.releaseHead(callback);
    else callback();
  }

  override _flush(callback: TransformCallback): void {
    if (!this.sniffed) this.releaseHead(callback);
    else callback();
  }

  private releaseHead(callback: TransformCallback): void {
    this.sniffed = true;
    const buffered = Buffer.concat(this.pending);
    this.pending = [];
    this.head = buffered.subarray(0, SNIFF_BYTES);
    const problem = sniffContent(this.head, this.declared);
    if (problem) callback(new AppError('unsupported_media_type', problem));
    else callback(null, buffered);
  }
}
