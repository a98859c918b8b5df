import { describe, expect, it } from 'vitest';
import type { Job, Preview, Template } from '@docprocessor/contracts';
import { workbookBytes } from '@docprocessor/workbook/testing';
import { call, finalJob, uploadBytes, uploadJob } from './support/http.js';
import { useStack } from './support/use-stack.js';

/**
 * A person's own data through the whole product, as a new user would bring it: a file nobody wrote for
 * DocProcessor lands in a typed table with template=auto, a table made with SQL is bound and imported into,
 * and a dry run is checked and then committed. Each result is read back with SQL.
 */
const t = useStack({ label: 'own_data' });

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

// A European export: semicolons, CRLF, day-first dates, quoted fields with the delimiter inside, an optional column.
const ORDERS = [
  'Order No;Customer;Ordered on;Total;Paid;Note',
  '1001;"Müller; Hans";21/02/2024;120.50;true;',
  '1002;Ada Lovelace;03/04/2024;7;false;"said ""hi"""',
  '1003;Zoë;30/04/2024;0.99;true;rush',
].join('\r\n');

describe('bringing your own data', () => {
  it('template=auto: any well-formed CSV lands in a typed table that plain SQL can query', async () => {
    const job = await uploadJob(t.stack, ORDERS, { fields: { template: 'auto', table: 'orders' }, filename: 'orders.csv' });
    expect(await finalJob(t.stack, job.id)).toMatchObject({ status: 'completed', successRows: 3, failedRows: 0, template: 'orders' });
    const template = await call<Template>(t.stack, '/api/templates/orders');
    expect(template.body.columns.map((c) => [c.name, c.type])).toEqual([
      ['order_no', 'integer'],
      ['customer', 'string'],
      ['ordered_on', 'date'],
      ['total', 'decimal'],
      ['paid', 'boolean'],
      ['note', 'string'],
    ]);
    const rows = await t.sql.unsafe(
      `select order_no::int, customer, ordered_on::text, total::text, paid, note from tenant_default.orders
       where ordered_on >= '2024-04-01' order by order_no`,
    );
    expect(rows).toEqual([
      { order_no: 1002, customer: 'Ada Lovelace', ordered_on: '2024-04-03', total: '7', paid: false, note: 'said "hi"' },
      { order_no: 1003, customer: 'Zoë', ordered_on: '2024-04-30', total: '0.99', paid: true, note: 'rush' },
    ]);
  });

  it("binds to a table made with SQL and imports into it, mapping the file's own headers", async () => {
    await t.sql.unsafe(`create table public.invoices (
      number varchar(12) primary key, issued timestamptz not null, amount numeric(10, 2) not null, status text)`);
    const bound = await call<Template>(t.stack, '/api/templates', json({ name: 'invoices', table: 'invoices' }));
    expect(bound.status, bound.text).toBe(201);
    const csv =
      'Invoice #|When|Amount (EUR)|State\nINV-1|2024-05-01T10:00:00+02:00|10.00|open\nINV-2|2024-05-02 09:30|99999999999.99|paid\n';
    const mapping = JSON.stringify({ 'Invoice #': 'number', When: 'issued', 'Amount (EUR)': 'amount', State: 'status' });
    const job = await uploadJob(t.stack, csv, { fields: { template: 'invoices', mapping } });
    const done = await finalJob(t.stack, job.id);
    expect(done).toMatchObject({ status: 'completed', successRows: 1, failedRows: 1, delimiter: '|' });
    const errors = await call<{ items: Array<{ row: number; column: string; code: string }> }>(t.stack, `/api/imports/${job.id}/errors`);
    expect(errors.body.items.map((e) => [e.row, e.column, e.code])).toEqual([[2, 'amount', 'out_of_range']]);
    expect(
      await t.sql`select number, to_char(issued at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as issued, amount::text, status from invoices`,
    ).toEqual([{ number: 'INV-1', issued: '2024-05-01 08:00', amount: '10.00', status: 'open' }]);
  });

  it('checks a file with a dry run, leaving the table as it was, then commits it', async () => {
    const before = await t.sql`select count(*)::int as n, max(imported_at) as last from contacts`;
    const csv =
      'id,email,first_name,last_name,country,signup_date,amount,active\n' +
      '1,a@b.co,Ada,L,GB,2024-01-01,1,yes\n2,bad,Al,T,GB,2024-01-01,1,no\n';
    const dry = await uploadJob(t.stack, csv, { fields: { dryRun: 'true' } });
    const checked = await finalJob(t.stack, dry.id);
    expect(checked).toMatchObject({ status: 'completed', dryRun: true, plan: { insert: 1, update: 0, unchanged: 0 }, failedRows: 1 });
    expect(await t.sql`select count(*)::int as n, max(imported_at) as last from contacts`).toEqual(before);
    const committed = await call<Job>(t.stack, `/api/imports/${dry.id}/commit`, { method: 'POST' });
    expect(committed.status, committed.text).toBe(202);
    expect(committed.body.dryRunOf).toBe(dry.id);
    expect(await finalJob(t.stack, committed.body.id)).toMatchObject({ status: 'completed', dryRun: false, successRows: 1, failedRows: 1 });
    expect(await t.sql`select id::int, email from contacts where import_job_id = ${committed.body.id}`).toEqual([
      { id: 1, email: 'a@b.co' },
    ]);
  });

  it('reads a spreadsheet: the chosen sheet, typed cells (dates, numbers, booleans), empty cells, through preview and import', async () => {
    const xlsx = await workbookBytes([
      { name: 'Notes', rows: [['not this sheet']] },
      {
        name: 'People',
        rows: [
          ['Person', 'Born', 'Height', 'Member', 'Since'],
          ['Ada', new Date(Date.UTC(1815, 11, 10)), 1.65, true, new Date(Date.UTC(2020, 0, 2, 9, 30))],
          ['Alan', new Date(Date.UTC(1912, 5, 23)), 1.8, false, null],
        ],
        formats: { 2: 'yyyy-mm-dd', 5: 'yyyy-mm-dd hh:mm' },
      },
    ]);
    const form = new FormData();
    form.append('sheet', 'People');
    form.append('file', new Blob([xlsx]), 'people.xlsx');
    const preview = await call<Preview>(t.stack, '/api/previews', { method: 'POST', body: form });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({ format: 'xlsx', sheet: { name: 'People', number: 2 } });
    expect(preview.body.columns.map((c) => c.type)).toEqual(['string', 'date', 'decimal', 'boolean', 'timestamp']);

    const refused = await uploadBytes(t.stack, xlsx, {
      fields: { template: 'auto', table: 'people', sheet: 'Nope' },
      filename: 'people.xlsx',
    });
    const job = await uploadJob(t.stack, xlsx, { fields: { template: 'auto', table: 'people', sheet: '2' }, filename: 'people.xlsx' });
    expect(job.format).toBe('xlsx');
    expect(await finalJob(t.stack, job.id)).toMatchObject({ status: 'completed', successRows: 2, failedRows: 0 });
    expect(
      await t.sql.unsafe(
        `select person, born::text, height::text, member, to_char(since at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as since
         from tenant_default.people order by person`,
      ),
    ).toEqual([
      { person: 'Ada', born: '1815-12-10', height: '1.65', member: true, since: '2020-01-02 09:30' },
      { person: 'Alan', born: '1912-06-23', height: '1.8', member: false, since: null },
    ]);
    // A sheet that is not there is refused when the template is inferred from it; an import of it fails its job.
    expect(refused.status).toBe(400);
    expect((refused.body as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'unknown_sheet',
      message: expect.stringMatching(/its sheets are 1 "Notes", 2 "People"/),
    });
  });
});
