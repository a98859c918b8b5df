import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSheet } from '../src/index.js';
import { PARTS_BEFORE_SHEETS, reorderedParts, workbookBytes, writeLargeWorkbook, zipBytes, type TestSheet } from '../src/testing.js';

/** The bytes in pieces of `size`, as a stream from the store delivers them. */
const stream = (bytes: Buffer, size = 64 * 1024) =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));

async function readAll(bytes: Buffer, sheet: string | null = null) {
  const source = readSheet(stream(bytes), { sheet });
  const rows: string[][] = [];
  for await (const group of source.rows) rows.push(...group);
  return { rows, sheets: source.sheets, chosen: source.chosen };
}

const TYPED: TestSheet = {
  name: 'Contacts',
  formats: { 3: 'yyyy-mm-dd', 4: 'dd/mm/yyyy hh:mm', 8: 'h:mm' },
  rows: [
    ['id', 'name', 'signup', 'seen', 'amount', 'active', 'total', 'at'],
    [
      1,
      { richText: [{ text: 'Ada ' }, { font: { bold: true }, text: 'Lovelace' }] },
      new Date(Date.UTC(2024, 0, 31)),
      new Date(Date.UTC(2024, 0, 31, 10, 30)),
      12.5,
      true,
      { formula: 'E2*2', result: 25 },
      new Date(Date.UTC(1899, 11, 30, 9, 15)),
    ],
    [2, 'Alan', null, new Date(Date.UTC(2024, 1, 1)), 1e21, false, { formula: 'E3*0', result: 0 }],
    [],
    [3, null, new Date(Date.UTC(1999, 11, 31)), null, 0.1 + 0.2, null, { formula: '1/0', result: { error: '#DIV/0!' } }, null],
    [4, 'Grace', null, null, -7, null, { error: '#N/A' }],
  ],
};

