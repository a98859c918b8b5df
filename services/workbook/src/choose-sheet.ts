import { AppError } from '@docprocessor/contracts';

/** A sheet as the workbook lists it, in tab order. */
export interface WorkbookSheet {
  name: string;
  /** 1-based position in the workbook's tab order, hidden sheets included. */
  number: number;
  hidden: boolean;
  /** Whether it is a worksheet (cells), not a chart sheet or a dialog. */
  worksheet: boolean;
}

const describe = (sheets: readonly WorkbookSheet[]) =>
  sheets.map((s) => `${s.number} "${s.name}"${s.hidden ? ' (hidden)' : ''}${s.worksheet ? '' : ' (no cells)'}`).join(', ');

/**
 * The sheet an upload's `sheet` field names: without one, the first visible worksheet; else a sheet of exactly that
 * name, else the sheet at that 1-based position, else the one name that matches ignoring case. A name wins over a
 * number, so a sheet called "2" is found by its name. Anything else is refused, naming the sheets there are.
 */
export function chooseSheet(sheets: readonly WorkbookSheet[], requested: string | null): WorkbookSheet {
  if (requested === null) {
    const first = sheets.find((s) => s.worksheet && !s.hidden) ?? sheets.find((s) => s.worksheet);
    if (first) return first;
    const why = sheets.length ? `The workbook has no worksheet with cells: ${describe(sheets)}` : 'The workbook lists no sheets';
    throw new AppError('malformed_xlsx', why);
  }
  const wanted = requested.trim();
  const lower = wanted.toLowerCase();
  const chosen =
    sheets.find((s) => s.name === requested) ??
    (/^\d+$/.test(wanted) ? sheets[Number(wanted) - 1] : undefined) ??
    sheets.find((s) => s.name.trim().toLowerCase() === lower);
  if (!chosen) {
    throw new AppError('unknown_sheet', `The workbook has no sheet "${requested}"; its sheets are ${describe(sheets) || 'none'}`);
  }
  if (!chosen.worksheet) {
    const why = `Sheet ${chosen.number} "${chosen.name}" holds no cells (a chart sheet?); its sheets are ${describe(sheets)}`;
    throw new AppError('unknown_sheet', why);
  }
  return chosen;
}
