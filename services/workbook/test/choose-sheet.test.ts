import { describe, expect, it } from 'vitest';
import { chooseSheet, type WorkbookSheet } from '../src/index.js';

const sheet = (number: number, name: string, extra: Partial<WorkbookSheet> = {}): WorkbookSheet => ({
  name,
  number,
  hidden: false,
  worksheet: true,
  ...extra,
});

describe('chooseSheet', () => {
  const sheets = [sheet(1, 'Summary'), sheet(2, 'Data 2024'), sheet(3, '2')];

  it('takes the first visible worksheet without a sheet field', () => {
    expect(chooseSheet(sheets, null).name).toBe('Summary');
    const hiddenFirst = [sheet(1, 'Lookup', { hidden: true }), sheet(2, 'Chart', { worksheet: false }), sheet(3, 'Data')];
    expect(chooseSheet(hiddenFirst, null).name).toBe('Data');
  });

  it('finds a sheet by exact name, then by 1-based number, then by name ignoring case', () => {
    expect(chooseSheet(sheets, 'Data 2024').number).toBe(2);
    expect(chooseSheet(sheets, '1').name).toBe('Summary');
    expect(chooseSheet(sheets, '2').name).toBe('2');
    expect(chooseSheet(sheets, ' data 2024 ').number).toBe(2);
  });

  it('refuses an unknown sheet, naming the sheets there are', () => {
    expect(() => chooseSheet(sheets, 'Totals')).toThrow(
      expect.objectContaining({
        code: 'unknown_sheet',
        message: 'The workbook has no sheet "Totals"; its sheets are 1 "Summary", 2 "Data 2024", 3 "2"',
      }),
    );
    expect(() => chooseSheet(sheets, '4')).toThrow(expect.objectContaining({ code: 'unknown_sheet' }));
    expect(() => chooseSheet(sheets, '0')).toThrow(expect.objectContaining({ code: 'unknown_sheet' }));
  });

  it('refuses a chart sheet, and a workbook without worksheets', () => {
    const withChart = [sheet(1, 'Data'), sheet(2, 'Chart1', { worksheet: false })];
    expect(() => chooseSheet(withChart, 'Chart1')).toThrow(
      expect.objectContaining({ code: 'unknown_sheet', message: expect.stringContaining('holds no cells') }),
    );
    expect(() => chooseSheet([], null)).toThrow(expect.objectContaining({ code: 'malformed_xlsx' }));
  });
});
