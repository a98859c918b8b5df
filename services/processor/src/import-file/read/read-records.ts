import type { Readable } from 'node:stream';
import type { Delimiter, FileEncoding, FileFormat } from '@docprocessor/contracts';
import { readCsv, type CsvSource } from './read-csv.js';
import { readXlsx } from './read-xlsx.js';

/** What every reader gives the pipeline: records in groups, the header first, and the bytes read for progress. */
export type RecordSource = CsvSource;

/** What a job says about its file; each reader takes the fields of its format. */
export interface RecordOptions {
  format: FileFormat;
  encoding: FileEncoding;
  delimiter: Delimiter;
  /** The workbook sheet to read (name or 1-based number), null for the first. */
  sheet: string | null;
  maxRowBytes: number;
}

/** One reader per format: the next format is a module and a line here. */
const READERS: Record<FileFormat, (file: Readable, options: RecordOptions) => RecordSource> = {
  csv: readCsv,
  xlsx: readXlsx,
};

/** The records of a stored file, read by its format's reader. */
export function readRecords(file: Readable, options: RecordOptions): RecordSource {
  return READERS[options.format](file, options);
}
