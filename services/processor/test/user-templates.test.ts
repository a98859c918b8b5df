import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TemplateInput, type TemplateColumnInput } from '@docprocessor/contracts';
import { createTemplate, recallMapping } from '@docprocessor/db';
import { build, createJob, waitForFinal, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build({ PROCESSOR_BATCH_ROWS: '4' });
});
afterAll(() => h.close());

const define = (name: string, key: string[], columns: TemplateColumnInput[], extra: Record<string, unknown> = {}) =>
  createTemplate(h.ctx.db, 'default', TemplateInput.parse({ name, key, columns, ...extra }));

const errorsOf = async (jobId: string) =>
  h.ctx.db.sql<
    { row: number; column: string; code: string }[]
  >`select row, "column", code from import_row_errors where job_id = ${jobId} order by row, id`;

/** Every type, every rule: a valid row first, then one row per rule that breaks exactly that rule. */
const EVERYTHING: TemplateColumnInput[] = [
  { name: 'id', type: 'integer', required: true, min: 1, max: 1000 },
  { name: 'label', type: 'string', required: true, minLength: 2, maxLength: 5, pattern: '^[a-z]+$', patternHint: 'lower-case letters' },
  { name: 'price', type: 'decimal', required: false, min: 0, max: 100, maxDecimals: 2 },
  { name: 'paid', type: 'boolean', required: false },
  { name: 'born', type: 'date', required: false, formats: ['DD/MM/YYYY', 'YYYY-MM-DD'] },
  { name: 'seen', type: 'timestamp', required: false, formats: ['ISO', 'DD.MM.YYYY HH:mm'] },
  { name: 'mail', type: 'email', required: false, maxLength: 20 },
  { name: 'ref', type: 'uuid', required: false },
  { name: 'tier', type: 'enum', required: false, values: ['gold', 'silver'] },
  { name: 'land', type: 'country', required: false },
];
const HEADER = EVERYTHING.map((c) => c.name).join(',');
const VALID = [
  'abc',
  '12.50',
  'yes',
  '31/12/1999',
  '2024-02-29T23:30:00+01:00',
  'a@b.co',
  'A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D',
  'gold',
  'nz',
];
const row = (id: number, overrides: Partial<Record<string, string>> = {}) =>
  [String(id), ...EVERYTHING.slice(1).map((c, i) => overrides[c.name] ?? VALID[i]!)].join(',');
const BROKEN: Array<[string, string, string]> = [
  ['id', '0', 'out_of_range'],
  ['id', 'x', 'invalid_integer'],
  ['label', 'a', 'too_short'],
  ['label', 'abcdef', 'too_long'],
  ['label', 'ab1', 'invalid_format'],
  ['price', '100.5', 'out_of_range'],
  ['price', '1.234', 'too_many_decimals'],
  ['price', '1.2.3', 'invalid_decimal'],
  ['paid', 'maybe', 'invalid_boolean'],
  ['born', '29/02/2023', 'invalid_date'],
  ['born', '02-03-2020', 'invalid_date'],
  ['seen', '2024-13-01T00:00:00Z', 'invalid_timestamp'],
  ['mail', 'not-an-email', 'invalid_email'],
  ['mail', 'a-very-long-name@example.com', 'too_long'],
  ['ref', '1234', 'invalid_uuid'],
  ['tier', 'bronze', 'invalid_value'],
  ['land', 'XX', 'invalid_country'],
  ['label', '', 'required'],
];

