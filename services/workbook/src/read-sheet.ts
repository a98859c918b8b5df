import { ReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { AppError } from '@docprocessor/contracts';
import { cellText } from './cell-text.js';
import { chooseSheet, type WorkbookSheet } from './choose-sheet.js';
import { FORMULA_CELL, WorkbookReader, type ExcelRow, type WorksheetSource } from './workbook-reader.js';

export interface SheetOptions {
  /** The `sheet` field: a name or a 1-based number; null for the first visible worksheet. */
  sheet: string | null;
  /** Rows per group handed on (default 256). */
  groupRows?: number;
}

export interface SheetSource {
  /** The chosen sheet's rows as cell texts, in groups: blank rows left out, trailing empty cells cut, gaps ''. */
  rows: AsyncGenerator<string[][]>;
  /** The workbook's sheets, in tab order, and the chosen one: known once the first row is read. */
  readonly sheets: readonly WorkbookSheet[];
  readonly chosen: WorkbookSheet | null;
  /**
   * How much of the chosen sheet is read (0 to 1) when exceljs spooled it to a file, or null when its rows are read
   * straight from the zip (then the bytes read of the stream tell how far it is). A spooled sheet's rows start only
   * once the whole stream is read, so its bytes alone would show it done from its first row.
   */
  spooledFraction(): number | null;
}

interface ReadState {
  sheets: WorkbookSheet[];
  chosen: WorkbookSheet | null;
  spool: { file: ReadStream; size: number } | null;
}

/**
 * Reads one sheet of an .xlsx workbook from a stream, in flat memory: rows are parsed as the sheet's part is
 * unpacked, and only the shared-string table is held. A workbook that stores its sheets before that table (Excel
 * does) has them spooled to a temporary file by exceljs first, removed once read or skipped. The stream is not
 * destroyed here; a workbook that cannot be read fails with `malformed_xlsx`, the stream's own errors as they are.
 */
export function readSheet(file: Readable, options: SheetOptions): SheetSource {
  const state: ReadState = { sheets: [], chosen: null, spool: null };
  return {
    rows: readRows(file, options, state),
    get sheets() {
      return state.sheets;
    },
    get chosen() {
      return state.chosen;
    },
    spooledFraction: () => (state.spool ? Math.min(1, state.spool.file.bytesRead / Math.max(1, state.spool.size)) : null),
  };
}

/**
 * The stream's own failure, delivered to the step in flight: exceljs pipes the stream on and never hears of its
 * errors, so every step waits on both. (Racing each step against one long-lived promise would keep every step's
 * value alive until that promise settles: a leak of every row.)
 */
function failureOf(file: Readable) {
  let error: unknown;
  let interrupt: ((error: unknown) => void) | null = null;
  const onError = (cause: unknown) => {
    error ??= cause;
    interrupt?.(error);
  };
  // A stream that closes before its end (and without an error) would leave exceljs waiting for the rest.
  const onClose = () => {
    if (!file.readableEnded) onError(new Error('The file stream closed before its end'));
  };
  file.on('error', onError).on('close', onClose);
  if (file.errored) onError(file.errored);
  return {
    get error() {
      return error;
    },
    step<T>(step: Promise<T>): Promise<T> {
      if (error !== undefined) return Promise.reject(error);
      return new Promise<T>((resolve, reject) => {
        interrupt = reject;
        step.then(resolve, reject);
      });
    },
    stop: () => file.off('error', onError).off('close', onClose),
  };
}

/** The sheets the workbook lists, in tab order: known once exceljs has read xl/workbook.xml and its relationships. */
const sheetsOf = (reader: WorkbookReader): WorkbookSheet[] =>
  reader.listedSheets().map((s, i) => ({
    name: s.name,
    number: i + 1,
    hidden: s.state === 'hidden' || s.state === 'veryHidden',
    worksheet: s.part.startsWith('worksheets/'),
  }));

/** Passes over the worksheets exceljs finds until the chosen one, reads its rows, and leaves nothing behind. */
async function* readRows(file: Readable, options: SheetOptions, state: ReadState) {
  const reader = new WorkbookReader(file);
  const failure = failureOf(file);
  const worksheets = reader[Symbol.asyncIterator]();
  let lastSeen: WorksheetSource | null = null;
  let settled = true;
  const next = async <T>(step: Promise<T>): Promise<T> => {
    settled = false;
    const value = await failure.step(step);
    settled = true;
    return value;
  };
  try {
    for (let step = await next(worksheets.next()); !step.done; step = await next(worksheets.next())) {
      const worksheet = (lastSeen = step.value);
      if (!state.chosen) {
        state.sheets = sheetsOf(reader);
        state.chosen = chooseSheet(state.sheets, options.sheet);
      }
      const chosen = reader.listedSheets()[state.chosen.number - 1];
      if (worksheet.part !== chosen?.part) {
        worksheet.source.destroy?.(); // a spooled sheet nobody reads: its file closes, and exceljs removes it
        continue;
      }
      if (worksheet.source instanceof ReadStream) state.spool = { file: worksheet.source, size: statSync(worksheet.source.path).size };
      yield* groupedRows(worksheet, reader.date1904, next, options.groupRows ?? 256);
      return;
    }
    if (!state.chosen) throw new AppError('malformed_xlsx', 'The file has no worksheet: is it an .xlsx workbook?');
    throw new AppError('malformed_xlsx', `Sheet ${state.chosen.number} "${state.chosen.name}" has no part this reader can read`);
  } catch (error) {
    if (error instanceof AppError || error === failure.error) throw error;
    throw new AppError('malformed_xlsx', `The workbook cannot be read: ${(error as Error).message}`, { cause: error });
  } finally {
    failure.stop();
    if (settled) await release(worksheets, lastSeen, file);
  }
}

async function* groupedRows(worksheet: WorksheetSource, date1904: boolean, next: <T>(step: Promise<T>) => Promise<T>, size: number) {
  const rows = worksheet[Symbol.asyncIterator]();
  let group: string[][] = [];
  for (let step = await next(rows.next()); !step.done; step = await next(rows.next())) {
    const texts = rowTexts(step.value, date1904);
    if (texts.length === 0) continue;
    group.push(texts);
    if (group.length >= size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}

/** A row's cells as texts at their column positions: gaps '', nothing after the last cell with text. */
function rowTexts(row: ExcelRow, date1904: boolean): string[] {
  const texts: string[] = [];
  row.eachCell((cell, column) => {
    const value = cell.type === FORMULA_CELL ? { result: cell.result } : cell.value;
    const text = cellText(value, cell.numFmt, date1904);
    if (text === '') return;
    while (texts.length < column - 1) texts.push('');
    texts[column - 1] = text;
  });
  return texts;
}

/**
 * Leaves nothing behind once the rows end or are abandoned. Sheets exceljs spooled are read from temporary files
 * after the whole zip: then the rest of its steps are cheap, and each removes a file. Before that (a sheet read
 * straight from the zip), the rest of the zip is left unread and unpiped, for the caller to drain or destroy.
 */
async function release(worksheets: AsyncIterator<WorksheetSource>, lastSeen: WorksheetSource | null, file: Readable): Promise<void> {
  if (lastSeen?.source instanceof ReadStream) {
    lastSeen.source.destroy();
    for (let step = await worksheets.next(); !step.done; step = await worksheets.next()) step.value.source.destroy?.();
    return;
  }
  await worksheets.return?.();
  file.unpipe();
}
