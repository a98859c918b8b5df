import { describe, expect, it } from 'vitest';
import { checkFile, FILE_INPUT_ACCEPT } from './upload-check';

const file = (name: string, size = 100) => ({ name, size });

describe('checkFile', () => {
  it('takes what the server reads: CSV text by any of its names, gzip-compressed or not, and .xlsx', () => {
    for (const name of ['a.csv', 'B.CSV', 'a.tsv', 'export.txt', 'a.csv.gz', 'a.TSV.GZ', 'book.xlsx', 'people.2024.csv'])
      expect(checkFile(file(name), 1000)).toBeNull();
  });

  it('refuses another type by its name, saying what it takes', () => {
    for (const name of ['invoice.pdf', 'photo.png', 'old.xls', 'archive.zip', 'data.gz', 'README', 'notes.csv.zip']) {
      const refusal = checkFile(file(name), 1000);
      expect(refusal?.code).toBe('unsupported_media_type');
      expect(refusal?.message).toBe(
        `${name} is not a table file: choose a .csv, .tsv or .txt file (also gzip-compressed, .csv.gz), or an .xlsx workbook.`,
      );
    }
  });

  it('refuses an empty file, and one over the server’s limit once known', () => {
    expect(checkFile(file('a.csv', 0), 1000)).toEqual({ code: 'empty_file', message: 'a.csv is empty.' });
    expect(checkFile(file('big.csv', 3 * 1024 * 1024), 2 * 1024 * 1024)).toEqual({
      code: 'payload_too_large',
      message: 'big.csv is 3.0 MB, over the server’s limit of 2.0 MB.',
    });
    expect(checkFile(file('big.csv', 2 * 1024 * 1024 + 1), 2 * 1024 * 1024)?.message).toBe(
      'big.csv is 2,097,153 bytes, over the server’s limit of 2,097,152 bytes.',
    );
    expect(checkFile(file('big.csv', 2 * 1024 * 1024), 2 * 1024 * 1024)).toBeNull();
    expect(checkFile(file('big.csv', 2 ** 40), null)).toBeNull();
  });

  it('offers the same names in the file picker', () => {
    expect(FILE_INPUT_ACCEPT).toBe('.csv,.tsv,.txt,.xlsx,.gz');
  });
});
