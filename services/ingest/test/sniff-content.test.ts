import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workbookBytes, writeLargeWorkbook, zipBytes } from '@docprocessor/workbook/testing';
import { SNIFF_BYTES } from '../src/imports/upload-guard.js';
import { sniffContent, sniffFormat } from '../src/imports/sniff-content.js';
import { build, contactsCsv, storedObjectNames, upload, type Harness } from './helper.js';

/** What the upload guard sees of a file: its first SNIFF_BYTES. */
const head = (bytes: Buffer) => bytes.subarray(0, SNIFF_BYTES);
const sniff = (bytes: Buffer) => ({ refusal: sniffContent(head(bytes)), format: sniffFormat(head(bytes)) });

const CONTACTS = [
  ['id', 'email'],
  [1, 'ada@example.com'],
];

describe('sniffing an upload: CSV text, an .xlsx workbook, or a refusal', () => {
  let streamedWorkbook: Buffer;
  beforeAll(async () => {
    // exceljs's streaming writer stores the theme and the sheet first, with sizes after the data, and [Content_Types].xml late.
    const dir = mkdtempSync(join(tmpdir(), 'sniff-'));
    const path = join(dir, 'large.xlsx');
    await writeLargeWorkbook(path, ['id', 'note'], 5000, (n) => [n, `note ${n}`]);
    streamedWorkbook = readFileSync(path);
    rmSync(dir, { recursive: true });
  });

  it('takes CSV text for CSV, as before', () => {
    expect(sniff(Buffer.from(contactsCsv(3)))).toEqual({ refusal: null, format: 'csv' });
  });

  it('recognises a workbook by the parts under xl/ its first entries name', async () => {
    expect(sniff(await workbookBytes([{ name: 'Contacts', rows: CONTACTS }]))).toEqual({ refusal: null, format: 'xlsx' });
    expect(sniff(streamedWorkbook)).toEqual({ refusal: null, format: 'xlsx' });
    const macroEnabled = await zipBytes({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>', 'xl/vbaProject.bin': 'x' });
    expect(sniff(macroEnabled).format).toBe('xlsx');
  });

  it('reads past entries whose sizes come after their data', async () => {
    const props = { '_rels/.rels': '<Relationships/>', 'docProps/core.xml': `<cp:coreProperties>${'x'.repeat(2000)}</cp:coreProperties>` };
    const workbook = await zipBytes({ ...props, 'xl/workbook.xml': '<workbook/>', '[Content_Types].xml': '<Types/>' }, { streamed: true });
    expect(sniff(workbook)).toEqual({ refusal: null, format: 'xlsx' });
    const document = await zipBytes({ ...props, 'word/document.xml': '<w:document/>', 'xl/stray.xml': '<x/>' }, { streamed: true });
    expect(sniff(document).refusal).toMatch(/Word/);
  });

  it.each([
    ['a Word document', { '[Content_Types].xml': '<Types/>', '_rels/.rels': '<Rels/>', 'word/document.xml': '<w:document/>' }, /Word/],
    ['a PowerPoint deck', { '[Content_Types].xml': '<Types/>', 'ppt/presentation.xml': '<p:presentation/>' }, /PowerPoint/],
    ['a binary workbook', { '[Content_Types].xml': '<Types/>', 'xl/workbook.bin': 'binary' }, /\.xlsb/],
    ['an OpenDocument spreadsheet', { mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<x/>' }, /OpenDocument/],
    ['a plain ZIP of CSV files', { 'export/contacts.csv': contactsCsv(3), 'export/readme.txt': 'hello' }, /ZIP archive/],
    ['a ZIP naming only [Content_Types].xml', { '[Content_Types].xml': '<Types/>', 'other/part.xml': '<x/>' }, /ZIP archive/],
  ])('refuses %s, naming it', async (_, entries, named) => {
    const { refusal, format } = sniff(await zipBytes(entries));
    expect(refusal).toMatch(named);
    expect(format).toBe('csv');
  });

  it('refuses ZIP magic followed by garbage', () => {
    const fake = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('[Content_Types].xml'), Buffer.alloc(64, 2)]);
    expect(sniffContent(fake)).toMatch(/ZIP archive/);
    expect(sniffContent(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toMatch(/ZIP archive/);
  });
});

describe('uploads of workbooks and other ZIP files', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await build();
  });
  afterAll(() => h.close());

  it('accepts an .xlsx workbook, whatever it is called', async () => {
    const res = await upload(h, await workbookBytes([{ name: 'Contacts', rows: CONTACTS }]));
    expect(res.statusCode).toBe(202);
  });

  it.each([
    ['a .docx', { '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }],
    ['a ZIP', { 'contacts.csv': contactsCsv(3) }],
  ])('refuses %s with 415 and keeps nothing', async (_, entries) => {
    const before = await storedObjectNames(h);
    const res = await upload(h, await zipBytes(entries));
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
    expect(await storedObjectNames(h)).toEqual(before);
  });
});
