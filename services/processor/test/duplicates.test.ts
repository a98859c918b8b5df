import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, contact, createJob, csvOf, waitForFinal, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build({ PROCESSOR_BATCH_ROWS: '3' });
});
afterAll(() => h.close());

const errorsOf = (jobId: string) =>
  h.ctx.db.sql<
    { row: number; code: string; column: string }[]
  >`select row, code, "column" from import_row_errors where job_id = ${jobId} order by row`;

describe('onDuplicate', () => {
  // Rows 1..7 with key 10 at rows 1, 2 (same batch) and 6 (a later batch), key 11 at rows 3 and 7.
  const file = csvOf(
    contact(10, { first: 'first' }),
    contact(10, { first: 'second' }),
    contact(11, { first: 'a' }),
    contact(12),
    contact(13),
    contact(10, { first: 'third' }),
    contact(11, { first: 'b' }),
  );

  it('error: the first occurrence wins, every later one is a duplicate_key row, in and across batches', async () => {
    const job = await createJob(h, file, { onDuplicate: 'error' });
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', processedRows: 7, successRows: 4, failedRows: 3 });
    expect(await errorsOf(job.id)).toEqual([
      { row: 2, code: 'duplicate_key', column: 'id' },
      { row: 6, code: 'duplicate_key', column: 'id' },
      { row: 7, code: 'duplicate_key', column: 'id' },
    ]);
    const rows = await h.ctx.db.sql`select id, first_name, source_row from contacts where id in (10, 11) order by id`;
    expect(rows).toEqual([
      { id: 10, first_name: 'first', source_row: 1 },
      { id: 11, first_name: 'a', source_row: 3 },
    ]);
  });

  it('last: the last occurrence wins, every occurrence counts as success, one row per key', async () => {
    const job = await createJob(h, file, { onDuplicate: 'last' });
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', processedRows: 7, successRows: 7, failedRows: 0 });
    const rows = await h.ctx.db.sql`select id, first_name from contacts where id in (10, 11) order by id`;
    expect(rows).toEqual([
      { id: 10, first_name: 'third' },
      { id: 11, first_name: 'b' },
    ]);
  });

  it('treats product keys case-insensitively and keeps the written spelling', async () => {
    const products = [
      'sku,name,price,quantity,active',
      'AB-1,Widget,9.99,3,true',
      'ab-1,Widget again,1,1,no',
      'CD_2,Gadget,0,0,0',
      'x y,Bad sku,1,1,yes',
    ].join('\n');
    const job = await createJob(h, products, { template: 'products' });
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', processedRows: 4, successRows: 2, failedRows: 2 });
    expect((await errorsOf(job.id)).map((e) => [e.row, e.code])).toEqual([
      [2, 'duplicate_key'],
      [4, 'invalid_format'],
    ]);
    const rows = await h.ctx.db.sql`select sku, name, price::text as price, quantity, active from products order by sku`;
    expect(rows).toEqual([
      { sku: 'AB-1', name: 'Widget', price: '9.99', quantity: 3, active: true },
      { sku: 'CD_2', name: 'Gadget', price: '0', quantity: 0, active: false },
    ]);
  });
});
