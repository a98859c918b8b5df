import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, CsvError, type Parser } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError, type Delimiter, type ErrorCode, type FileEncoding } from '@docprocessor/contracts';
import { CsvScanner } from './csv-scanner.js';
import { Utf8Checker } from './utf8-checker.js';

export interface CsvOptions {
  encoding: FileEncoding;
  delimiter: Delimiter;
  /** A row (all its fields) larger than this fails the job: it bounds memory whatever the file holds. */
  maxRowBytes: number;
}

export interface CsvSource {
  /** Records (arrays of fields) in groups as they come; the first record is the header. */
  records: AsyncIterable<string[][]>;
  /** Bytes of the file read so far. */
  bytesConsumed(): number;
  /** For files read as UTF-8 (known once the first chunk is read): where the bytes that decoded to U+FFFD are, for rows to claim. */
  readonly utf8: Utf8Checker | null;
}

/** The scanner reads records up to this size itself; longer ones are csv-parse's, which knows the limit. */
const SCANNER_MAX_RECORD_CHARS = 256 * 1024;

const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);
/** Small enough that the text of a piece stays a young-generation string whatever the encoding. */
const DECODE_PIECE_BYTES = 32 * 1024;

interface TextDecoding {
  write(bytes: Buffer): string;
  end(): string | undefined;
}

/**
 * The WHATWG decoder, streaming: about twice as fast as node:string_decoder on the same pieces. The BOM stays
 * in the text, for the scanner to drop as csv-parse would.
 */
export function utf8Decoder(): TextDecoding {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return { write: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
}

/**
 * Decodes the file to text: UTF-8 with a streaming decoder (its invalid bytes noted by offset), the
 * rest with iconv-lite (which drops a UTF-16 byte-order mark). A file taken for UTF-8 that starts
 * with a UTF-16 LE byte-order mark is read as UTF-16 LE, as csv-parse's bom option did before us.
 * Counts the file's own bytes for progress.
 */
async function* decode(file: Readable, encoding: FileEncoding, state: { bytes: number; utf8: Utf8Checker | null }): AsyncGenerator<string> {
  let decoder: TextDecoding | null = encoding === 'utf-8' ? null : iconv.getDecoder(encoding);
  for await (const chunk of file) {
    const bytes = chunk as Buffer;
    if (!decoder) {
      const utf16 = bytes.subarray(0, 2).equals(UTF16LE_BOM);
      decoder = utf16 ? iconv.getDecoder('utf-16le') : utf8Decoder();
      if (utf16) state.utf8 = null;
    }
    state.bytes += bytes.length;
    state.utf8?.check(bytes);
    // Decoded in pieces well under V8's large-object size (about 128 KiB): a string that large goes straight to the
    // old generation and lives until a full collection, though the scanner is done with it in milliseconds.
    for (let at = 0; at < bytes.length; at += DECODE_PIECE_BYTES) {
      const text = decoder.write(bytes.subarray(at, at + DECODE_PIECE_BYTES));
      if (text) yield text;
    }
  }
  const tail = decoder?.end();
  if (tail) yield tail;
  state.utf8?.end();
}

export function readCsv(file: Readable, options: CsvOptions): CsvSource {
  const state = { bytes: 0, utf8: options.encoding === 'utf-8' ? new Utf8Checker() : null };
  const text = decode(file, options.encoding, state);
  return {
    records: readRecords(text, options),
    bytesConsumed: () => state.bytes,
    get utf8() {
      return state.utf8;
    },
  };
}

/** The fast scanner reads what it can; from the first record it leaves, csv-parse reads the rest of the file. */
async function* readRecords(text: AsyncGenerator<string>, options: CsvOptions): AsyncGenerator<string[][]> {
  const limit = Math.min(SCANNER_MAX_RECORD_CHARS, Math.floor(options.maxRowBytes / 3)); // 3: UTF-8 bytes per character at most
  const scanner = new CsvScanner(options.delimiter, limit);
  for (;;) {
    const next = await text.next();
    const out: string[][] = [];
    const scanning = next.done ? scanner.finish(out) : scanner.push(next.value, out);
    if (out.length > 0) yield out;
    if (!scanning) {
      yield* readWithCsvParse(scanner, next.done ? null : text, options);
      return;
    }
    if (next.done) return;
  }
}

async function* readWithCsvParse(
  scanner: CsvScanner,
  rest: AsyncGenerator<string> | null,
  options: CsvOptions,
): AsyncGenerator<string[][]> {
  const parser: Parser = parse({
    delimiter: options.delimiter,
    ...(scanner.lineEnd ? { record_delimiter: scanner.lineEnd } : {}),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: options.maxRowBytes,
  });
  async function* source(): AsyncGenerator<string> {
    if (scanner.remainder) yield scanner.remainder;
    if (rest) yield* rest;
  }
  pipeline(Readable.from(source()), parser).catch(() => {
    // The parser carries the error to whoever reads records.
  });
  try {
    for await (const record of parser) yield [record as string[]];
  } catch (error) {
    throw toCsvProblem(error, scanner.records + parser.info.records, options.maxRowBytes);
  }
}

/** The limit as people set it: 8 MiB, 64 KiB, or plain characters when it is not a round number of either. */
function rowLimit(characters: number): string {
  if (characters % (1024 * 1024) === 0) return `${characters / 1024 / 1024} MiB`;
  if (characters % 1024 === 0) return `${characters / 1024} KiB`;
  return `${characters} characters`;
}

/** A file csv-parse cannot read is the file's fault (kind validation), said with the row where it broke. */
function toCsvProblem(error: unknown, recordsSoFar: number, maxRowBytes: number): unknown {
  if (!(error instanceof CsvError)) return error;
  const row = Math.max(1, recordsSoFar); // records include the header, so this is the 1-based data row that broke
  const known: Record<string, [ErrorCode, string]> = {
    CSV_QUOTE_NOT_CLOSED: ['unterminated_quote', 'a quoted field is never closed'],
    CSV_MAX_RECORD_SIZE: ['field_too_large', `a row is larger than ${rowLimit(maxRowBytes)}`],
    CSV_INVALID_CLOSING_QUOTE: ['malformed_csv', 'a closing quote is followed by other characters'],
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: ['malformed_csv', 'a closing quote is followed by other characters'],
  };
  const [code, reason] = known[error.code] ?? ['malformed_csv', error.message];
  return new AppError(code, `The CSV breaks at data row ${row}: ${reason}`, { row, cause: error });
}
