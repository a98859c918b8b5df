import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@docprocessor/db/testing';
import { CONTACTS_HEADER, generateContacts } from '../src/bench/generate-contacts.js';
import { TEXT_COLUMNS } from '../src/bench/realistic-contacts.js';
import { scratchDir, type ScratchDir } from './support/scratch-dir.js';

const run = promisify(execFile);
const ROWS = 6000;

interface Cell {
  value: string;
  quoted: boolean;
}

/** The file as csv-parse reads it, with whether each cell was quoted. */
function readCells(text: string): Cell[][] {
  return parse(text, { cast: (value, context) => ({ value, quoted: context.quoting }) as unknown as string }) as unknown as Cell[][];
}

const share = (part: number, whole: number) => part / whole;

let dir: ScratchDir;
let database: TestDatabase;
beforeAll(async () => {
  dir = await scratchDir('bench-generate');
  database = await createTestDatabase('bench_generate');
});
afterAll(async () => {
  await database?.drop();
  await dir?.remove();
});

describe('the bench generator', () => {
  it('still writes the classic file byte for byte, so earlier figures stay comparable', async () => {
    const path = join(dir.path, 'classic.csv');
    const stats = await generateContacts(path, { rows: 2000, invalidFraction: 0.01 });
    expect(stats).toEqual({ rows: 2000, invalid: 24 });
    // The digest of the file the generator wrote before the realistic style existed (commit f4d6009).
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(
      'dc089d87238993d38917d00b90a19ad43e90d364a490c6d2960ff54927001091',
    );
  });

  it('writes realistic rows: half the text cells quoted, quotes and commas inside, multi-line, non-ASCII, empty cells', async () => {
    const path = join(dir.path, 'realistic.csv');
    const stats = await generateContacts(path, { rows: ROWS, invalidFraction: 0, style: 'realistic' });
    expect(stats).toEqual({ rows: ROWS, invalid: 0 });
    const [header, ...records] = readCells(readFileSync(path, 'utf8'));
    expect(header!.map((c) => c.value).join(',')).toBe(CONTACTS_HEADER);
    expect(records).toHaveLength(ROWS);
    expect(records.map((r) => Number(r[0]!.value))).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));

    const text = records.flatMap((r) => TEXT_COLUMNS.map((i) => r[i]!));
    expect(share(text.filter((c) => c.quoted).length, text.length)).toBeGreaterThan(0.4);
    expect(share(text.filter((c) => c.quoted).length, text.length)).toBeLessThan(0.6);
    expect(text.filter((c) => c.quoted && c.value.includes('"')).length).toBeGreaterThan(ROWS / 50);
    expect(text.filter((c) => c.quoted && c.value.includes(',')).length).toBeGreaterThan(ROWS / 20);
    expect(share(records.filter((r) => r[9]!.value.includes('\n')).length, ROWS)).toBeGreaterThan(0.02);
    const nonAscii = records.filter((r) => /[^\x00-\x7f]/.test(r[2]!.value + r[3]!.value)).length;
    expect(share(nonAscii, ROWS)).toBeGreaterThan(0.28);
    expect(share(nonAscii, ROWS)).toBeLessThan(0.39);
    expect(share(records.filter((r) => r[4]!.value === '').length, ROWS)).toBeGreaterThan(0.2);
    expect(share(records.filter((r) => r[9]!.value === '').length, ROWS)).toBeGreaterThan(0.5);
    // Empty optional cells stay bare, so PostgreSQL's CSV reads them as NULL just as the pipeline does.
    expect(text.some((c) => c.value === '' && c.quoted)).toBe(false);
    // Valid by the contacts template's rules that a generator could get wrong.
    for (const r of records) {
      expect(r[1]!.value).toMatch(/^[a-z]+\.[a-z]+\d+@example\.com$/);
      expect(r[2]!.value.length).toBeGreaterThan(0);
      expect(r[3]!.value.length).toBeGreaterThan(0);
    }
  });

  it("writes the update path's half-changed twin: odd ids as in the file, even ids with other values", async () => {
    const plain = join(dir.path, 'twin-plain.csv');
    const twin = join(dir.path, 'twin-half.csv');
    await generateContacts(plain, { rows: 1000, invalidFraction: 0, style: 'realistic' });
    await generateContacts(twin, { rows: 1000, invalidFraction: 0, style: 'realistic', changeEvenIds: true });
    const values = (path: string) =>
      readCells(readFileSync(path, 'utf8'))
        .slice(1)
        .map((r) => r.map((c) => c.value));
    const [before, after] = [values(plain), values(twin)];
    expect(after.map((r) => r[0])).toEqual(before.map((r) => r[0]));
    const differs = before.map((row, i) => JSON.stringify(row) !== JSON.stringify(after[i]));
    expect(differs).toEqual(before.map((row) => Number(row[0]) % 2 === 0));
  });

  it('writes CRLF files whose records all end in CRLF, with multi-line cells keeping LF inside', async () => {
    const path = join(dir.path, 'realistic-crlf.csv');
    await generateContacts(path, { rows: ROWS, invalidFraction: 0, style: 'realistic', lineEnd: '\r\n' });
    const raw = readFileSync(path, 'utf8');
    const records = readCells(raw);
    expect(records).toHaveLength(ROWS + 1);
    expect(raw.split('\r\n')).toHaveLength(ROWS + 2);
    expect(raw.endsWith('\r\n')).toBe(true);
    const multiLine = records.filter((r) => r[9]!.value.includes('\n'));
    expect(multiLine.length).toBeGreaterThan(0);
    expect(multiLine.some((r) => r[9]!.value.includes('\r'))).toBe(false);
  });

  it('makes files PostgreSQL reads cell for cell as csv-parse does, in both line ends and with invalid rows', async () => {
    for (const lineEnd of ['\n', '\r\n'] as const) {
      const path = join(dir.path, `realistic-${lineEnd.length}.csv`);
      const { invalid } = await generateContacts(path, { rows: ROWS, invalidFraction: 0.05, style: 'realistic', lineEnd, seed: 9 });
      expect(invalid).toBeGreaterThan(ROWS * 0.03);
      // Every cell as text, so that an invalid value loads too and is compared as written.
      const columns = CONTACTS_HEADER.split(',')
        .map((column) => `${column} text`)
        .join(', ');
      await run('psql', [
        database.url,
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
        '-c',
        `drop table if exists cells; create table cells (n serial, ${columns})`,
      ]);
      await run('psql', [
        database.url,
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
        '-c',
        `\\copy cells (id, email, first_name, last_name, company, country, signup_date, amount, active, notes) from '${path}' csv header`,
      ]);
      const cells = CONTACTS_HEADER.split(',')
        .map((c) => `coalesce(${c}, '<null>')`)
        .join(`, '|', `);
      const { stdout } = await run('psql', [
        database.url,
        '-At',
        '-c',
        `select md5(string_agg(concat(${cells}), E'\\x1e' order by n)) from cells`,
      ]);
      const [, ...records] = readCells(readFileSync(path, 'utf8'));
      // PostgreSQL's CSV reads a bare empty cell as NULL (the generator never quotes an empty one).
      const expected = records.map((r) => r.map((c) => (c.value === '' && !c.quoted ? '<null>' : c.value)).join('|')).join('\x1e');
      expect(stdout.trim()).toBe(createHash('md5').update(expected).digest('hex'));
    }
  });
});
