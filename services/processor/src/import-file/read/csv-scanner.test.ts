import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import type { AppError, Delimiter } from '@docprocessor/contracts';
import { CsvScanner } from './csv-scanner.js';
import { readCsv } from './read-csv.js';

/** What csv-parse alone makes of a whole text with our options: the reference the scanner must match. */
async function csvParseAlone(
  text: string,
  delimiter: Delimiter,
  maxRowBytes: number,
): Promise<{ records: string[][]; error: string | null; row: number }> {
  const records: string[][] = [];
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: maxRowBytes,
  });
  try {
    for await (const record of Readable.from([Buffer.from(text)]).pipe(parser)) records.push(record as string[]);
    return { records, error: null, row: 0 };
  } catch (error) {
    // Records parsed just before the error may never reach the reader: only the error and its row compare.
    return { records, error: (error as { code: string }).code, row: Math.max(1, parser.info.records) };
  }
}

async function readInChunks(text: string, delimiter: Delimiter, maxRowBytes: number, chunkSize: number) {
  const bytes = Buffer.from(text);
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunkSize) }, (_, i) => bytes.subarray(i * chunkSize, (i + 1) * chunkSize));
  const records: string[][] = [];
  try {
    for await (const group of readCsv(Readable.from(chunks), { encoding: 'utf-8', delimiter, maxRowBytes }).records) records.push(...group);
    return { records, error: null as AppError | null };
  } catch (error) {
    return { records, error: error as AppError };
  }
}

/** A seeded generator, so a failure names the seed that reproduces it. */
function random(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}

const PIECES = ['a', 'bc', 'é', '€', '😀', ',', ';', '"', '""', '\n', '\r\n', '\r', ' ', '\t', '\uFEFF', 'x,y\n', '"q,\n"', '1,2\r\n'];
const FIELDS = ['a', 'bc d', 'é€😀', '', '"q,\n""x"""', '""', '"a\r\nb"', '" "'];

/** Mostly well-formed CSV (so the scanner reads much of it), sometimes with one random piece dropped in. */
function randomText(next: () => number, delimiter: Delimiter): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  if (next() < 0.4) return Array.from({ length: Math.floor(next() * 40) }, () => pick(PIECES)).join('');
  const lineEnd = next() < 0.5 ? '\n' : '\r\n';
  const rows = Array.from({ length: 1 + Math.floor(next() * 8) }, () =>
    Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(FIELDS)).join(delimiter),
  );
  let text = rows.join(lineEnd) + (next() < 0.5 ? lineEnd : '');
  if (next() < 0.3) {
    const at = Math.floor(next() * text.length);
    text = text.slice(0, at) + pick(PIECES) + text.slice(at);
  }
  return text;
}

const CSV_CODES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'unterminated_quote',
  CSV_MAX_RECORD_SIZE: 'field_too_large',
  CSV_INVALID_CLOSING_QUOTE: 'malformed_csv',
};

describe('CsvScanner', () => {
  it('reads plain and quoted records, CRLF and LF, and skips empty lines', () => {
    const scanner = new CsvScanner(',', 1000);
    const out: string[][] = [];
    expect(scanner.push('\uFEFFid,name\r\n1,"Smith, ""J""\r\nline two"\r\n\r\n2,', out)).toBe(true);
    expect(scanner.finish(out)).toBe(true);
    expect(out).toEqual([
      ['id', 'name'],
      ['1', 'Smith, "J"\r\nline two'],
      ['2', ''],
    ]);
    expect(scanner.lineEnd).toBe('\r\n');
  });

  it('leaves a stray quote to csv-parse, from the start of its record', () => {
    const scanner = new CsvScanner(',', 1000);
    const out: string[][] = [];
    expect(scanner.push('a,b\n1,2\n5" screen,3\n4,5\n', out)).toBe(false);
    expect(out).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(scanner.remainder).toBe('5" screen,3\n4,5\n');
    expect(scanner.records).toBe(2);
  });

  it('leaves a record longer than its limit to csv-parse, even one that arrives in pieces', () => {
    const scanner = new CsvScanner(',', 10);
    const out: string[][] = [];
    expect(scanner.push('a,b\n"0123456', out)).toBe(true);
    expect(scanner.push('789abcdef', out)).toBe(false);
    expect(out).toEqual([['a', 'b']]);
    expect(scanner.remainder).toBe('"0123456789abcdef');
  });
});

describe('readCsv reads every text exactly as csv-parse alone does', () => {
  it('on 3,000 random texts in random chunk sizes, records and errors alike', { timeout: 60_000 }, async () => {
    let scanned = 0;
    let all = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const next = random(seed);
      const delimiter: Delimiter = next() < 0.8 ? ',' : ';';
      const text = randomText(next, delimiter);
      const maxRowBytes = next() < 0.2 ? 12 : 1 << 20;
      const expected = await csvParseAlone(text, delimiter, maxRowBytes);
      const actual = await readInChunks(text, delimiter, maxRowBytes, 1 + Math.floor(next() * 16));
      const context = `seed ${seed}: ${JSON.stringify(text)}`;
      if (expected.error) {
        expect(actual.error?.code, context).toBe(CSV_CODES[expected.error] ?? 'malformed_csv');
        expect(actual.error?.row, context).toBe(expected.row);
      } else {
        expect(actual.error, context).toBeNull();
        expect(actual.records, context).toEqual(expected.records);
        const scanner = new CsvScanner(delimiter, maxRowBytes);
        const out: string[][] = [];
        if (scanner.push(text, out)) scanner.finish(out);
        scanned += out.length;
        all += expected.records.length;
      }
    }
    // The comparison means something only if the scanner itself read a good share of the records.
    expect(scanned / all).toBeGreaterThan(0.5);
  });
});
