import { CsvError } from 'csv-parse/sync';
import { AppError, type FileEncoding, type Preview, type PreviewColumn } from '@docprocessor/contracts';
import { detectHeader } from './detect-header.js';
import { ColumnTally } from './infer-types.js';
import { readRecords, recordBounds, wholeRecords } from './read-records.js';
import { sniffDialect, type SniffedLayout } from './sniff-dialect.js';

/** Rows whose cells are typed: DuckDB's default sample too. A 1 MB head rarely holds more. */
export const SAMPLE_ROWS = 20_480;
export const PREVIEW_ROWS = 20;

export interface CsvHead {
  /** The head of the file, decoded. */
  text: string;
  encoding: FileEncoding;
  /** Whether the file goes on after the head: its last line may then be partial, and is left out. */
  cut: boolean;
}

/** One tally per column over the records from `from` on; a cell a short record leaves out counts as null. */
function tally(records: readonly string[][], from: number, width: number): ColumnTally[] {
  const tallies = Array.from({ length: width }, () => new ColumnTally());
  for (let r = from; r < records.length; r++) {
    const record = records[r]!;
    for (let c = 0; c < width; c++) tallies[c]!.add(record[c]);
  }
  return tallies;
}

const columnName = (header: string | undefined, index: number) => (header?.trim() ? header.trim() : `column${index + 1}`);

/** The sampled records; a quote the chosen dialect cannot read past the dialect's sample fails, as the import would. */
function readSample(body: string, layout: SniffedLayout): string[][] {
  try {
    return readRecords(body, layout, layout.lineEnd, SAMPLE_ROWS + 1);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const code = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'unterminated_quote' : 'malformed_csv';
    throw new AppError(code, `The CSV cannot be read near line ${error.lines}: ${error.message}`, { cause: error });
  }
}

/**
 * What a CSV file holds, from its head: the dialect (delimiter, quote, line end, header), each column's type
 * inferred over the sampled rows, and the first rows. Staged as DuckDB's sniff_csv: dialect, types, header.
 */
export function sniffCsv({ text: raw, encoding, cut }: CsvHead): Preview {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const layout = sniffDialect(text, cut);
  const body = wholeRecords(text, recordBounds(text, layout), cut);
  const records = readSample(body, layout);
  const width = layout.columns;
  const first = records[0] ?? [];
  const bodyTallies = tally(records, 1, width);
  const header = records.length > 0 && detectHeader(first, bodyTallies);
  const tallies = header ? bodyTallies : tally(records, 0, width);
  const columns: PreviewColumn[] = tallies.map((tally, index) => ({
    index,
    header: columnName(header ? first[index] : undefined, index),
    ...tally.result(),
  }));
  return {
    format: 'csv',
    dialect: { encoding, delimiter: layout.delimiter, quote: layout.quote, header, lineEnd: layout.lineEnd },
    columns,
    rows: records.slice(header ? 1 : 0, (header ? 1 : 0) + PREVIEW_ROWS),
  };
}
