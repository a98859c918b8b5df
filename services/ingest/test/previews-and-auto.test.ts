import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJobs } from '@docprocessor/db';
import { eq } from 'drizzle-orm';
import { API_KEY, build, contactsCsv, multipart, upload, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build();
});
afterAll(() => h.close());

const preview = (content: string | Buffer, fields: Record<string, string> = {}) => {
  const body = multipart({ content }, fields);
  return h.app.inject({ method: 'POST', url: '/api/previews', payload: body.payload, headers: body.headers });
};

const EXPORT = ['Customer ID;E-mail;Signed up;Balance', '1;ada@example.com;21/02/2000;12,5', '2;bob@example.com;03/04/2001;7', ''].join(
  '\r\n',
);

describe('a preview', () => {
  it('reads any CSV: dialect, typed columns, the first rows', async () => {
    const res = await preview(EXPORT);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().dialect).toMatchObject({ encoding: 'utf-8', delimiter: ';', header: true, lineEnd: '\r\n' });
    expect(res.json().columns.map((c: { header: string; type: string }) => [c.header, c.type])).toEqual([
      ['Customer ID', 'integer'],
      ['E-mail', 'email'],
      ['Signed up', 'date'],
      ['Balance', 'string'],
    ]);
    expect(res.json().columns[2].formats[0]).toBe('DD/MM/YYYY');
    expect(res.json().rows).toEqual([
      ['1', 'ada@example.com', '21/02/2000', '12,5'],
      ['2', 'bob@example.com', '03/04/2001', '7'],
    ]);
  });

  it('proposes a mapping onto a template, with the closest header for each required column left over', async () => {
    const res = await preview('ID,E-mail,First,Surname,Land,signup,amount,active\n1,a@b.co,A,B,GB,2024-01-01,1,yes\n', {
      template: 'contacts',
    });
    expect(res.statusCode, res.body).toBe(200);
    const byHeader = Object.fromEntries(res.json().mapping.map((m: { header: string; column: string | null }) => [m.header, m.column]));
    // By name (case, _ and - aside), then by names alike (First, signup); Surname and Land are nothing like their columns.
    expect(byHeader).toEqual({
      ID: 'id',
      'E-mail': 'email',
      First: 'first_name',
      Surname: null,
      Land: null,
      signup: 'signup_date',
      amount: 'amount',
      active: 'active',
    });
    expect(res.json().missing.map((m: { column: string }) => m.column)).toEqual(['last_name', 'country']);
  });

  it('refuses what is not CSV text, and an unknown template', async () => {
    expect((await preview(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]))).statusCode).toBe(415);
    expect((await preview('a,b\n1,2\n', { template: 'nope' })).json().error.code).toBe('unknown_template');
  });
});

describe('an upload', () => {
  it('with template=auto infers a template from the file, makes its table and imports into it', async () => {
    const res = await upload(h, EXPORT, { template: 'auto', table: 'customers' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ template: 'customers', status: 'pending' });
    const template = await h.app.inject({ method: 'GET', url: '/api/templates/customers', headers: { 'x-api-key': API_KEY } });
    expect(template.json()).toMatchObject({
      key: ['customer_id'],
      table: 'tenant_default.customers',
      columns: [
        // Headers match their columns by name already (case, spaces and _ aside): no alias is needed.
        { name: 'customer_id', type: 'integer', required: true },
        { name: 'e_mail', type: 'email', required: true },
        { name: 'signed_up', type: 'date', required: true, formats: ['DD/MM/YYYY'] },
        { name: 'balance', type: 'string', required: true },
      ],
    });
    // The same table again uses the template it made.
    expect((await upload(h, EXPORT, { template: 'auto', table: 'customers' })).json()).toMatchObject({ template: 'customers' });
  });

  it('refuses an unknown field by name, a mapping onto no column, and table without auto', async () => {
    expect((await upload(h, contactsCsv(1), { templte: 'contacts' })).json().error.message).toMatch(/^Unknown field "templte"/);
    expect((await upload(h, contactsCsv(1), { mapping: '{"x": "nope"}' })).json().error.message).toMatch(
      /"x" maps to "nope", which is not a column of template contacts/,
    );
    expect((await upload(h, contactsCsv(1), { mapping: 'x' })).json().error.message).toMatch(/^Field "mapping": must be JSON/);
    expect((await upload(h, contactsCsv(1), { table: 'x' })).json().error.message).toMatch(/Field "table" goes with template=auto/);
  });

  it('a dry run is committed once, as a new job of the same file and options', async () => {
    const dry = await upload(h, contactsCsv(2), { dryRun: 'true', mapping: '{"notes": null}' });
    expect(dry.json()).toMatchObject({ dryRun: true, mapping: { notes: null } });
    const commit = (id: string) => h.app.inject({ method: 'POST', url: `/api/imports/${id}/commit`, headers: { 'x-api-key': API_KEY } });
    expect((await commit(dry.json().id)).json().error.code).toBe('invalid_state'); // not completed yet
    await h.ctx.db.db.update(importJobs).set({ status: 'completed' }).where(eq(importJobs.id, dry.json().id));
    const first = await commit(dry.json().id);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({
      dryRun: false,
      dryRunOf: dry.json().id,
      mapping: { notes: null },
      sha256: dry.json().sha256,
      status: 'pending',
    });
    const again = await commit(dry.json().id);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect((await commit(first.json().id)).json().error.message).toMatch(/Only a dry run can be committed/);
  });
});
