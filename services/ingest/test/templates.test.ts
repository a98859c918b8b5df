import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '@docprocessor/db';
import { API_KEY, build, type Harness } from './helper.js';

let h: Harness;
let otherKey: string;
beforeAll(async () => {
  h = await build();
  otherKey = (await createApiKey(h.ctx.db.db, { tenantId: 'other', name: 'test', role: 'admin' })).key;
});
afterAll(() => h.close());

const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, key = API_KEY) =>
  h.app.inject({
    method,
    url,
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });

const customers = {
  name: 'customers',
  key: ['id'],
  columns: [
    { name: 'id', type: 'integer', required: true, min: 1 },
    { name: 'email', type: 'email', required: true, aliases: ['E-mail address'] },
    { name: 'plan', type: 'enum', required: true, values: ['free', 'pro'] },
    { name: 'joined', type: 'date', required: false, formats: ['DD/MM/YYYY'] },
  ],
};

describe('templates as data', () => {
  it('lists the built-ins first, each one an ordinary definition', async () => {
    const res = await send('GET', '/api/templates');
    expect(res.statusCode).toBe(200);
    expect(res.json().map((t: { name: string }) => t.name)).toEqual(['contacts', 'products']);
    expect(res.json()[1]).toMatchObject({ key: ['sku'], keyCaseInsensitive: true, table: 'public.products', managed: true, builtIn: true });
  });

  it('creates a template and its typed table in the tenant schema, and serves it back', async () => {
    const created = await send('POST', '/api/templates', customers);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ ...customers, table: 'tenant_default.customers', managed: true, builtIn: false });
    expect((await send('GET', '/api/templates/customers')).json()).toEqual(created.json());
    const columns = await h.ctx.db.sql`
      select column_name, data_type, is_nullable from information_schema.columns
      where table_schema = 'tenant_default' and table_name = 'customers' order by ordinal_position`;
    expect(columns.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ['id', 'bigint', 'NO'],
      ['email', 'text', 'NO'],
      ['plan', 'text', 'NO'],
      ['joined', 'date', 'YES'],
      ['import_job_id', 'uuid', 'NO'],
      ['import_run_id', 'uuid', 'NO'],
      ['source_row', 'bigint', 'NO'],
      ['imported_at', 'timestamp with time zone', 'NO'],
    ]);
    expect((await send('POST', '/api/templates', customers)).json()).toMatchObject({ error: { code: 'template_exists' } });
  });

  it.each([
    ['name', { ...customers, name: 'Customers' }, /^name: must be 1 to 63 characters/],
    ['an unknown key column', { ...customers, name: 't1', key: ['nope'] }, /^key\[0\]: "nope" is not one of the columns/],
    [
      'a rule of another type',
      { ...customers, name: 't2', columns: [{ name: 'id', type: 'integer', maxLength: 3 }] },
      /^columns\[0\]\.maxLength: is not a rule of an integer column/,
    ],
    [
      'an enum without values',
      { ...customers, name: 't3', columns: [{ name: 'id', type: 'enum' }] },
      /^columns\[0\]\.values: is required for an enum column/,
    ],
    [
      'minLength over maxLength',
      { ...customers, name: 't4', columns: [{ name: 'id', type: 'string', minLength: 5, maxLength: 2 }] },
      /^columns\[0\]\.minLength: must not be greater than maxLength/,
    ],
    [
      'min over max',
      { ...customers, name: 't5', columns: [{ name: 'id', type: 'decimal', min: 5, max: 2 }] },
      /^columns\[0\]\.min: must not be greater than max/,
    ],
    [
      'a bad pattern',
      { ...customers, name: 't6', columns: [{ name: 'id', type: 'string', pattern: '(' }] },
      /^columns\[0\]\.pattern: is not a valid regular expression/,
    ],
    [
      'a date format on a timestamp',
      { ...customers, name: 't7', columns: [{ name: 'id', type: 'timestamp', formats: ['DD/MM/YYYY'] }] },
      /^columns\[0\]\.formats\[0\]: is not a timestamp format/,
    ],
    ['an unknown type', { ...customers, name: 't8', columns: [{ name: 'id', type: 'money' }] }, /^columns\[0\]\.type:/],
    [
      'two columns alike',
      {
        ...customers,
        name: 't9',
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'id', type: 'string' },
        ],
      },
      /^columns\[1\]\.name: "id" is the same header name as column id's/,
    ],
    [
      'an alias of another column',
      {
        ...customers,
        name: 't10',
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'code', type: 'string', aliases: ['Id'] },
        ],
      },
      /^columns\[1\]\.aliases\[0\]: "Id" is the same header name as column id's/,
    ],
    [
      'a lineage column',
      {
        ...customers,
        name: 't11',
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'source_row', type: 'integer' },
        ],
      },
      /^columns\[1\]\.name: is a lineage column/,
    ],
    ['an unknown field', { ...customers, name: 't12', colour: 'red' }, /^template: Unrecognized key/],
    ['no columns for a table to make', { name: 't13', key: ['id'] }, /^columns: are required unless/],
  ])('refuses %s with 400 invalid_template naming the field', async (_what, body, message) => {
    const res = await send('POST', '/api/templates', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_template');
    expect(res.json().error.message).toMatch(message);
  });

  it('applies a compatible change to the table, and refuses an incompatible one with every reason', async () => {
    const added = {
      key: ['id'],
      columns: [
        ...customers.columns.map((c) => (c.name === 'plan' ? { ...c, values: ['free', 'pro', 'team'] } : c)),
        { name: 'notes', type: 'string', maxLength: 500 },
      ],
    };
    const res = await send('PUT', '/api/templates/customers', added);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().columns.at(-1)).toMatchObject({ name: 'notes', type: 'string', maxLength: 500 });
    const [notes] = await h.ctx.db.sql`select data_type from information_schema.columns
        where table_schema = 'tenant_default' and table_name = 'customers' and column_name = 'notes'`;
    expect(notes).toEqual({ data_type: 'text' });
    const incompatible = {
      key: ['email'],
      columns: added.columns.filter((c) => c.name !== 'joined').map((c) => (c.name === 'notes' ? { ...c, maxLength: 10 } : c)),
    };
    const refused = await send('PUT', '/api/templates/customers', incompatible);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('incompatible_change');
    expect(refused.json().error.message).toMatch(
      /the key cannot change.*column joined cannot be removed.*notes: maxLength can only be relaxed/,
    );
  });

  it('keeps tenants apart: another tenant has a customers template and table of its own', async () => {
    expect((await send('GET', '/api/templates/customers', undefined, otherKey)).statusCode).toBe(404);
    const theirs = {
      ...customers,
      columns: [
        { name: 'id', type: 'integer', required: true },
        { name: 'country', type: 'country', required: true },
      ],
    };
    const created = await send('POST', '/api/templates', theirs, otherKey);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().table).toBe('tenant_other.customers');
    expect((await send('GET', '/api/templates/customers')).json().columns).toHaveLength(5);
    expect((await send('GET', '/api/templates', undefined, otherKey)).json().map((t: { name: string }) => t.name)).toEqual([
      'contacts',
      'products',
      'customers',
    ]);
  });

  it('binds to an existing table with a composite primary key, reading its types, NOT NULL, lengths and key', async () => {
    await h.ctx.db.sql.unsafe(`create table public.shipments (
      carrier varchar(10) not null, tracking text not null, weight numeric(6, 2), delivered_on date, fragile boolean not null default false,
      items int4 not null, note text, id_serial serial, primary key (carrier, tracking))`);
    const res = await send('POST', '/api/templates', { name: 'shipments', table: 'shipments' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      key: ['carrier', 'tracking'],
      keyCaseInsensitive: false,
      table: 'public.shipments',
      managed: false,
    });
    expect(res.json().columns).toEqual([
      { name: 'carrier', type: 'string', required: true, maxLength: 10 },
      { name: 'tracking', type: 'string', required: true },
      { name: 'weight', type: 'decimal', required: false, maxDecimals: 2, min: -9999.99, max: 9999.99 },
      { name: 'delivered_on', type: 'date', required: false },
      { name: 'fragile', type: 'boolean', required: true },
      { name: 'items', type: 'integer', required: true, min: -2147483648, max: 2147483647 },
      { name: 'note', type: 'string', required: false },
      { name: 'id_serial', type: 'integer', required: true, min: -2147483648, max: 2147483647 },
    ]);
    const lineage = await h.ctx.db
      .sql`select column_name from information_schema.columns where table_name = 'shipments' and column_name like 'import_%'`;
    expect(lineage.map((c) => c.column_name).sort()).toEqual(['import_job_id', 'import_run_id', 'imported_at']);
  });

  it("refuses to bind to a table without a key, a missing table, and the service's own tables", async () => {
    await h.ctx.db.sql.unsafe('create table public.loose (a text)');
    expect((await send('POST', '/api/templates', { name: 'loose', table: 'loose' })).json().error.message).toMatch(
      /^table: has no primary key or unique index/,
    );
    expect((await send('POST', '/api/templates', { name: 'ghost', table: 'public.ghost' })).json().error.message).toMatch(
      /^table: there is no table public\.ghost/,
    );
    expect((await send('POST', '/api/templates', { name: 'jobs', table: 'import_jobs' })).json().error.message).toMatch(
      /DocProcessor's own tables/,
    );
    expect((await send('POST', '/api/templates', { name: 'theirs', table: 'tenant_other.customers' })).json().error.message).toMatch(
      /another tenant's schema/,
    );
  });

  it('deletes a template and the table the service made for it; built-ins stay', async () => {
    expect((await send('DELETE', '/api/templates/contacts')).json().error.code).toBe('built_in_template');
    expect((await send('PUT', '/api/templates/products', { key: ['sku'], columns: [] })).statusCode).toBe(400);
    const deleted = await send('DELETE', '/api/templates/customers');
    expect(deleted.statusCode).toBe(204);
    expect(await h.ctx.db.sql`select 1 from pg_tables where schemaname = 'tenant_default' and tablename = 'customers'`).toHaveLength(0);
    expect((await send('GET', '/api/templates/customers')).statusCode).toBe(404);
    expect((await send('DELETE', '/api/templates/shipments')).statusCode).toBe(204);
    expect(await h.ctx.db.sql`select 1 from pg_tables where tablename = 'shipments'`).toHaveLength(1);
  });
});
