import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffCsv } from '../../src/previews/sniff-csv.js';
import { recordBounds, wholeRecords } from '../../src/previews/read-records.js';
import { CORPUS, CORPUS_DIR, corpusText } from './csv-corpus.js';

/** Our types and DuckDB's, coarsely: email and uuid are text to DuckDB's sniffer, every width of number is one. */
function coarseDuckType(type: string): string {
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT)$/.test(type)) return 'integer';
  if (/^(DOUBLE|FLOAT|DECIMAL)/.test(type)) return 'decimal';
  if (type.startsWith('TIMESTAMP')) return 'timestamp';
  return { DATE: 'date', BOOLEAN: 'boolean', VARCHAR: 'string' }[type] ?? type;
}
const coarseOurType = (type: string) => (type === 'email' || type === 'uuid' ? 'string' : type);

/**
 * Where we and DuckDB 1.5's sniff_csv part, and why; the test fails if a difference appears or goes away.
 * Key: `file column-index`.
 */
const DOCUMENTED_DIFFERENCES: Record<string, { ours: string; duckdb: string; why: string }> = {
  'codes-and-big-numbers.csv 2': {
    ours: 'decimal',
    duckdb: 'integer',
    why: 'integers beyond 15 digits are not held exactly by a JS number, which the processor reads integers into',
  },
  'dates-ambiguous.csv 2': {
    ours: 'date',
    duckdb: 'string',
    why: 'DuckDB settles one date format per file (DD.MM.YYYY here); we settle one per column',
  },
  'eu-timestamps-quoted.csv 1': { ours: 'timestamp', duckdb: 'string', why: 'DuckDB has no DD.MM.YYYY HH:mm candidate (no seconds)' },
  'many-nulls.csv 1': { ours: 'integer', duckdb: 'string', why: 'we read NULL, NA, N/A and \\N as nulls; DuckDB only empty cells' },
  'many-nulls.csv 3': { ours: 'decimal', duckdb: 'string', why: 'the same null tokens' },
  'us-spreadsheet.csv 1': { ours: 'timestamp', duckdb: 'string', why: 'DuckDB has no M/D/YYYY H:mm candidate' },
  'us-spreadsheet.csv 2': { ours: 'timestamp', duckdb: 'string', why: 'DuckDB has no one-digit-hour M/D/YYYY H:mm:ss candidate' },
};

let dir: string;
let instance: DuckDBInstance;
let duck: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duckdb-oracle-'));
  instance = await DuckDBInstance.create(':memory:');
  duck = await instance.connect();
});
afterAll(() => {
  duck.closeSync();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

interface DuckSniff {
  Delimiter: string;
  /** `(empty)` when DuckDB reads the file without quoting, which it does when no quote appears. */
  Quote: string;
  HasHeader: boolean;
  Columns: Array<{ name: string; type: string }>;
}

/** DuckDB's sniff of the text our sniffer reads (a cut head without its partial last record). */
async function duckSniff(file: string, cut: boolean): Promise<DuckSniff> {
  let path = fileURLToPath(new URL(file, CORPUS_DIR));
  if (cut) {
    const text = corpusText(file);
    const ours = sniffCsv({ text, encoding: 'utf-8', cut });
    path = join(dir, file);
    writeFileSync(path, wholeRecords(text, recordBounds(text, { delimiter: ours.dialect.delimiter, quote: ours.dialect.quote }), true));
  }
  const reader = await duck.runAndReadAll(`FROM sniff_csv('${path.replaceAll("'", "''")}')`);
  return reader.getRowObjectsJson()[0] as unknown as DuckSniff;
}

describe('the sniffer against DuckDB sniff_csv', () => {
  it('agrees on delimiter, header and coarse types over the corpus, but for the documented differences', async () => {
    const differences: Record<string, { ours: string; duckdb: string }> = {};
    for (const { file, cut } of CORPUS) {
      const ours = sniffCsv({ text: corpusText(file), encoding: 'utf-8', cut: cut ?? false });
      const theirs = await duckSniff(file, cut ?? false);
      expect({ file, delimiter: ours.dialect.delimiter, header: ours.dialect.header, columns: ours.columns.length }).toEqual({
        file,
        delimiter: theirs.Delimiter,
        header: theirs.HasHeader,
        columns: theirs.Columns.length,
      });
      // DuckDB reads a file in which no quote appears without quoting; we keep `"` then, as the import does.
      if (theirs.Quote === '"') expect(ours.dialect.quote, file).toBe('"');
      if (ours.dialect.quote === null) expect(theirs.Quote, file).toBe('(empty)');
      ours.columns.forEach((column, i) => {
        const [mine, duckdb] = [coarseOurType(column.type), coarseDuckType(theirs.Columns[i]!.type)];
        if (mine !== duckdb) differences[`${file} ${i}`] = { ours: mine, duckdb };
      });
    }
    const documented = Object.fromEntries(Object.entries(DOCUMENTED_DIFFERENCES).map(([key, { ours, duckdb }]) => [key, { ours, duckdb }]));
    expect(differences).toEqual(documented);
  });
});