describe('readSheet', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'workbook-test-'));
  const previousTmp = process.env.TMPDIR;
  /** What spooled sheets left in the temporary directory (nothing, once a read has ended). */
  const spooled = () => readdirSync(scratch);
  const noneSpooled = () => expect(spooled()).toEqual([]);
  beforeAll(() => {
    process.env.TMPDIR = scratch; // where sheets are spooled: each test checks none is left
  });
  afterAll(() => {
    process.env.TMPDIR = previousTmp;
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reads typed cells as the texts the validators accept, leaving blank rows out and empty cells empty', async () => {
    const { rows } = await readAll(await workbookBytes([TYPED]));
    expect(rows).toEqual([
      ['id', 'name', 'signup', 'seen', 'amount', 'active', 'total', 'at'],
      ['1', 'Ada Lovelace', '2024-01-31', '2024-01-31T10:30:00.000Z', '12.5', 'true', '25', '09:15:00'],
      ['2', 'Alan', '', '2024-02-01T00:00:00.000Z', '1000000000000000000000', 'false', '0'],
      ['3', '', '1999-12-31', '', '0.3'],
      ['4', 'Grace', '', '', '-7'],
    ]);
    await noneSpooled();
  });

  it('reads dates of a workbook in the 1904 date system', async () => {
    const sheet: TestSheet = { name: 'Mac', formats: { 1: 'yyyy-mm-dd' }, rows: [['day'], [new Date(Date.UTC(2024, 0, 31))]] };
    const bytes = await workbookBytes([sheet], { date1904: true });
    expect((await readAll(bytes)).rows).toEqual([['day'], ['2024-01-31']]);
  });

  describe('with two sheets', () => {
    const sheets: TestSheet[] = [
      { name: 'Summary', rows: [['total'], [2]] },
      {
        name: 'Data',
        rows: [
          ['sku', 'qty'],
          ['A-1', 3],
          ['B-2', 4],
        ],
      },
    ];

    it('reads the first by default, and either by name or by number', async () => {
      const bytes = await workbookBytes(sheets);
      const first = await readAll(bytes);
      expect(first.rows).toEqual([['total'], ['2']]);
      expect(first.sheets.map((s) => s.name)).toEqual(['Summary', 'Data']);
      expect(first.chosen).toMatchObject({ name: 'Summary', number: 1 });
      const data = [
        ['sku', 'qty'],
        ['A-1', '3'],
        ['B-2', '4'],
      ];
      expect((await readAll(bytes, 'Data')).rows).toEqual(data);
      expect((await readAll(bytes, 'data')).rows).toEqual(data);
      expect((await readAll(bytes, '2')).rows).toEqual(data);
      await noneSpooled();
    });

    it('refuses an unknown sheet, naming the sheets there are', async () => {
      const bytes = await workbookBytes(sheets);
      await expect(readAll(bytes, 'Totals')).rejects.toMatchObject({
        code: 'unknown_sheet',
        message: 'The workbook has no sheet "Totals"; its sheets are 1 "Summary", 2 "Data"',
      });
      await expect(readAll(bytes, '3')).rejects.toMatchObject({ code: 'unknown_sheet' });
      await noneSpooled();
    });

    it('passes over a hidden first sheet by default', async () => {
      const bytes = await workbookBytes([{ ...sheets[0]!, hidden: true }, sheets[1]!]);
      expect((await readAll(bytes)).chosen).toMatchObject({ name: 'Data', number: 2 });
      expect((await readAll(bytes, '1')).rows).toEqual([['total'], ['2']]);
    });
  });

  describe('keeps characters whole across the chunks a part is unpacked in', () => {
    const names = Array.from({ length: 4000 }, (_, i) => `Zoë Ångström 中文テスト №${i} ✓`);
    const notes = names.map((_, i) => `${'é'.repeat(100 + (i % 50))}ß`); // mostly 2-byte characters: every chunk boundary splits one
    const expectRows = (rows: string[][]) => {
      expect(rows.slice(1).map((r) => r[0])).toEqual(names);
      expect(rows.slice(1).map((r) => r[1])).toEqual(notes);
    };

    it('in the shared strings', { timeout: 30_000 }, async () => {
      const bytes = await workbookBytes([{ name: 'Ünïcødé', rows: [['name', 'note'], ...names.map((n, i) => [n, notes[i]])] }]);
      const { rows, chosen } = await readAll(bytes);
      expect(chosen?.name).toBe('Ünïcødé');
      expectRows(rows);
    });

    it('in a sheet of inline strings', { timeout: 30_000 }, async () => {
      const path = join(scratch, 'inline.xlsx');
      await writeLargeWorkbook(path, ['name', 'note'], names.length, (n) => [names[n - 1], notes[n - 1]], { inlineStrings: true });
      const bytes = readFileSync(path);
      rmSync(path);
      expectRows((await readAll(bytes)).rows);
    });
  });

  it("reads a Japanese entry's text, not its phonetic guide", async () => {
    const zip = await JSZip.loadAsync(await workbookBytes([{ name: 'JP', rows: [['city'], ['placeholder']] }]));
    const xml = await zip.file('xl/sharedStrings.xml')!.async('string');
    zip.file(
      'xl/sharedStrings.xml',
      xml.replace(
        /<si><t>placeholder<\/t><\/si>/,
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>',
      ),
    );
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect((await readAll(bytes)).rows).toEqual([['city'], ['東京']]);
  });

  it('reads a workbook whose shared strings come before its sheets straight from the zip, and can stop early', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [i + 1, `name ${i + 1}`]);
    const bytes = await reorderedParts(await workbookBytes([{ name: 'Data', rows: [['id', 'name'], ...rows] }]), PARTS_BEFORE_SHEETS);
    expect((await readAll(bytes)).rows).toHaveLength(20_001);
    const file = stream(bytes, 4096);
    const source = readSheet(file, { sheet: null, groupRows: 10 });
    for await (const group of source.rows) {
      expect(group[1]).toEqual(['1', 'name 1']);
      break;
    }
    expect(file.readableEnded).toBe(false); // the rest was never unpacked
    file.destroy();
    await noneSpooled();
  }, 30_000);

  it('removes the spooled sheets when the reader stops early', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [i + 1, `name ${i + 1}`]);
    const bytes = await workbookBytes([
      { name: 'Data', rows: [['id', 'name'], ...rows] },
      { name: 'More', rows: [['id'], [1]] },
    ]);
    const source = readSheet(stream(bytes), { sheet: null, groupRows: 10 });
    for await (const group of source.rows) {
      expect(group).toHaveLength(10);
      break;
    }
    await noneSpooled();
  });

  it('refuses a workbook that unpacks to more than 100 times its size, spooled or not', async () => {
    const sheet: TestSheet = { name: 'Bomb', rows: Array.from({ length: 300 }, (_, i) => [i, `${i} ${'x'.repeat(30_000)}`]) };
    const packed = await workbookBytes([sheet]);
    for (const bytes of [packed, await reorderedParts(packed, PARTS_BEFORE_SHEETS)]) {
      const source = readSheet(stream(bytes), { sheet: null, unpackedFloorBytes: 256 * 1024 });
      const reading = (async () => {
        for await (const group of source.rows) expect(group.length).toBeGreaterThan(0);
      })();
      await expect(reading).rejects.toMatchObject({ code: 'malformed_xlsx', message: expect.stringContaining('ZIP bomb') });
    }
    expect((await readAll(packed)).rows).toHaveLength(300);
    await noneSpooled();
  });

  it('removes what it spooled when the workbook breaks after its sheets', async () => {
    const bytes = await workbookBytes([TYPED, { name: 'Second', rows: [['a'], ['b']] }]);
    const corrupt = Buffer.concat([bytes.subarray(0, bytes.length - 200), Buffer.alloc(200, 0x42)]); // the last parts broken
    await expect(readAll(corrupt)).rejects.toMatchObject({ code: 'malformed_xlsx' });
    await noneSpooled();
  });

  describe('refuses what is not a readable workbook with malformed_xlsx', () => {
    it.each([
      ['text', async () => Buffer.from('id,name\n1,Ada\n')],
      ['a ZIP without worksheets (.docx)', () => zipBytes({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' })],
      ['a truncated workbook', async () => (await workbookBytes([TYPED])).subarray(0, 3000)],
    ])('%s', async (_, make) => {
      await expect(readAll(await make())).rejects.toMatchObject({ code: 'malformed_xlsx', kind: 'validation' });
    });
  });

  it("passes the stream's own error on as it is, for the caller to retry", async () => {
    const bytes = await workbookBytes([TYPED]);
    const file = new PassThrough();
    const source = readSheet(file, { sheet: null });
    file.write(bytes.subarray(0, 2000));
    const failure = new Error('object store unreachable');
    setTimeout(() => file.destroy(failure), 20);
    await expect(source.rows.next()).rejects.toBe(failure);
  });
});
