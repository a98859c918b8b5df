import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@docprocessor/contracts';
import { iterateStream, unzipParser } from './excel-parts.js';

/** A workbook's XML packs 5 to 20 times; a ZIP bomb a thousand times. */
const UNPACKED_RATIO = 100;
export const UNPACKED_FLOOR = 1024 * 1024 * 1024;

/** The zip of the stream, walked by unzipper: the stream's errors and an early end reach the walk, as its own. */
export function unzip(file: Readable, unpackedFloor: number) {
  let compressed = 0;
  let unpacked = 0;
  const zip = unzipParser();
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      compressed += chunk.length;
      callback(null, chunk);
    },
  });
  const walk = { zip, current: null as Readable | null, failure: undefined as unknown };
  const fail = (error: unknown) => {
    walk.failure ??= error;
    zip.destroy(walk.failure as Error);
    walk.current?.destroy(walk.failure as Error);
  };
  const onClose = () => (file.readableEnded ? undefined : fail(new Error('The file stream closed before its end')));
  file.on('error', fail).on('close', onClose).pipe(counted).pipe(zip);
  /** An entry's unpacked bytes, counted against the bound: past it, the walk fails. */
  const unpack = (entry: Readable): Readable => {
    walk.current = entry;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        unpacked += chunk.length;
        if (unpacked <= Math.max(unpackedFloor, UNPACKED_RATIO * compressed)) return callback(null, chunk);
        const why = `The workbook unpacks to more than ${UNPACKED_RATIO} times its size: is it a ZIP bomb?`;
        callback(new AppError('malformed_xlsx', why));
      },
    });
    pipeline(entry, counter).catch(() => undefined); // the counter carries the error to its reader
    return counter;
  };
  const stop = () => {
    file.off('error', fail).off('close', onClose).unpipe(counted);
    if (!zip.readableEnded) zip.destroy();
    walk.current?.destroy();
  };
  return { walk, unpack, stop, entries: iterateStream<Readable & { path: string; autodrain(): void }>(zip) };
}
export type Unzipped = ReturnType<typeof unzip>;

/** Writes a sheet part to a file of its own, counted against the unpacked bound. */
export async function spool(unzipped: Unzipped, entry: Readable, dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await pipeline(unzipped.unpack(entry), createWriteStream(path));
  return path;
}
