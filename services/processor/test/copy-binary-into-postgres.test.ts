import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES, contactsTemplate, isoTimestampOf, type CellValue } from '@docprocessor/contracts';
import { createDbClient, managedTypeNames, readCatalog, type DbClient } from '@docprocessor/db';
import { createTestDatabase, type TestDatabase } from '@docprocessor/db/testing';
import { encodingOf } from '../src/import-file/write/binary-values.js';
import { encodeRows } from '../src/import-file/write/copy-binary.js';
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

const EDGE_INTEGERS = [
  '0',
  '1',
  '-1',
  '2147483647',
  '2147483648',
  '-2147483649',
  '4294967295',
  '4294967296',
  '4294967297',
  '9007199254740991',
  '-9007199254740991',
  '9007199254740993',
  '9223372036854775807',
  '-9223372036854775808',
];
const EDGE_DECIMALS = [
  '0',
  '-0',
  '0.0',
  '-0.00',
  '0.0001',
  '0.00001',
  '1',
  '12.50',
  '6056.06',
  '9999',
  '10000',
  '9999.9999',
  '-10000.00010',
  '000123.4500',
  '100000000.00000001',
  '12345678901234567890123456789.123456789',
];
const EDGE_DATES = [
  '0001-01-01',
  '0100-03-01',
  '0400-02-29',
  '1600-02-29',
  '1899-12-31',
  '1900-02-28',
  '1900-03-01',
  '1969-12-31',
  '1970-01-01',
  '1999-12-31',
  '2000-01-01',
  '2000-02-29',
  '2024-02-29',
  '2038-01-19',
  '9999-12-31',
];
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
  it('finds the built-in tables typed as the service types the tables it makes, each type one it can encode', async () => {
    for (const template of BUILT_IN_TEMPLATES) {
      const catalog = await readCatalog(client.sql, { schema: 'public', table: template.name });
      const types = Object.fromEntries(catalog!.columns.map((c) => [c.name, c.typeName]));
      const expected = Object.fromEntries(template.columns.map((c, i) => [c.name, managedTypeNames(template.columns)[i]!.name]));
      expect(types, template.name).toMatchObject({ ...expected, import_job_id: 'uuid', import_run_id: 'uuid', source_row: 'int8' });
      for (const column of catalog!.columns) expect(() => encodingOf({ name: column.typeName, kind: column.typeKind })).not.toThrow();
    }
  });

  it('writes every other type a bound table may have exactly as COPY text of the same values does', async () => {
    await client.sql.unsafe(`create type mood as enum ('sad', 'ok', 'happy')`);
    const columns = 'i2 int2, i4 int4, f8 float8, f4 float4, ts timestamptz, t timestamp, u uuid, e mood, v varchar(10), c char(3)';
    await client.sql.unsafe(`create table typed_binary (${columns}, import_job_id uuid, import_run_id uuid, source_row bigint)`);
    await client.sql.unsafe('create table typed_text (like typed_binary)');
    const catalog = await readCatalog(client.sql, { schema: 'public', table: 'typed_binary' });
    const types = catalog!.columns.slice(0, 10).map((c) => ({ name: c.typeName, kind: c.typeKind }));
    const r = random(20261204);
    const micros = () => r.int(86_400_000_000 / 1024) * 1024 + r.int(1024);
    const rows: CellValue[][] = Array.from({ length: 500 }, (_, i) => [
      String(i === 0 ? -32768 : i === 1 ? 32767 : r.int(65536) - 32768),
      String(i === 0 ? -2147483648 : i === 1 ? 2147483647 : r.int(2 ** 32) - 2 ** 31),
      i === 2 ? null : `${r.int(2) ? '-' : ''}${r.digits(1 + r.int(9))}.${r.digits(1 + r.int(6))}`,
      `${r.digits(1 + r.int(4))}.${r.digits(1 + r.int(2))}`,
      isoTimestampOf({ days: r.int(2_932_896) - 719_162, micros: micros() }),
      isoTimestampOf({ days: i === 3 ? -719_162 : i === 4 ? 2_932_896 - 719_163 : r.int(40_000), micros: micros() }),
      [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => '0123456789abcdef'[r.int(16)]).join('')).join('-'),
      r.pick(['sad', 'ok', 'happy']),
      r.pick(['', 'é', 'abc', '中文字']),
      r.pick(['ab', 'abc', 'a']),
    ]);
    const all = catalog!.columns.map((c) => c.name);
    const copy = async (table: string, format: 'text' | 'binary', data: Buffer) => {
      const writable = await client.sql.unsafe(`copy ${table} (${all.join(', ')}) from stdin with (format ${format})`).writable();
      await new Promise<void>((resolve, reject) => {
        writable.once('error', reject);
        writable.once('finish', resolve);
        writable.end(data);
      });
    };
    await copy(
      'typed_binary',
      'binary',
      encodeRows(
        types,
        lineage,
        rows.map((values, i) => ({ values, sourceRow: i + 1 })),
      ).bytes,
    );
    await copy(
      'typed_text',
      'text',
      Buffer.from(rows.map((values, i) => copyLine([...values, lineage.jobId, lineage.runId, i + 1])).join('')),
    );
    const read = (table: string) =>
      client.sql.unsafe<{ row: string }[]>(`select row(${all.join(', ')})::text as row from ${table} order by source_row`);
    const [binary, text] = await Promise.all([read('typed_binary'), read('typed_text')]);
    expect(binary).toHaveLength(rows.length);
    expect(binary).toEqual(text);
  });

  it('stores exactly what COPY text of the same values stores, edge values and random ones alike', async () => {
    const rows = rowsToCompare(3000);
    await client.sql.unsafe(
      'create table by_binary (like contacts including defaults); create table by_text (like contacts including defaults)',
    );
    await copyIn(
      'by_binary',
      'binary',
      encodeRows(
        managedTypeNames(contactsTemplate.columns),
        lineage,
        rows.map((values, i) => ({ values, sourceRow: i + 1 })),
      ).bytes,
    );
    await copyIn(
      'by_text',
      'text',
      Buffer.from(rows.map((values, i) => copyLine([...values, lineage.jobId, lineage.runId, i + 1])).join('')),
    );
    const read = (table: string) =>
      client.sql.unsafe<{ row: string }[]>(`select row(${COLUMNS.join(', ')})::text as row from ${table} order by source_row`);
    const [binary, text] = await Promise.all([read('by_binary'), read('by_text')]);
    expect(binary).toHaveLength(rows.length);
    expect(binary).toEqual(text);
    // And the values themselves, for a few that are easy to get wrong.
    const [first] = await client.sql<{ id: string; amount: string; signup_date: string; job: string }[]>`
      select id::text, amount::text, signup_date::text, import_job_id::text as job from by_binary where source_row = 14`;
    expect(first).toEqual({ id: '-9223372036854775808', amount: '123.4500', signup_date: '2038-01-19', job: lineage.jobId });
  });
});
