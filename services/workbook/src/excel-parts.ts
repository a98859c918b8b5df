import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

/*
 * exceljs 4.4.0 (pinned) parses the parts of a workbook here: the workbook, its relationships, the styles and the
 * sheets' rows, through the modules its own streaming reader is made of. The zip itself is walked here (zip-walk.ts,
 * workbook-parts.ts: see there why). exceljs's typings describe none of these modules.
 */
const require = createRequire(import.meta.url);

export interface ListedSheet {
  name: string;
  rId: string;
  state?: string;
}
export interface Relationship {
  Id: string;
  Target: string;
}
export interface Styles {
  parseStream(text: AsyncIterable<string> | string[]): Promise<unknown>;
}
export interface ExcelCell {
  readonly type: number;
  readonly value: unknown;
  /** A formula's cached result, 0 and '' included (a formula's `value` drops falsy results). */
  readonly result: unknown;
  readonly numFmt: string | undefined;
}
export interface ExcelRow {
  eachCell(iteratee: (cell: ExcelCell, column: number) => void): void;
}
interface WorkbookXform {
  parseStream(text: string[]): Promise<unknown>;
  model?: { sheets?: ListedSheet[] };
  map: { workbookPr: { model?: { date1904?: boolean } } };
}

type WorkbookXformClass = new () => WorkbookXform;
type RelationshipsXformClass = new () => { parseStream(text: string[]): Promise<Relationship[] | undefined> };
type StylesXformClass = new (initialise?: boolean) => Styles;
type WorksheetReaderClass = new (options: object) => AsyncIterable<ExcelRow>;
type UnzipModule = { Parse(options: { forceStream: boolean }): NodeJS.ReadWriteStream & Readable };

// exceljs and unzipper take about 30 MiB of a process once loaded, and ingest and the processor mostly see CSV:
// they are loaded with the first workbook a process reads, not when it starts.
let modules:
  | {
      WorkbookXform: WorkbookXformClass;
      RelationshipsXform: RelationshipsXformClass;
      StylesXform: StylesXformClass;
      WorksheetReader: WorksheetReaderClass;
      Unzip: UnzipModule;
      iterateStream: <T>(stream: Readable) => AsyncGenerator<T>;
    }
  | undefined;

const excel = () =>
  (modules ??= {
    WorkbookXform: require('exceljs/lib/xlsx/xform/book/workbook-xform.js') as WorkbookXformClass,
    RelationshipsXform: require('exceljs/lib/xlsx/xform/core/relationships-xform.js') as RelationshipsXformClass,
    StylesXform: require('exceljs/lib/xlsx/xform/style/styles-xform.js') as StylesXformClass,
    WorksheetReader: require('exceljs/lib/stream/xlsx/worksheet-reader.js') as WorksheetReaderClass,
    Unzip: require('unzipper') as UnzipModule,
    iterateStream: require('exceljs/lib/utils/iterate-stream.js') as <T>(stream: Readable) => AsyncGenerator<T>,
  });

/** The zip walker exceljs uses (unzipper's Parse). */
export const unzipParser = () => excel().Unzip.Parse({ forceStream: true });
/** exceljs's way of iterating a zip walker: entries come as 'data' events. */
export const iterateStream = <T>(stream: Readable): AsyncGenerator<T> => excel().iterateStream<T>(stream);

/** exceljs's `ValueType.Formula` (checked against exceljs by the tests), without loading exceljs for it. */
export const FORMULA_CELL = 6;

/** The sheets xl/workbook.xml lists (tab order) and whether its dates count from 1904. */
export async function parseWorkbookPart(text: string): Promise<{ sheets: ListedSheet[]; date1904: boolean }> {
  const xform = new (excel().WorkbookXform)();
  await xform.parseStream([text]);
  return { sheets: xform.model?.sheets ?? [], date1904: xform.map.workbookPr.model?.date1904 === true };
}

export const parseRelationshipsPart = async (text: string): Promise<Relationship[]> =>
  (await new (excel().RelationshipsXform)().parseStream([text])) ?? [];

export async function parseStylesPart(text: string): Promise<Styles> {
  const styles = new (excel().StylesXform)();
  await styles.parseStream([text]);
  return styles;
}

/** The styles of a workbook without a styles part: exceljs's defaults. */
export const defaultStyles = (): Styles => new (excel().StylesXform)(true);

/** The rows of a sheet part, parsed as its text arrives; cells get their shared strings and number formats. */
export const sheetRows = (text: AsyncIterable<string>, book: { sharedStrings: string[]; styles: Styles; date1904: boolean }) =>
  new (excel().WorksheetReader)({
    workbook: { sharedStrings: book.sharedStrings, styles: book.styles, properties: { model: { date1904: book.date1904 } } },
    id: 1,
    iterator: text,
    options: { worksheets: 'emit', hyperlinks: 'ignore' },
  });

/**
 * A part's bytes as UTF-8 text with one decoder for the whole part, so a character split between two chunks stays
 * whole. (exceljs decodes each chunk on its own, which turns such a character into U+FFFD: its issues 2063, 2316.)
 */
export async function* utf8Text(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** A relationship target as a path under xl/: `/xl/a.xml`, `./a.xml` and `a.xml` alike. */
export const partOf = (target: string): string => target.replace(/^\/xl\//, '').replace(/^\.?\//, '');
