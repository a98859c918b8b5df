import type { Readable } from 'node:stream';
import type { Dialect, Preview, PreviewColumn } from '@docprocessor/contracts';
import { readSheet, type WorkbookSheet } from '@docprocessor/workbook';
import { ColumnTally } from './infer-types.js';
import { PREVIEW_ROWS } from './sniff-csv.js';

export interface WorkbookPreview extends Preview {
  /** The sheet previewed (the `sheet` field's, or the first visible worksheet). */
  sheet: WorkbookSheet;
  /** Every sheet of the workbook in tab order, for choosing another. */
  sheets: WorkbookSheet[];
}

/**
 * The dialect a workbook's preview reports. The schema describes CSV text, which a workbook is not: its cells come
 * typed and UTF-8, and its first row is the header, as the import reads it. These are the values an import of the
 * same rows as CSV would be told, so a client that echoes the dialect back changes nothing.
 */
export const WORKBOOK_DIALECT: Dialect = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnd: '\n' };

const columnName = (header: string | undefined, index: number) => (header?.trim() ? header.trim() : `column${index + 1}`);

/** The header and up to PREVIEW_ROWS data rows of the chosen sheet; the rows after them are never parsed. */
async function firstRows(file: Readable, sheet: string | null) {
  const source = readSheet(file, { sheet, groupRows: PREVIEW_ROWS + 1 });
  const records: string[][] = [];
  for await (const group of source.rows) {
    records.push(...group);
    if (records.length > PREVIEW_ROWS) break;
  }
  return { records: records.slice(0, PREVIEW_ROWS + 1), sheet: source.chosen, sheets: source.sheets };
}

/**
 * What a sheet of an .xlsx workbook holds, from its first rows: the header (its first row with any text, as the
 * import reads it), each column's type inferred from the typed cells' texts (dates come as ISO, numbers as plain
 * decimals) with the CSV sniffer's ladder, and up to 20 data rows padded to the widest row. Reading stops there;
 * the caller drains or destroys what is left of the stream. Throws `unknown_sheet` and `malformed_xlsx` AppErrors.
 */
export async function previewWorkbook(file: Readable, options: { sheet: string | null }): Promise<WorkbookPreview> {
  const { records, sheet, sheets } = await firstRows(file, options.sheet);
  const [header = [], ...rows] = records;
  const width = Math.max(header.length, ...rows.map((row) => row.length));
  const tallies = Array.from({ length: width }, () => new ColumnTally());
  for (const row of rows) {
    while (row.length < width) row.push('');
    for (const [c, tally] of tallies.entries()) tally.add(row[c]);
  }
  const columns: PreviewColumn[] = tallies.map((tally, index) => ({ index, header: columnName(header[index], index), ...tally.result() }));
  // readSheet knows the sheet once the workbook lists it, before any row, or it throws; an empty sheet has no columns.
  return { format: 'xlsx', dialect: WORKBOOK_DIALECT, columns, rows, sheet: sheet!, sheets: [...sheets] };
}
