import { describe, expect, it } from 'vitest';
import { TemplateInput } from '@docprocessor/contracts';
import { publishChange } from '@docprocessor/bus';
import { createTemplate, planRevert, recordRevertError, requestCancel, requestRevert, retryJob } from '@docprocessor/db';
import { contact, createJob, csvOf, jobRow, waitFor, waitForFinal } from './helper.js';
import { contacts, useRevertHarness } from './revert-harness.js';

const r = useRevertHarness();
const { tableOf, snapshot, columnsOf, imported, reverted, imagesOf } = r;

describe('reverting an import', () => {
  it('of new rows only: the table is byte for byte as before, with a progress event per batch and then reverted', async () => {
    await imported(contacts(1, 6));
    const before = await snapshot('contacts', 'id');
    const job = await imported(contacts(100, 10));
    expect(await planRevert(r.h.ctx.db.sql, job, 'contacts')).toEqual({ toDelete: 10, toRestore: 0, conflicts: [], expired: false });

    const done = await reverted(job);
    expect(done.revert).toMatchObject({ toDelete: 10, toRestore: 0, done: 10 });
    expect(done.finishedAt).toEqual(job.finishedAt);
    expect(await snapshot('contacts', 'id')).toEqual(before);
    await waitFor(async () => r.h.events.some((e) => e.jobId === job.id && e.type === 'reverted'), 'the reverted event');
    const events = r.h.events.filter((e) => e.jobId === job.id && e.job.revert);
    // Batches of 4: 4, 8, 10 rows deleted, each announced with the job's status unchanged, then the end.
    expect(events.filter((e) => e.type === 'progress' && e.job.revert!.done > 0).map((e) => [e.job.status, e.job.revert!.done])).toEqual([
      ['completed', 4],
      ['completed', 8],
      ['completed', 10],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'reverted', job: { status: 'reverted', revert: { done: 10 } } });
  });

  it('of updates: every earlier value comes back, column by column, lineage included; its images are gone', async () => {
    const seed = await imported(contacts(200, 8));
    const before = await columnsOf('contacts', 'id');
    const changed = csvOf(
      ...Array.from({ length: 8 }, (_, i) =>
        [200 + i, `new${i}@example.org`, 'Zed', 'Zulu', '', 'fr', '2020-12-31', '99.99', 'no', 'changed'].join(','),
      ),
      ...Array.from({ length: 3 }, (_, i) => contact(300 + i)),
    );
    const job = await imported(changed);
    expect(job).toMatchObject({ status: 'completed', successRows: 11 });
    expect(await planRevert(r.h.ctx.db.sql, job, 'contacts')).toEqual({ toDelete: 3, toRestore: 8, conflicts: [], expired: false });

    const done = await reverted(job);
    expect(done.revert).toMatchObject({ toDelete: 3, toRestore: 8, done: 11 });
    const after = await columnsOf('contacts', 'id');
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [id, row] of before) {
      const now = after.get(id)!;
      for (const column of Object.keys(row)) expect([id, column, now[column]]).toEqual([id, column, row[column]]);
    }
    expect(after.get('200')).toMatchObject({ import_job_id: seed.id, email: 'user200@example.com', notes: null });
    expect(await imagesOf(job.id)).toBe(0);
  });

  it('of a cancelled import: the rows it committed before it stopped go, and the table is as before', async () => {
    await imported(contacts(1000, 20));
    const before = await snapshot('contacts', 'id');
    const job = await createJob(r.h, csvOf(...Array.from({ length: 3000 }, (_, i) => contact(990 + i, { first: 'Cy' }))));
    await waitFor(async () => (await jobRow(r.h, job.id)).processedRows > 0, 'the first batch');
    expect(await requestCancel(r.h.ctx.db, job.id, 'default')).toBeTruthy();
    const cancelled = await waitForFinal(r.h, job.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.successRows).toBeGreaterThan(0);
    expect(cancelled.successRows).toBeLessThan(3000);

    await reverted(cancelled);
    expect(await snapshot('contacts', 'id')).toEqual(before);
  });

  it('of an atomic import: its one transaction of rows is taken back too', async () => {
    await imported(contacts(1500, 4));
    const before = await snapshot('contacts', 'id');
    const job = await imported(contacts(1502, 6, { first: 'Ava' }), { atomic: true });
    expect(job.status).toBe('completed');
    await reverted(job);
    expect(await snapshot('contacts', 'id')).toEqual(before);
  });

  it('of a retried import: rows its first run wrote (its retry met them unchanged) are deleted, the earlier ones restored', async () => {
    await imported(contacts(1600, 4));
    const before = await snapshot('contacts', 'id');
    // Batches of 4: 1602-1605 commit, then a never-closed quote fails the job; the retry (a new run) does the same.
    const broken = csvOf(...Array.from({ length: 5 }, (_, i) => contact(1602 + i, { first: 'Bo' })), '9,"unterminated');
    const job = await imported(broken);
    expect(job).toMatchObject({ status: 'failed', successRows: 4 });
    const retry = await retryJob(r.h.ctx.db, job.id, 'default');
    await publishChange(r.h.ctx.bus, retry!);
    const again = await waitFor(async () => {
      const row = await jobRow(r.h, job.id);
      return row.attempt === 2 && row.status === 'failed' && row;
    }, 'the retry to fail the same way');
    expect(
      await r.h.ctx.db
        .sql`select previous_job_id = ${job.id} as own, row_count from import_before_images where job_id = ${job.id} order by id`,
    ).toEqual([{ own: false, row_count: 2 }]); // the retry met its first run's rows unchanged: it left them, no image
    expect(await planRevert(r.h.ctx.db.sql, again, 'contacts')).toMatchObject({ toDelete: 2, toRestore: 2 });

    await reverted(again);
    expect(await snapshot('contacts', 'id')).toEqual(before);
    expect(await imagesOf(job.id)).toBe(0);
  });
  it('is not raced by a retry: a failed job being reverted cannot be retried until its revert ends or is refused', async () => {
    const job = await imported(csvOf(contact(1700), '9,"unterminated'));
    expect(job.status).toBe('failed');
    await requestRevert(r.h.ctx.db, job.id, 'default', { toDelete: 1, toRestore: 0 });
    expect(await retryJob(r.h.ctx.db, job.id, 'default')).toBeUndefined();
    await recordRevertError(r.h.ctx.db.sql, job.id, { code: 'revert_conflict', message: 'refused' });
    expect((await retryJob(r.h.ctx.db, job.id, 'default'))?.row).toMatchObject({ status: 'pending', revert: null });
    await r.h.ctx.db.sql`update import_jobs set status = 'cancelled' where id = ${job.id}`; // no worker is told; it stays put
  });
});

