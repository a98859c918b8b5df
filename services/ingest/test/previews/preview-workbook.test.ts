import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Preview } from '@docprocessor/contracts';
import { PARTS_BEFORE_SHEETS, reorderedParts, workbookBytes, type TestSheet } from '@docprocessor/workbook/testing';
import { previewWorkbook } from '../../src/previews/preview-workbook.js';

const stream = (bytes: Buffer, size = 16 * 1024) =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));

const day = (d: number) => new Date(Date.UTC(2024, 0, d));
const CONTACTS: TestSheet = {
  name: 'Contacts',
  formats: { 4: 'yyyy-mm-dd', 5: 'yyyy-mm-dd hh:mm' },
  rows: [
    ['id', 'email', 'name', 'signup', 'last seen', 'amount', 'active', 'code'],
    ...Array.from({ length: 50 }, (_, i) => [
      i + 1,
      `user${i + 1}@example.com`,
      i % 7 === 3 ? null : `Name ${i + 1}`,
      day(1 + i),
      new Date(Date.UTC(2024, 1, 1 + (i % 28), i % 24, 15)),
      i % 2 ? 12.5 + i : i,
      i % 3 === 0,
      { formula: `"C-"&A${i + 2}`, result: `C-${i + 1}` },
    ]),
  ],
};

describe('previewWorkbook', () => {
  it('gives the header, 20 rows and the types the typed cells show', async () => {
    const bytes = await workbookBytes([{ name: 'Notes', rows: [['note'], ['hello']] }, CONTACTS]);
    const preview = await previewWorkbook(stream(bytes), { sheet: 'Contacts' });
    expect(Preview.parse(preview)).toBeTruthy();
    expect(preview.dialect).toEqual({ encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnd: '\n' });
    expect(preview.sheet).toMatchObject({ name: 'Contacts', number: 2 });
    expect(preview.sheets.map((s) => s.name)).toEqual(['Notes', 'Contacts']);
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[0]).toEqual(['1', 'user1@example.com', 'Name 1', '2024-01-01', '2024-02-01T00:15:00.000Z', '0', 'true', 'C-1']);
    expect(preview.rows[3]).toEqual(['4', 'user4@example.com', '', '2024-01-04', '2024-02-04T03:15:00.000Z', '15.5', 'true', 'C-4']);
    const types = Object.fromEntries(preview.columns.map((c) => [c.header, [c.type, c.nullable]]));
    expect(types).toEqual({
      id: ['integer', false],
      email: ['email', false],
      name: ['string', true],
      signup: ['date', false],
      'last seen': ['timestamp', false],
      amount: ['decimal', false],
      active: ['boolean', false],
      code: ['string', false],
    });
    expect(preview.columns.find((c) => c.header === 'signup')?.formats).toContain('YYYY-MM-DD');
    expect(preview.columns.find((c) => c.header === 'last seen')?.formats).toEqual(['ISO']);
  });

  it('pads short rows and names columns past the header', async () => {
    const bytes = await workbookBytes([{ name: 'Ragged', rows: [['a', '', 'c'], [1], [2, 'x', 3, 'extra']] }]);
    const preview = await previewWorkbook(stream(bytes), { sheet: null });
    expect(preview.columns.map((c) => c.header)).toEqual(['a', 'column2', 'c', 'column4']);
    expect(preview.rows).toEqual([
      ['1', '', '', ''],
      ['2', 'x', '3', 'extra'],
    ]);
  });

  it('stops reading once it has its rows', async () => {
    const big: TestSheet = { name: 'Big', rows: [['id', 'name'], ...Array.from({ length: 20_000 }, (_, i) => [i + 1, `name ${i + 1}`])] };
    const file = stream(await reorderedParts(await workbookBytes([big]), PARTS_BEFORE_SHEETS), 4096);
    const preview = await previewWorkbook(file, { sheet: null });
    expect(preview.rows.at(-1)).toEqual(['20', 'name 20']);
    expect(file.readableEnded).toBe(false);
    file.destroy();
  }, 30_000);

  it('refuses an unknown sheet, naming the sheets there are', async () => {
    const bytes = await workbookBytes([CONTACTS]);
    await expect(previewWorkbook(stream(bytes), { sheet: 'Orders' })).rejects.toMatchObject({
      code: 'unknown_sheet',
      message: 'The workbook has no sheet "Orders"; its sheets are 1 "Contacts"',
    });
  });

  it('refuses a file that is not a workbook', async () => {
    const csv = stream(Buffer.from('id,name\n1,Ada\n'));
    await expect(previewWorkbook(csv, { sheet: null })).rejects.toMatchObject({ code: 'malformed_xlsx' });
  });
});
