import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Preview } from '@docprocessor/contracts';
import { sniffCsv } from '../../src/previews/sniff-csv.js';
import { DIALECT_SAMPLE_CHARS } from '../../src/previews/sniff-dialect.js';
import { CORPUS, CORPUS_DIR, corpusText, describeColumn } from './csv-corpus.js';

describe('sniffCsv on a corpus of real-world shapes', () => {
  it('has an expectation for every fixture', () => {
    expect(CORPUS.map((c) => c.file).sort()).toEqual(readdirSync(CORPUS_DIR).sort());
    expect(CORPUS.length).toBeGreaterThanOrEqual(15);
  });

  it.each(CORPUS.map((c) => [c.file, c] as const))('%s', (_, expected) => {
    const preview = sniffCsv({ text: corpusText(expected.file), encoding: 'utf-8', cut: expected.cut ?? false });
    expect(Preview.parse(preview)).toEqual(preview);
    expect(preview.dialect).toEqual({ encoding: 'utf-8', ...expected.dialect });
    expect(preview.columns.map(describeColumn)).toEqual(expected.columns);
    expect(preview.columns.map((c) => c.index)).toEqual(expected.columns.map((_, i) => i));
    if (expected.headers) expect(preview.columns.map((c) => c.header)).toEqual(expected.headers);
    expect(preview.rows).toHaveLength(expected.rows);
  });
});

describe('sniffCsv: what the rows and columns hold', () => {
  const sniff = (file: string, cut = false) => sniffCsv({ text: corpusText(file), encoding: 'utf-8', cut });

  it('gives quoted cells as csv-parse reads them: delimiters, doubled quotes and line breaks inside', () => {
    const { rows } = sniff('quoted-fields.csv');
    expect(rows[0]).toEqual(['1', 'Smith, John', 'He said "hi" twice', '12.50']);
    expect(rows[1]).toEqual(['2', "O'Brien, Pat", 'Line one\nLine two', '7']);
    expect(rows[5]![2]).toBe('multi\r\nline with CRLF inside');
  });

  it('keeps inch marks and quotes inside unquoted fields as written', () => {
    expect(sniff('inch-marks.csv').rows[0]).toEqual(['"Big" Jim bolt', '3" long', '12']);
    expect(sniff('unbalanced-quote.psv').rows[1]).toEqual(['2', '2024-01-06', '"Broken on arrival, says the customer']);
  });

  it('leaves out the partial last line of a cut head, and a record cut inside its quotes', () => {
    // Read whole, the partial line `38,City` is a row without a population.
    expect(sniff('cut-head.csv', false).columns[2]).toMatchObject({ type: 'integer', nullable: true });
    expect(sniff('cut-head.csv', true).columns[2]).toMatchObject({ type: 'integer', nullable: false });
    const inQuotes = sniff('cut-in-quotes.csv', true);
    expect(inQuotes.rows.at(-1)).toEqual(['9', 'plain; text 9', '27']);
    // Read as a whole file, its last quote never closes: the import would fail, and so does the preview.
    expect(() => sniff('cut-in-quotes.csv', false)).toThrow(expect.objectContaining({ code: 'unterminated_quote' }));
  });

  it('fails as the import would when a quote past the dialect sample never closes', () => {
    const rows = Array.from({ length: 8000 }, (_, i) => `${i},"name ${i}",${i * 2}`);
    const text = `id,name,n\n${rows.join('\n')}\n8000,"never closed,1\n`;
    expect(text.length).toBeGreaterThan(DIALECT_SAMPLE_CHARS);
    expect(() => sniffCsv({ text, encoding: 'utf-8', cut: false })).toThrow(expect.objectContaining({ code: 'unterminated_quote' }));
  });

  it('reads the whole text when it is not cut: a last line without a line end is a row', () => {
    const preview = sniffCsv({ text: 'a,b\n1,x\n2,y', encoding: 'utf-8', cut: false });
    expect(preview.rows).toEqual([
      ['1', 'x'],
      ['2', 'y'],
    ]);
  });

  it('drops the byte-order mark from the first header', () => {
    expect(sniff('bom-utf8.csv').columns[0]!.header).toBe('code');
  });

  it('gives a few distinct examples per column, trimmed, nulls left out', () => {
    const preview = sniff('many-nulls.csv');
    expect(preview.columns[2]!.examples).toEqual(['ok']);
    expect(preview.columns[4]!.examples).toEqual([]);
    expect(sniff('tab-products.tsv').columns[0]!.examples).toEqual(['SKU-0000', 'SKU-0001', 'SKU-0002', 'SKU-0003', 'SKU-0004']);
  });

  it('reads an empty text as no columns and a lone header as columns of text without rows', () => {
    const empty = sniffCsv({ text: '', encoding: 'utf-8', cut: false });
    expect(empty).toMatchObject({ columns: [], rows: [], dialect: { header: false } });
    const header = sniffCsv({ text: 'id;name\r\n', encoding: 'utf-8', cut: false });
    expect(header.dialect).toMatchObject({ delimiter: ';', header: true, lineEnd: '\r\n' });
    expect(header.columns.map((c) => [c.header, c.type])).toEqual([
      ['id', 'string'],
      ['name', 'string'],
    ]);
    expect(header.rows).toEqual([]);
  });

  it('passes the encoding it is given through', () => {
    expect(sniffCsv({ text: 'a;b\n1;2\n', encoding: 'windows-1252', cut: false }).dialect.encoding).toBe('windows-1252');
  });
});
