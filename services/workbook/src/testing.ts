import ExcelJS from 'exceljs';
import JSZip from 'jszip';

/** A sheet for a test workbook: its rows (exceljs cell values) and number formats by 1-based column. */
export interface TestSheet {
  name: string;
  rows: unknown[][];
  formats?: Record<number, string>;
  hidden?: boolean;
}

/** An .xlsx workbook made by exceljs's writer, as bytes: what a spreadsheet program would upload. */
export async function workbookBytes(sheets: readonly TestSheet[], options: { date1904?: boolean } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  if (options.date1904) workbook.properties.date1904 = true;
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, sheet.hidden ? { state: 'hidden' } : {});
    for (const [column, format] of Object.entries(sheet.formats ?? {})) worksheet.getColumn(Number(column)).numFmt = format;
    for (const values of sheet.rows) worksheet.addRow(values as ExcelJS.CellValue[]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A large one-sheet workbook written by exceljs's streaming writer to `path`, row by row, with shared strings (as
 * Excel stores text) unless `inlineStrings`: `row(n)` gives the values of data row n (1-based) under `header`.
 */
export async function writeLargeWorkbook(
  path: string,
  header: readonly string[],
  rows: number,
  row: (n: number) => unknown[],
  options: { formats?: Record<number, string>; inlineStrings?: boolean } = {},
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: !options.inlineStrings, useStyles: true });
  const worksheet = workbook.addWorksheet('Data');
  const style = (column: number) => (options.formats?.[column] ? { numFmt: options.formats[column] } : {});
  worksheet.columns = header.map((name, i) => ({ header: name, style: style(i + 1) }));
  for (let n = 1; n <= rows; n++) worksheet.addRow(row(n)).commit();
  worksheet.commit();
  await workbook.commit();
}

/**
 * A ZIP archive of the given entries (deflated, in this order), for what is not a workbook: .docx, .pptx, plain ZIPs.
 * `streamed` writes each entry's sizes after its data (a data descriptor), as streaming writers do.
 */
export async function zipBytes(entries: Record<string, string | Buffer>, options: { streamed?: boolean } = {}): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(entries)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', streamFiles: options.streamed ?? false });
}

/** The order in which a workbook's parts let a reader parse its sheet straight from the zip: everything it needs first. */
export const PARTS_BEFORE_SHEETS = [
  '[Content_Types].xml',
  'xl/workbook.xml',
  'xl/_rels/workbook.xml.rels',
  'xl/styles.xml',
  'xl/sharedStrings.xml',
];

/** A workbook's parts re-zipped with `first` in front, in that order: how another program may store them. */
export async function reorderedParts(bytes: Buffer, first: readonly string[]): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((name) => !zip.files[name]!.dir);
  const out = new JSZip();
  for (const name of [...first, ...names.filter((n) => !first.includes(n))]) out.file(name, await zip.file(name)!.async('nodebuffer'));
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
