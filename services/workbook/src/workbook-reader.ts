import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '@docprocessor/contracts';
import { readSharedStrings } from './shared-strings.js';

/** The parts of exceljs's streaming reader this module uses: its typings describe neither them nor the reader rightly. */
export interface ExcelCell {
  readonly type: number;
  readonly value: unknown;
  /** A formula's cached result, 0 and '' included (the formula's `value` drops falsy results). */
  readonly result: unknown;
  readonly numFmt: string | undefined;
}
export interface ExcelRow {
  eachCell(iteratee: (cell: ExcelCell, column: number) => void): void;
}
export interface WorksheetSource extends AsyncIterable<ExcelRow> {
  /** The part's path relative to xl/, e.g. `worksheets/sheet1.xml` (set here). */
  part: string;
  /** The bytes the rows are parsed from: the zip entry, or the temporary file exceljs spooled it to (set here). */
  source: AsyncIterable<unknown> & { destroy?: () => void };
}
interface Relationship {
  Id: string;
  Target: string;
}
interface ListedSheet {
  name: string;
  rId: string;
  state?: string;
}
interface ExcelWorkbookReader extends AsyncIterable<WorksheetSource> {
  workbookRels?: Relationship[];
  model?: { sheets?: ListedSheet[] };
  properties?: { model?: { date1904?: boolean } };
  sharedStrings?: unknown[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: WorksheetSource }>;
}
type ReaderClass = new (input: Readable, options: Record<string, string>) => ExcelWorkbookReader;

export const FORMULA_CELL = ExcelJS.ValueType.Formula as number;

/** Decodes a part's bytes as UTF-8 with one decoder, so a character split between two chunks stays whole. */
async function* utf8Text(chunks: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** A relationship target relative to xl/, as exceljs names worksheet parts: `/xl/a.xml`, `./a.xml` and `a.xml` alike. */
export const partOf = (target: string): string => target.replace(/^\/xl\//, '').replace(/^\.?\//, '');

/**
 * exceljs's streaming WorkbookReader (4.4.0, pinned: these overrides lean on its internals), less three faults it has:
 * it decodes each chunk of a part on its own, so a UTF-8 character split between chunks becomes U+FFFD (exceljs
 * issues 2063, 2084, 2316); it reads a Japanese entry's phonetic guide instead of its text; and it keeps rich text
 * as objects. Every part is decoded with one streaming decoder here, and shared strings are read as plain text.
 */
export class WorkbookReader extends (ExcelJS.stream.xlsx.WorkbookReader as unknown as ReaderClass) {
  constructor(input: Readable) {
    super(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  }

  override _parseRels(entry: Readable): Promise<void> {
    entry.setEncoding('utf8');
    return super._parseRels(entry);
  }

  override _parseWorkbook(entry: Readable): Promise<void> {
    entry.setEncoding('utf8');
    return super._parseWorkbook(entry);
  }

  override _parseStyles(entry: Readable): Promise<void> {
    entry.setEncoding('utf8');
    return super._parseStyles(entry);
  }

  override async *_parseSharedStrings(entry: Readable): AsyncGenerator<unknown> {
    this.sharedStrings = await readSharedStrings(entry);
  }

  override *_parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: WorksheetSource }> {
    // exceljs matches a sheet to its name through the workbook part; a workbook that comes after its sheets has none.
    if (!this.model || !this.workbookRels) {
      const why = 'The workbook cannot be read: its list of sheets (xl/workbook.xml) is missing or comes after them';
      throw new AppError('malformed_xlsx', why);
    }
    for (const event of super._parseWorksheet(utf8Text(iterator), sheetNo)) {
      event.value.part = `worksheets/sheet${sheetNo}.xml`;
      event.value.source = iterator as WorksheetSource['source'];
      yield event;
    }
  }

  /** The sheets as the workbook lists them (tab order), each with the part that holds it. */
  listedSheets(): Array<ListedSheet & { part: string }> {
    const rels = this.workbookRels ?? [];
    return (this.model?.sheets ?? []).map((sheet) => ({ ...sheet, part: partOf(rels.find((r) => r.Id === sheet.rId)?.Target ?? '') }));
  }

  get date1904(): boolean {
    return this.properties?.model?.date1904 === true;
  }
}
