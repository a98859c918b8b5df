import { Transform, type TransformCallback } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, type BrotliDecompress, type Gunzip, type Inflate } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@docprocessor/contracts';

const DECODERS: Record<string, () => Gunzip | Inflate | BrotliDecompress> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

// Boundaries and form fields around the file are small; a body unpacking far past the file limit is a bomb.
const FORM_ENVELOPE_BYTES = 1024 * 1024;

/** Counts unpacked bytes and stops the stream as soon as there are too many. */
class UnpackedLimit extends Transform {
  private bytes = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes)
      callback(new AppError('payload_too_large', `The request unpacks to more than the limit of ${this.maxBytes} bytes`));
    else callback(null, chunk);
  }
}

/**
 * The request as the multipart parser should read it. A body sent with `Content-Encoding: gzip`, `deflate` or `br`
 * is unpacked while it streams (bounded, so a compressed bomb is refused, not unpacked); the parser reads
 * `request.raw`, so it is handed a request whose raw body is the unpacked stream. Anything else is returned as is.
 */
export function decodedRequest(request: FastifyRequest, maxFileBytes: number): FastifyRequest {
  const encoding = (request.headers['content-encoding'] ?? '').toLowerCase().trim();
  if (encoding === '' || encoding === 'identity') return request;
  const decoder = DECODERS[encoding];
  if (!decoder)
    throw new AppError(
      'unsupported_media_type',
      `Content-Encoding ${encoding} is not supported: use gzip, deflate or br, ` +
        'or send the compressed file itself (e.g. contacts.csv.gz) in the form',
    );
  const raw = request.raw;
  const unpack = decoder();
  const body = new UnpackedLimit(maxFileBytes + FORM_ENVELOPE_BYTES);
  unpack.on('error', (error) => {
    // Unpiped, not destroyed: the client's request stays readable, so the error handler can drain it and answer.
    raw.unpipe(unpack);
    body.destroy(
      new AppError('unsupported_media_type', `The request body is declared ${encoding} but cannot be unpacked: ${error.message}`, {
        cause: error,
      }),
    );
  });
  body.on('error', () => raw.unpipe(unpack));
  raw.on('close', () => {
    if (!raw.complete) body.destroy(new Error('the client closed the request before it was complete'));
  });
  raw.pipe(unpack).pipe(body);
  const { 'content-encoding': _encoding, 'content-length': _length, ...headers } = raw.headers;
  return Object.create(request, { raw: { value: Object.assign(body, { headers }) } }) as FastifyRequest;
}
