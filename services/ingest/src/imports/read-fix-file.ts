import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import {
  AppError,
  matchFixHeader,
  readFixLine,
  type Delimiter,
  type FileEncoding,
  type FileFormat,
  type FixLayout,
} from '@docprocessor/contracts';
import { readSheet } from '@docprocessor/workbook';
import type { IngestContext } from './context.js';

export interface FixFileDialect {
  format: FileFormat;
  encoding: FileEncoding;
  delimiter: Delimiter;
}

/** The records of a stored file in groups, read as the processor reads it (csv-parse's relaxed options, or the workbook's first sheet). */
async function* recordsOf(file: Readable, dialect: FixFileDialect): AsyncGenerator<string[][]> {
  if (dialect.format === 'xlsx') {
    yield* readSheet(file, { sheet: null }).rows;
    return;
  }
  const parser = file
    .pipe(iconv.decodeStream(dialect.encoding))
    .pipe(parse({ delimiter: dialect.delimiter, quote: '"', relax_column_count: true, relax_quotes: true, skip_empty_lines: true }));
  for await (const record of parser as AsyncIterable<string[]>) yield [record];
}

/**
 * Reads a whole stored fix file and checks it against the import's header: the rows it corrects, in its order.
 * Refuses (invalid_fix, naming what is wrong) a file with another header, no `_row`, a line without a row number,
 * or a row twice. Only row numbers are kept, so a large fix never sits in memory.
 */
export async function readFixRows(
  ctx: IngestContext,
  objectName: string,
  dialect: FixFileDialect,
  fileHeader: readonly string[],
): Promise<number[]> {
  const file = await ctx.files.read(objectName);
  if (!file) throw new AppError('file_missing', 'The uploaded fix is no longer stored');
  const rows: number[] = [];
  const seen = new Set<number>();
  let layout: FixLayout | undefined;
  let line = 1;
  try {
    for await (const records of recordsOf(file, dialect)) {
      for (const record of records) {
        if (!layout) {
          const matched = matchFixHeader(fileHeader, record);
          if (typeof matched === 'string') throw new AppError('invalid_fix', matched);
          layout = matched;
          continue;
        }
        const read = readFixLine(layout, record, ++line);
        if (typeof read === 'string') throw new AppError('invalid_fix', read);
        if (!read) continue;
        if (seen.has(read.row))
          throw new AppError('invalid_fix', `Row ${read.row} is corrected twice in the fix (line ${line} again); keep one line for it`);
        seen.add(read.row);
        rows.push(read.row);
      }
    }
  } catch (error) {
    if (error instanceof AppError && (error.code === 'invalid_fix' || error.kind !== 'validation')) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('invalid_fix', `The fix file cannot be read: ${reason}`, { cause: error });
  } finally {
    file.destroy();
  }
  if (!layout)
    throw new AppError('invalid_fix', "The fix file has no header: it needs the import file's header and _row, as errors.csv has");
  if (rows.length === 0) throw new AppError('invalid_fix', 'The fix file has no rows to correct');
  return rows;
}
