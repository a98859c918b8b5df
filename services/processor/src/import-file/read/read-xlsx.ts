import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@docprocessor/contracts';
import { readSheet } from '@docprocessor/workbook';
import type { CsvSource } from './read-csv.js';

export interface XlsxOptions {
  /** The upload's `sheet` field: a name or a 1-based number; null for the first visible worksheet. */
  sheet: string | null;
  /** A row (all its cells' text, in UTF-8) larger than this fails the job, as a CSV row does. */
  maxRowBytes: number;
}

/** The UTF-8 size of a row's texts, counted exactly only when its length could pass the limit (3 bytes a character at most). */
function rowBytes(record: readonly string[], limit: number): number {
  let characters = 0;
  for (const text of record) characters += text.length;
  if (characters * 3 <= limit) return characters;
  let bytes = 0;
  for (const text of record) bytes += Buffer.byteLength(text);
  return bytes;
}

/**
 * The sheet's rows as the pipeline reads a CSV's records: the first is the header, and every later row is padded
 * with '' to the header's width (a spreadsheet leaves empty cells out; a longer row is left for the column check).
 */
async function* fittedRecords(groups: AsyncIterable<string[][]>, maxRowBytes: number): AsyncGenerator<string[][]> {
  let width = -1;
  let row = 0;
  for await (const group of groups) {
    for (const record of group) {
      if (rowBytes(record, maxRowBytes) > maxRowBytes) {
        const at = Math.max(1, row); // records include the header, so this is the 1-based data row, as for CSV
        const why = `The workbook breaks at data row ${at}: a row is larger than ${maxRowBytes} bytes`;
        throw new AppError('field_too_large', why, { row: at });
      }
      if (width === -1) width = record.length;
      else while (record.length < width) record.push('');
      row++;
    }
    yield group;
  }
}

/**
 * Reads the chosen sheet of an .xlsx workbook (see @docprocessor/workbook: typed cells become the texts the
 * validators accept) in the shape readCsv gives, so the pipeline after it is the same. Progress counts the
 * workbook's own (compressed) bytes as they are read from the store; for a sheet spooled to a file first (rows
 * come only after the whole workbook is read), the share of that file read, scaled to the workbook's bytes.
 */
export function readXlsx(file: Readable, options: XlsxOptions): CsvSource {
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  // The stream's errors reach the reader through `counted`, which the pipeline destroys with them.
  pipeline(file, counted).catch(() => undefined);
  const sheet = readSheet(counted, { sheet: options.sheet });
  const bytesConsumed = () => {
    const spooled = sheet.spooledFraction();
    return spooled === null ? bytes : Math.floor(spooled * bytes);
  };
  return { records: fittedRecords(sheet.rows, options.maxRowBytes), bytesConsumed, utf8: null };
}
