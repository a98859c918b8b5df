import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { readCsv, type CsvOptions } from './read-csv.js';

const spectrum = dirname(createRequire(import.meta.url).resolve('csv-spectrum/package.json'));
// csv-spectrum's expected JSON for this file disagrees with its own CSV on one value.
const FIXTURE_ERRATA: Record<string, Record<string, string>> = {
  'location_coordinates.csv': { 'Contact Phone Number': '2095257564' },
};
const UTF8: CsvOptions = { encoding: 'utf-8', delimiter: ',', maxRowBytes: 1 << 20 };

async function recordsOf(bytes: Buffer | string, options: CsvOptions = UTF8, chunkSize = 7): Promise<string[][]> {
  const buffer = Buffer.from(bytes);
  // Small chunks put chunk edges inside quotes, CRLFs and multi-byte characters.
  const chunks = Array.from({ length: Math.ceil(buffer.length / chunkSize) }, (_, i) =>
    buffer.subarray(i * chunkSize, (i + 1) * chunkSize),
  );
  const out: string[][] = [];
  for await (const records of readCsv(Readable.from(chunks), options).records) out.push(...records);
  return out;
}

describe('readCsv on the csv-spectrum corpus', () => {
  for (const file of readdirSync(join(spectrum, 'csvs'))) {
    it(`reads ${file} as csv-spectrum expects`, async () => {
      const parsed = JSON.parse(readFileSync(join(spectrum, 'json', file.replace('.csv', '.json')), 'utf8')) as
        | Record<string, string>
        | Record<string, string>[];
      const expected = (Array.isArray(parsed) ? parsed : [parsed]).map((row) => ({ ...row, ...FIXTURE_ERRATA[file] }));
      const [header, ...rows] = await recordsOf(readFileSync(join(spectrum, 'csvs', file)));
      expect(rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]])))).toEqual(expected);
    });
  }
});

describe('readCsv dialects', () => {
  it('drops a UTF-8 BOM and reads CRLF line ends', async () => {
    expect(await recordsOf('\uFEFFa,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads UTF-16 LE and BE with their BOM, and Windows-1252', async () => {
    const text = 'name;city\nZoë;Zürich\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]);
    const expected = [
      ['name', 'city'],
      ['Zoë', 'Zürich'],
    ];
    expect(await recordsOf(le, { ...UTF8, encoding: 'utf-16le', delimiter: ';' })).toEqual(expected);
    expect(await recordsOf(be, { ...UTF8, encoding: 'utf-16be', delimiter: ';' })).toEqual(expected);
    expect(await recordsOf(iconv.encode(text, 'windows-1252'), { ...UTF8, encoding: 'windows-1252', delimiter: ';' })).toEqual(expected);
  });

  it('reads tab- and pipe-delimited files and a last line without a line end', async () => {
    expect(await recordsOf('a\tb\n1\t2', { ...UTF8, delimiter: '\t' })).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(await recordsOf('a|b\n"x|y"|2\n', { ...UTF8, delimiter: '|' })).toEqual([
      ['a', 'b'],
      ['x|y', '2'],
    ]);
  });

  it('keeps a stray quote inside an unquoted field', async () => {
    expect(await recordsOf('a,b\n5" screen,2\n')).toEqual([
      ['a', 'b'],
      ['5" screen', '2'],
    ]);
  });
});
