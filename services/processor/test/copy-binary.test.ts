import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsTemplate, TEMPLATES, type CellValue } from '@docprocessor/contracts';
import { createDbClient, type DbClient } from '@docprocessor/db';
import { createTestDatabase, type TestDatabase } from '@docprocessor/db/testing';
import { encodeRows, STORED_TYPES } from '../src/import-file/write/copy-binary.js';
import { copyLine } from '../src/import-file/write/copy-text.js';

let testDb: TestDatabase;
let client: DbClient;

beforeAll(async () => {
  testDb = await createTestDatabase('copy_binary');
  client = createDbClient(testDb.url, { max: 1 });
});
afterAll(async () => {
  await client?.close();
  await testDb?.drop();
});

const lineage = { jobId: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', runId: 'ffffffff-ffff-4fff-bfff-000000000001' };
const COLUMNS = [...contactsTemplate.columns.map((c) => c.name), 'import_job_id', 'import_run_id', 'source_row'];

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');
  return { int, pick, digits };
}

const EDGE_INTEGERS = ['0', '1', '-1', '2147483647', '2147483648', '-2147483649', '4294967295', '4294967296', '4294967297', '9007199254740991', '-9007199254740991', '9007199254740993', '9223372036854775807', '-9223372036854775808'];
const EDGE_DECIMALS = ['0', '-0', '0.0', '-0.00', '0.0001', '0.00001', '1', '12.50', '6056.06', '9999', '10000', '9999.9999', '-10000.00010', '000123.4500', '100000000.00000001', '12345678901234567890123456789.123456789'];
const EDGE_DATES = ['0001-01-01', '0100-03-01', '0400-02-29', '1600-02-29', '1899-12-31', '1900-02-28', '1900-03-01', '1969-12-31', '1970-01-01', '1999-12-31', '2000-01-01', '2000-02-29', '2024-02-29', '2038-01-19', '9999-12-31'];
const CHARACTERS = ['a', 'Z', '0', ' ', '\t', '\n', '\r', '\\', '"', ',', 'é', 'ß', '€', '中', '😀', '\uD800', 'N'];

function rowsToCompare(count: number): CellValue[][] {
  const r = random(20261129);
  const text = (max: number) => Array.from({ length: r.int(max + 1) }, () => r.pick(CHARACTERS)).join('');
  const integer = () => (r.int(3) === 0 ? r.pick(EDGE_INTEGERS) : String((r.int(2) ? -1 : 1) * r.int(2 ** 52)));
  const decimal = () => {
    if (r.int(3) === 0) return r.pick(EDGE_DECIMALS);
    const fraction = r.int(2) ? `.${r.digits(1 + r.int(12))}` : '';
    return `${r.int(4) === 0 ? '-' : ''}${r.digits(1 + r.int(24))}${fraction}`;
  };
  const date = () => {
    if (r.int(3) === 0) return r.pick(EDGE_DATES);
    // Any day from 0001-01-01 to 9999-12-31.
    const day = new Date(Date.UTC(2000, 0, 1) + (r.int(730_119 + 2_921_940) - 730_119) * 86_400_000);
    return day.toISOString().slice(0, 10);
  };
  return Array.from({ length: count }, (_, i) => [
    i < EDGE_INTEGERS.length ? EDGE_INTEGERS[i]! : integer(),
    `user${i}@example.com`,
    text(12),
    i === 0 ? 'x'.repeat(5000) : text(3),
    r.int(3) === 0 ? null : text(20),
    r.pick(['GB', 'FR', 'JP']),
    i < EDGE_DATES.length ? EDGE_DATES[i]! : date(),
    i < EDGE_DECIMALS.length ? EDGE_DECIMALS[i]! : decimal(),
    r.pick(['t', 'f']),
    r.int(2) === 0 ? null : text(40),
  ]);
}

async function copyIn(table: string, format: 'text' | 'binary', data: Buffer): Promise<void> {
  const writable = await client.sql.unsafe(`copy ${table} (${COLUMNS.join(', ')}) from stdin with (format ${format})`).writable();
  await new Promise<void>((resolve, reject) => {
    writable.once('error', reject);
    writable.once('finish', resolve);
    writable.end(data);
  });
}

describe('binary COPY into PostgreSQL', () => {
  it('matches the types every template table stores, so the binary form written is the one PostgreSQL reads', async () => {
    for (const template of TEMPLATES) {
      const stored = await client.sql<{ column_name: string; data_type: string }[]>`
        select column_name, data_type from information_schema.columns where table_schema = 'public' and table_name = ${template.name}`;
      const types = Object.fromEntries(stored.map((c) => [c.column_name, c.data_type]));
      const expected = Object.fromEntries(template.columns.map((c) => [c.name, STORED_TYPES[c.type]]));
      expect(types, template.name).toMatchObject({ ...expected, import_job_id: 'uuid', import_run_id: 'uuid', source_row: 'bigint' });
    }
  });

  it('stores exactly what COPY text of the same values stores, edge values and random ones alike', async () => {
    const rows = rowsToCompare(3000);
    await client.sql.unsafe('create table by_binary (like contacts including defaults); create table by_text (like contacts including defaults)');
    await copyIn('by_binary', 'binary', encodeRows(contactsTemplate, lineage, rows.map((values, i) => ({ values, sourceRow: i + 1 }))).bytes);
    await copyIn('by_text', 'text', Buffer.from(rows.map((values, i) => copyLine([...values, lineage.jobId, lineage.runId, i + 1])).join('')));
    const read = (table: string) => client.sql.unsafe<{ row: string }[]>(`select row(${COLUMNS.join(', ')})::text as row from ${table} order by source_row`);
    const [binary, text] = await Promise.all([read('by_binary'), read('by_text')]);
    expect(binary).toHaveLength(rows.length);
    expect(binary).toEqual(text);
    // And the values themselves, for a few that are easy to get wrong.
    const [first] = await client.sql<{ id: string; amount: string; signup_date: string; job: string }[]>`
      select id::text, amount::text, signup_date::text, import_job_id::text as job from by_binary where source_row = 14`;
    expect(first).toEqual({ id: '-9223372036854775808', amount: '123.4500', signup_date: '2038-01-19', job: lineage.jobId });
  });
});