describe('a user-defined template', () => {
  it('checks every type and rule: one failing row per rule, exact counts, typed values in the table', async () => {
    const template = await define('everything', ['id'], EVERYTHING);
    const lines = [
      row(1),
      ...BROKEN.map(([column, value], i) =>
        column === 'id' ? [value, ...row(1).split(',').slice(1)].join(',') : row(i + 2, { [column]: value }),
      ),
    ];
    const job = await createJob(
      h,
      `${[HEADER, ...lines, row(100, { born: '2000-01-15', seen: '15.01.2000 08:05', price: '', ref: '', paid: '0' })].join('\n')}\n`,
      { template: template.name },
    );
    const done = await waitForFinal(h, job.id);
    expect(done).toMatchObject({ status: 'completed', processedRows: BROKEN.length + 2, successRows: 2, failedRows: BROKEN.length });
    expect((await errorsOf(job.id)).map((e) => [e.column, e.code])).toEqual(BROKEN.map(([column, , code]) => [column, code]));
    const rows = await h.ctx.db.sql.unsafe(
      `select id, label, price::text, paid, born::text, seen, mail, ref::text, tier, land from tenant_default.everything order by id`,
    );
    expect(rows).toEqual(
      [
        {
          id: 1,
          label: 'abc',
          price: '12.50',
          paid: true,
          born: '1999-12-31',
          seen: '2024-02-29 22:30:00+00',
          mail: 'a@b.co',
          ref: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
          tier: 'gold',
          land: 'NZ',
        },
        {
          id: 100,
          label: 'abc',
          price: null,
          paid: false,
          born: '2000-01-15',
          seen: '2000-01-15 08:05:00+00',
          mail: 'a@b.co',
          ref: null,
          tier: 'gold',
          land: 'NZ',
        },
      ].map((r) => ({ ...r, seen: expect.any(String) })),
    );
    const [times] = await h.ctx.db.sql.unsafe(
      `select string_agg(to_char(seen at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '|' order by id) as t from tenant_default.everything`,
    );
    expect(times).toEqual({ t: '2024-02-29 22:30:00|2000-01-15 08:05:00' });
  });

  it('writes into a table bound by its composite key: upserts, and both duplicate policies within a file', async () => {
    await h.ctx.db.sql.unsafe(`create table public.stock (warehouse varchar(8) not null, sku text not null, qty int4 not null, price float8,
      primary key (warehouse, sku))`);
    await h.ctx.db.sql.unsafe(`insert into stock values ('north', 'A-1', 5, 1.5)`);
    const bound = await createTemplate(h.ctx.db, 'default', TemplateInput.parse({ name: 'stock', table: 'stock' }));
    expect(bound.key).toEqual(['warehouse', 'sku']);
    const csv = [
      'warehouse,sku,qty,price',
      'north,A-1,7,2.25',
      'north,A-2,1,',
      'south,A-1,3,0.5',
      'north,A-2,9,',
      'east,B,40000000000,1',
    ].join('\n');

    const strict = await createJob(h, csv, { template: 'stock' });
    expect(await waitForFinal(h, strict.id)).toMatchObject({ status: 'completed', successRows: 3, failedRows: 2 });
    expect((await errorsOf(strict.id)).map((e) => [e.row, e.column, e.code])).toEqual([
      [4, 'warehouse, sku', 'duplicate_key'],
      [5, 'qty', 'out_of_range'],
    ]);
    const last = await createJob(h, csv, { template: 'stock', onDuplicate: 'last' });
    expect(await waitForFinal(h, last.id)).toMatchObject({ status: 'completed', successRows: 4, failedRows: 1 });
    const rows = await h.ctx.db.sql`select warehouse, sku, qty, price from stock order by warehouse, sku`;
    expect(rows).toEqual([
      { warehouse: 'north', sku: 'A-1', qty: 7, price: 2.25 },
      { warehouse: 'north', sku: 'A-2', qty: 9, price: null },
      { warehouse: 'south', sku: 'A-1', qty: 3, price: 0.5 },
    ]);
  });

  it('maps headers by name, by alias and by an explicit mapping, which it remembers for the next preview', async () => {
    await define(
      'people',
      ['email'],
      [
        { name: 'email', type: 'email', required: true, aliases: ['E-mail address'] },
        { name: 'first_name', type: 'string', required: true },
        { name: 'age', type: 'integer', required: false },
      ],
    );
    const header = ['E-MAIL ADDRESS', 'First Name', 'Years', 'Notes'];
    const mapping = { Years: 'age', Notes: null };
    const job = await createJob(h, `${header.join(',')}\nada@x.io,Ada,36,hi\n`, { template: 'people', mapping });
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', successRows: 1, ignoredColumns: ['Notes'] });
    expect(await h.ctx.db.sql.unsafe('select email, first_name, age from tenant_default.people')).toEqual([
      { email: 'ada@x.io', first_name: 'Ada', age: 36 },
    ]);
    expect(await recallMapping(h.ctx.db, 'default', 'people', header)).toEqual(mapping);
    const missing = await createJob(h, 'Years,First Name\n3,Al\n', { template: 'people' });
    expect(await waitForFinal(h, missing.id)).toMatchObject({ status: 'failed', error: { code: 'missing_columns' } });
  });
});

describe('a dry run', () => {
  it('writes nothing, and its plan is what the real run then does', async () => {
    await define(
      'ledger',
      ['code'],
      [
        { name: 'code', type: 'string', required: true },
        { name: 'amount', type: 'decimal', required: true },
      ],
      { keyCaseInsensitive: true },
    );
    const seed = await createJob(h, 'code,amount\nA,1\nB,2\nC,3\n', { template: 'ledger' });
    await waitForFinal(h, seed.id);
    const snapshot = () =>
      h.ctx.db.sql.unsafe(`select code, amount::text, import_job_id::text, imported_at::text from tenant_default.ledger order by code`);
    const before = await snapshot();
    // A: unchanged; b (the key B, case aside, its text now lower-case) and C: updated; D and E: inserted, E twice
    // (the last wins); F: invalid.
    const csv = 'code,amount\nA,1\nb,2\nC,30\nD,4\nE,5\nE,6\nF,x\n';
    const dry = await createJob(h, csv, { template: 'ledger', dryRun: true, onDuplicate: 'last' });
    const planned = await waitForFinal(h, dry.id);
    expect(planned).toMatchObject({
      status: 'completed',
      dryRun: true,
      plan: { insert: 2, update: 2, unchanged: 1 },
      successRows: 6,
      failedRows: 1,
    });
    expect(await snapshot()).toEqual(before);
    expect(await h.ctx.db.sql`select 1 from pg_tables where schemaname = 'docprocessor_shadows'`).toHaveLength(0);

    const real = await createJob(h, csv, { template: 'ledger', onDuplicate: 'last' });
    expect(await waitForFinal(h, real.id)).toMatchObject({ status: 'completed', successRows: 6, failedRows: 1, plan: null });
    const after = await h.ctx.db.sql.unsafe<{ code: string; amount: string }[]>(
      `select code, amount::text from tenant_default.ledger order by lower(code)`,
    );
    expect(after.map((r) => [r.code, r.amount])).toEqual([
      ['A', '1'],
      ['b', '2'],
      ['C', '30'],
      ['D', '4'],
      ['E', '6'],
    ]);
    expect(after.length - before.length).toBe(planned.plan!.insert);
    expect((await errorsOf(real.id)).map((e) => e.code)).toEqual((await errorsOf(dry.id)).map((e) => e.code));
  });
});
