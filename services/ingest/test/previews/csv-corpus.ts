import { readFileSync } from 'node:fs';
import type { Dialect, PreviewColumn } from '@docprocessor/contracts';

export const CORPUS_DIR = new URL('../fixtures/csv-corpus/', import.meta.url);
export const corpusText = (file: string) => readFileSync(new URL(file, CORPUS_DIR), 'utf8');

/**
 * A column as one short string: its type, `?` when nullable, and its formats in brackets
 * (`date[DD/MM/YYYY]`, `integer?`), so each file's expectation reads as one line.
 */
export const describeColumn = (c: PreviewColumn) => `${c.type}${c.nullable ? '?' : ''}${c.formats ? `[${c.formats.join('|')}]` : ''}`;

export interface CorpusFile {
  file: string;
  /** What the file is, in the words of the person who would upload it. */
  shape: string;
  /** The file is the head of a longer one: its last line is partial. */
  cut?: boolean;
  dialect: Omit<Dialect, 'encoding'>;
  columns: string[];
  headers?: string[];
  rows: number;
}

const plain = { delimiter: ',', quote: '"', header: true, lineEnd: '\n' } as const;

export const CORPUS: CorpusFile[] = [
  {
    file: 'eu-semicolon-orders.csv',
    shape: 'a German shop export: semicolons, CRLF, DD.MM.YYYY, decimal commas (read as text)',
    dialect: { ...plain, delimiter: ';', lineEnd: '\r\n' },
    columns: ['integer', 'date[DD.MM.YYYY]', 'string', 'string', 'integer', 'boolean'],
    rows: 20,
  },
  {
    file: 'tab-products.tsv',
    shape: 'tab-separated products, commas inside names',
    dialect: { ...plain, delimiter: '\t' },
    columns: ['string', 'string', 'decimal', 'integer', 'boolean'],
    headers: ['sku', 'name', 'price', 'quantity', 'active'],
    rows: 20,
  },
  {
    file: 'pipe-events.psv',
    shape: 'a pipe-delimited log: UUIDs, ISO timestamps in UTC with milliseconds',
    dialect: { ...plain, delimiter: '|' },
    columns: ['uuid', 'timestamp[ISO]', 'string', 'string', 'decimal'],
    rows: 20,
  },
  {
    file: 'quoted-fields.csv',
    shape: 'quoted fields holding commas, doubled quotes and line breaks',
    dialect: plain,
    columns: ['integer', 'string', 'string?', 'decimal'],
    rows: 7,
  },
  {
    file: 'no-header.csv',
    shape: 'no header: the first row types like the rest',
    dialect: { ...plain, header: false },
    columns: ['integer', 'email', 'date[YYYY-MM-DD]', 'decimal'],
    headers: ['column1', 'column2', 'column3', 'column4'],
    rows: 20,
  },
  {
    file: 'crlf-contacts.csv',
    shape: 'contacts with CRLF line ends, an often empty and an always empty column',
    dialect: { ...plain, lineEnd: '\r\n' },
    columns: ['integer', 'email', 'string', 'string', 'string?', 'string', 'date[YYYY-MM-DD]', 'decimal', 'boolean', 'string?'],
    rows: 20,
  },
  {
    file: 'bom-utf8.csv',
    shape: 'UTF-8 with a byte-order mark before the first header',
    dialect: plain,
    columns: ['string', 'string', 'date[YYYY-MM-DD]'],
    headers: ['code', 'label', 'valid_from'],
    rows: 3,
  },
  {
    file: 'dates-day-first-late.csv',
    shape: 'DD/MM/YYYY dates whose days stay under 13 until the last row',
    dialect: plain,
    columns: ['string', 'date[DD/MM/YYYY]', 'date[DD/MM/YYYY]'],
    rows: 20,
  },
  {
    file: 'dates-month-first-late.csv',
    shape: 'MM/DD/YYYY dates settled by the last row',
    dialect: plain,
    columns: ['integer', 'date[MM/DD/YYYY]'],
    rows: 20,
  },
  {
    file: 'dates-ambiguous.csv',
    shape: 'D.M.YYYY dates, and dashed dates no row settles',
    dialect: { ...plain, delimiter: ';' },
    columns: ['string', 'date[DD.MM.YYYY]', 'date[DD-MM-YYYY|MM-DD-YYYY]'],
    rows: 15,
  },
  {
    file: 'timestamps-zones.csv',
    shape: 'ISO timestamps with Z, ±HH:MM, ±HHMM, ±HH or no zone, fractions of 1 to 6 digits',
    dialect: plain,
    columns: ['integer', 'timestamp[ISO]', 'timestamp[ISO]'],
    rows: 20,
  },
  {
    file: 'many-nulls.csv',
    shape: 'NULL, NA, N/A, \\N, null and empty cells in most columns, one column of nothing else',
    dialect: plain,
    columns: ['integer', 'integer?', 'string?', 'decimal?', 'string?', 'boolean?'],
    rows: 20,
  },
  {
    file: 'single-column.csv',
    shape: 'one column of addresses',
    dialect: plain,
    columns: ['email'],
    headers: ['email'],
    rows: 20,
  },
  {
    file: 'wide.csv',
    shape: 'sixty columns',
    dialect: plain,
    columns: Array.from({ length: 60 }, (_, i) => ['integer', 'decimal', 'date[YYYY-MM-DD]', 'string', 'boolean'][i % 5]!),
    rows: 15,
  },
  {
    file: 'cut-head.csv',
    shape: 'the head of a longer file, cut in the middle of a line',
    cut: true,
    dialect: plain,
    columns: ['integer', 'string', 'integer'],
    rows: 20,
  },
  {
    file: 'cut-in-quotes.csv',
    shape: 'the head of a longer file, cut inside a quoted field that spans lines',
    cut: true,
    dialect: { ...plain, delimiter: ';' },
    columns: ['integer', 'string', 'integer'],
    rows: 10,
  },
  {
    file: 'cr-line-ends.csv',
    shape: 'old Mac line ends (CR alone)',
    dialect: { ...plain, lineEnd: '\r' },
    columns: ['string', 'integer', 'decimal'],
    rows: 12,
  },
  {
    file: 'inch-marks.csv',
    shape: 'inch marks and quoted words inside unquoted fields',
    dialect: { ...plain, delimiter: ';' },
    columns: ['string', 'string', 'integer'],
    rows: 3,
  },
  {
    file: 'unbalanced-quote.psv',
    shape: 'an export that never quotes, with a comment that opens a quote and never closes it',
    dialect: { ...plain, delimiter: '|', quote: null },
    columns: ['integer', 'date[YYYY-MM-DD]', 'string'],
    rows: 4,
  },
  {
    file: 'us-spreadsheet.csv',
    shape: 'a US spreadsheet: M/D/YYYY H:mm(:ss), CRLF, the order settled late',
    dialect: { ...plain, lineEnd: '\r\n' },
    columns: ['string', 'timestamp[MM/DD/YYYY HH:mm]', 'timestamp[MM/DD/YYYY HH:mm:ss]', 'string'],
    rows: 20,
  },
  {
    file: 'codes-and-big-numbers.csv',
    shape: 'postcodes with leading zeros, 18-digit account numbers',
    dialect: plain,
    columns: ['integer', 'string', 'decimal', 'decimal'],
    rows: 20,
  },
  {
    file: 'eu-timestamps-quoted.csv',
    shape: 'semicolons inside quoted fields, DD.MM.YYYY HH:mm',
    dialect: { ...plain, delimiter: ';' },
    columns: ['integer', 'timestamp[DD.MM.YYYY HH:mm]', 'string', 'string'],
    rows: 20,
  },
  {
    file: 'pandas-index.csv',
    shape: "pandas' to_csv: an index column under an empty header cell",
    dialect: plain,
    columns: ['integer', 'string', 'integer', 'decimal'],
    headers: ['column1', 'name', 'age', 'height'],
    rows: 15,
  },
];
