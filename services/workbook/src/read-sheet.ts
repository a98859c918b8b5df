import { createReadStream, type ReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '@docprocessor/contracts';
import { cellText } from './cell-text.js';
import type { WorkbookSheet } from './choose-sheet.js';
import { FORMULA_CELL, sheetRows, utf8Text, type ExcelRow } from './excel-parts.js';
import { readWorkbookParts, type Book } from './workbook-parts.js';
import { UNPACKED_FLOOR, unzip } from './zip-walk.js';

export interface SheetOptions {
  /** The `sheet` field: a name or a 1-based number; null for the first visible worksheet. */
  sheet: string | null;
  /** Rows per group handed on (default 256). */
  groupRows?: number;
  /** The unpacked bytes always allowed, whatever the ratio to the packed ones (default 1 GiB). */
  unpackedFloorBytes?: number;
}

export interface SheetSource {
  /** The chosen sheet's rows as cell texts, in groups: blank rows left out, trailing empty cells cut, gaps ''. */
  rows: AsyncGenerator<string[][]>;
  /** The workbook's sheets, in tab order, and the chosen one: known once the first row is read. */
  readonly sheets: readonly WorkbookSheet[];
  readonly chosen: WorkbookSheet | null;
  /**
   * How much of the chosen sheet is read (0 to 1) when it had to be spooled to a file, or null when its rows are read
   * straight from the zip (then the bytes read of the stream tell how far it is). A spooled sheet's rows start only
   * once the whole stream is read, so its bytes alone would show it done from its first row.
   */
  spooledFraction(): number | null;
}

export interface ReadState {
  sheets: WorkbookSheet[];
  chosen: WorkbookSheet | null;
  spool: { file: ReadStream; size: number } | null;
}

/**
 * Reads one sheet of an .xlsx workbook from a stream, in flat memory: the zip is walked as it arrives, and the rows
 * of the chosen sheet are parsed as its part is unpacked; only the shared-string table is held. A sheet stored before
 * what reading it needs (Excel writes the shared strings after the sheets) is spooled to a temporary file first,
 * removed however reading ends. A workbook that cannot be read, or that unpacks to more than 100 times its size
 * (1 GiB at least), fails with `malformed_xlsx`; the stream's own errors are passed on as they are. The stream is
 * never destroyed here: when reading stops early, it is unpiped for the caller to drain or destroy.
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

/** Walks the zip for the workbook's parts and the chosen sheet, reads its rows, and leaves nothing behind. */
async function* readRows(file: Readable, options: SheetOptions, state: ReadState): AsyncGenerator<string[][]> {
  const unzipped = unzip(file, options.unpackedFloorBytes ?? UNPACKED_FLOOR);
  let spoolDir: string | null = null;
  const spoolTo = async () => (spoolDir ??= await mkdtemp(join(tmpdir(), 'docprocessor-xlsx-')));
  try {
    const found = await readWorkbookParts(unzipped, options.sheet, state, spoolTo);
    const { book } = found;
    if ('straight' in found) return yield* groupedRows(sheetRows(utf8Text(found.straight), book), book, options);
    const spooled = createReadStream(found.spooled);
    state.spool = { file: spooled, size: (await stat(found.spooled)).size };
    yield* groupedRows(sheetRows(utf8Text(spooled), book), book, options);
  } catch (error) {
    if (error instanceof AppError || error === unzipped.walk.failure) throw error;
    throw new AppError('malformed_xlsx', `The workbook cannot be read: ${(error as Error).message}`, { cause: error });
  } finally {
    unzipped.stop();
    state.spool?.file.destroy();
    if (spoolDir) await rm(spoolDir, { recursive: true, force: true });
  }
}

async function* groupedRows(rows: AsyncIterable<ExcelRow>, book: Book, options: SheetOptions): AsyncGenerator<string[][]> {
  const size = options.groupRows ?? 256;
  let group: string[][] = [];
  for await (const row of rows) {
    const texts = rowTexts(row, book.date1904);
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