describe('every template alike', () => {
  it('a user template with a composite, case-insensitive key: inserts deleted, updates restored', async () => {
    await createTemplate(
      r.h.ctx.db,
      'default',
      TemplateInput.parse({
        name: 'shelves',
        key: ['aisle', 'code'],
        keyCaseInsensitive: true,
        columns: [
          { name: 'aisle', type: 'string', required: true },
          { name: 'code', type: 'string', required: true },
          { name: 'count', type: 'integer', required: true },
          { name: 'checked', type: 'timestamp', required: false },
          { name: 'price', type: 'decimal', required: false },
        ],
      }),
    );
    const table = await tableOf('shelves');
    const order = 'aisle, code';
    await imported('aisle,code,count,checked,price\nA,x1,1,2024-01-01T10:00:00Z,1.50\nA,X2,2,,\nB,x1,3,2024-03-01T00:00:00.123Z,0.10\n', {
      template: 'shelves',
    });
    const before = await snapshot(table, order);
    const job = await imported('aisle,code,count,checked,price\na,X1,10,,9\nA,x2,20,2025-01-01T00:00:00Z,2.00\nC,y,30,,\n', {
      template: 'shelves',
    });
    expect(job.successRows).toBe(3);
    expect(await snapshot(table, order)).not.toEqual(before);

    await reverted(job, 'shelves');
    expect(await snapshot(table, order)).toEqual(before);
  });

  it('a table bound as it was (rows from before any import, no lineage): they get their values and empty lineage back', async () => {
    await r.h.ctx.db.sql.unsafe(`create table public.bins (zone varchar(8) not null, slot int4 not null, weight float8, label text,
      primary key (zone, slot))`);
    await r.h.ctx.db.sql.unsafe(`insert into bins values ('n', 1, 0.1, 'first'), ('n', 2, 1e-7, null)`);
    await createTemplate(r.h.ctx.db, 'default', TemplateInput.parse({ name: 'bins', table: 'bins' }));
    const before = await snapshot('public.bins', 'zone, slot');
    const job = await imported('zone,slot,weight,label\nn,1,2.5,moved\nn,2,,\ns,1,3,new\n', { template: 'bins' });
    expect(job.successRows).toBe(3);
    await reverted(job, 'bins');
    expect(await snapshot('public.bins', 'zone, slot')).toEqual(before);
    expect(await r.h.ctx.db.sql`select import_job_id from bins`).toEqual([{ import_job_id: null }, { import_job_id: null }]);
  });
});
