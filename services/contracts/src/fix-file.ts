import { normalizeHeaderName } from './templates/header.js';

/**
 * errors.csv, and a fix made from it: the file's own header, then these two columns. `_row` says which failed row a
 * line corrects (1-based data row, as in the errors routes); `_errors` says what was wrong, and a fix ignores it.
 */
export const FIX_ROW_COLUMN = '_row';
export const FIX_ERRORS_COLUMN = '_errors';

// OWASP CSV injection: a cell a spreadsheet would read as a formula gets a leading quote. A cell that starts with a
// quote gets one too, so that a fix can take exactly one off again and every cell comes back as the file had it.
const FORMULA_START = /^[=+\-@\t\r']/;
const GUARDED = /^'[=+\-@\t\r']/;

/** A cell as errors.csv writes it: safe to open in a spreadsheet. */
export const guardCell = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** A cell of a fix as the file had it: errors.csv's guard taken off again. */
export const unguardCell = (text: string): string => (GUARDED.test(text) ? text.slice(1) : text);

/** Where a fix file's columns are: the import file's columns in its order, and `_row`. */
export interface FixLayout {
  /** For each column of the import's file, its place in the fix file. */
  positions: number[];
  rowIndex: number;
}

/** One line of a fix: the failed row it corrects, and its cells under the import file's header. */
export interface FixLine {
  row: number;
  cells: string[];
}

const listed = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * Matches a fix file's header to the import file's: the same names (compared as headers are, case and spaces
 * aside), in any order, plus `_row` and optionally `_errors`. A string says what differs, for a person.
 */
export function matchFixHeader(fileHeader: readonly string[], fixHeader: readonly string[]): FixLayout | string {
  const names = fixHeader.map(normalizeHeaderName);
  // The two columns errors.csv appends are its last ones; a file column of the same name would come before them.
  const rowIndex = names.lastIndexOf(FIX_ROW_COLUMN);
  if (rowIndex === -1)
    return (
      `The fix has no "${FIX_ROW_COLUMN}" column: keep the "${FIX_ROW_COLUMN}" column of errors.csv, ` +
      'it says which failed row each line corrects'
    );
  const errorsIndex = names.lastIndexOf(FIX_ERRORS_COLUMN);
  const unused = new Set(names.keys());
  unused.delete(rowIndex);
  if (errorsIndex > rowIndex) unused.delete(errorsIndex);
  const positions: number[] = [];
  const missing: string[] = [];
  for (const name of fileHeader) {
    const at = [...unused].find((i) => names[i] === normalizeHeaderName(name));
    if (at === undefined) missing.push(name);
    else {
      positions.push(at);
      unused.delete(at);
    }
  }
  const extra = [...unused].map((i) => fixHeader[i]!);
  if (missing.length === 0 && extra.length === 0) return { positions, rowIndex };
  const parts = [missing.length > 0 ? `it lacks ${listed(missing)}` : '', extra.length > 0 ? `it has ${listed(extra)} too` : ''].filter(
    Boolean,
  );
  const expected = `a fix has the file's own header, then "${FIX_ROW_COLUMN}" and optionally "${FIX_ERRORS_COLUMN}", as errors.csv does`;
  return `The fix's header is not the imported file's: ${parts.join(' and ')} (${expected})`;
}

/**
 * A line of a fix file under its layout: null for a line with no cells and no row (a blank line, or errors.csv's
 * note on errors it did not store), a string saying what is wrong for a person, else the row and its cells.
 */
export function readFixLine(layout: FixLayout, record: readonly string[], line: number): FixLine | null | string {
  const cells = layout.positions.map((at) => unguardCell(record[at] ?? ''));
  const rowText = (record[layout.rowIndex] ?? '').trim();
  if (rowText === '')
    return cells.every((c) => c === '')
      ? null
      : `Line ${line} of the fix has no "${FIX_ROW_COLUMN}": it must say which failed row it corrects`;
  if (!/^\d{1,15}$/.test(rowText) || Number(rowText) < 1)
    return `Line ${line} of the fix has "${FIX_ROW_COLUMN}" "${rowText.slice(0, 40)}", which is not a row number`;
  return { row: Number(rowText), cells };
}
