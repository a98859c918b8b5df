import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TemplateInput, type Template } from '@docprocessor/contracts';
import { publishChange, publishRepair } from '@docprocessor/bus';
import {
  createTemplate,
  findTemplate,
  parseTableName,
  planRevert,
  qualified,
  recordRevertError,
  requestCancel,
  requestRevert,
  retryJob,
  type ImportJobRow,
} from '@docprocessor/db';
import { BeforeImageSweep } from '../src/repair/before-image-sweep.js';
import { revertImport } from '../src/repair/revert-import.js';
import { restoreBatch, deleteBatch, revertTargetOf } from '../src/repair/revert-batches.js';
import { describeTargetTable } from '../src/import-file/write/target-table.js';
import { RepairConsumer } from '../src/work/repair-consumer.js';
import { build, contact, createJob, csvOf, jobRow, waitFor, waitForFinal, type Harness } from './helper.js';

let h: Harness;
let repairs: RepairConsumer;
beforeAll(async () => {
  h = await build({ PROCESSOR_BATCH_ROWS: '4' });
  repairs = new RepairConsumer(h.ctx, { revert: revertImport, fix: async () => undefined });
  await repairs.start();
});
afterAll(async () => {
  await repairs.stop();
  await h.close();
});

const templateOf = async (name: string): Promise<Template> => (await findTemplate(h.ctx.db, 'default', name))!;
const tableOf = async (name: string) => qualified(parseTableName((await templateOf(name)).table, 'public'));

/** Every row of a table, every column and the lineage, as PostgreSQL prints it: what "byte for byte" compares. */
const snapshot = async (table: string, orderBy: string) =>
  (await h.ctx.db.sql.unsafe<{ row: string }[]>(`select t::text as row from ${table} t order by ${orderBy}`)).map((r) => r.row);

/** Every column of every row as text, keyed by `key`: for checking column by column. */
const columnsOf = async (table: string, key: string) => {
  const rows = await h.ctx.db.sql.unsafe<Record<string, unknown>[]>(`select (to_jsonb(t)) as row from ${table} t order by ${key}`);
  return new Map(rows.map(({ row }) => [String((row as Record<string, unknown>)[key]), row as Record<string, unknown>]));
};

const imported = async (csv: string, options: Parameters<typeof createJob>[2] = {}) => {
  const job = await createJob(h, csv, options);
  return waitForFinal(h, job.id);
};

/** What ingest does for POST /api/imports/:id/revert once its checks pass: record the request, queue it. */
async function requestAndQueue(job: ImportJobRow, template = 'contacts'): Promise<ImportJobRow> {
  const plan = await planRevert(h.ctx.db.sql, await jobRow(h, job.id), await tableOf(template));
  const requested = await requestRevert(h.ctx.db, job.id, 'default', plan);
  expect(requested).toBeDefined();
  await publishRepair(
    h.ctx.bus,
    { kind: 'revert', jobId: job.id, fixId: null, at: requested!.revert!.requestedAt },
    requested!.revert!.requestedAt,
  );
  return requested!;
}

const revertEnded = (jobId: string) =>
  waitFor(async () => {
    const row = await jobRow(h, jobId);
    return (row.status === 'reverted' || Boolean(row.revert?.error)) && row;
  }, `the revert of ${jobId} to end`);

async function reverted(job: ImportJobRow, template = 'contacts'): Promise<ImportJobRow> {
  await requestAndQueue(job, template);
  const row = await revertEnded(job.id);
  expect(row.revert?.error ?? null).toBeNull();
  expect(row.status).toBe('reverted');
  return row;
}

const imagesOf = async (jobId: string) =>
  (await h.ctx.db.sql`select coalesce(sum(row_count), 0)::int as n from import_before_images where job_id = ${jobId}`)[0]!.n as number;

const contacts = (first: number, count: number, overrides: Parameters<typeof contact>[1] = {}) =>
  csvOf(...Array.from({ length: count }, (_, i) => contact(first + i, overrides)));

describe('reverting an import', () => {
  it('of new rows only: the table is byte for byte as before, with a progress event per batch and then reverted', async () => {
    await imported(contacts(1, 6));
    const before = await snapshot('contacts', 'id');
    const job = await imported(contacts(100, 10));
    expect(await planRevert(h.ctx.db.sql, job, 'contacts')).toEqual({ toDelete: 10, toRestore: 0, conflicts: [], expired: false });

    const done = await reverted(job);
    expect(done.revert).toMatchObject({ toDelete: 10, toRestore: 0, done: 10 });
    expect(done.finishedAt).toEqual(job.finishedAt);
    expect(await snapshot('contacts', 'id')).toEqual(before);
    await waitFor(async () => h.events.some((e) => e.jobId === job.id && e.type === 'reverted'), 'the reverted event');
    const events = h.events.filter((e) => e.jobId === job.id && e.job.revert);
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
    expect(await planRevert(h.ctx.db.sql, job, 'contacts')).toEqual({ toDelete: 3, toRestore: 8, conflicts: [], expired: false });

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
    const job = await createJob(h, csvOf(...Array.from({ length: 3000 }, (_, i) => contact(990 + i, { first: 'Cy' }))));
    await waitFor(async () => (await jobRow(h, job.id)).processedRows > 0, 'the first batch');
    expect(await requestCancel(h.ctx.db, job.id, 'default')).toBeTruthy();
    const cancelled = await waitForFinal(h, job.id);
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

  it('of a retried import: rows its first run wrote and its retry rewrote are deleted, the earlier ones restored', async () => {
    await imported(contacts(1600, 4));
    const before = await snapshot('contacts', 'id');
    // Batches of 4: 1602-1605 commit, then a never-closed quote fails the job; the retry (a new run) does the same.
    const broken = csvOf(...Array.from({ length: 5 }, (_, i) => contact(1602 + i, { first: 'Bo' })), '9,"unterminated');
    const job = await imported(broken);
    expect(job).toMatchObject({ status: 'failed', successRows: 4 });
    const retry = await retryJob(h.ctx.db, job.id, 'default');
    await publishChange(h.ctx.bus, retry!);
    const again = await waitFor(async () => {
      const row = await jobRow(h, job.id);
      return row.attempt === 2 && row.status === 'failed' && row;
    }, 'the retry to fail the same way');
    expect(
      await h.ctx.db
        .sql`select previous_job_id = ${job.id} as own, row_count from import_before_images where job_id = ${job.id} order by id`,
    ).toEqual([
      { own: false, row_count: 2 },
      { own: true, row_count: 4 },
    ]);
    expect(await planRevert(h.ctx.db.sql, again, 'contacts')).toMatchObject({ toDelete: 2, toRestore: 2 });

    await reverted(again);
    expect(await snapshot('contacts', 'id')).toEqual(before);
    expect(await imagesOf(job.id)).toBe(0);
  });
  it('is not raced by a retry: a failed job being reverted cannot be retried until its revert ends or is refused', async () => {
    const job = await imported(csvOf(contact(1700), '9,"unterminated'));
    expect(job.status).toBe('failed');
    await requestRevert(h.ctx.db, job.id, 'default', { toDelete: 1, toRestore: 0 });
    expect(await retryJob(h.ctx.db, job.id, 'default')).toBeUndefined();
    await recordRevertError(h.ctx.db.sql, job.id, { code: 'revert_conflict', message: 'refused' });
    expect((await retryJob(h.ctx.db, job.id, 'default'))?.row).toMatchObject({ status: 'pending', revert: null });
    await h.ctx.db.sql`update import_jobs set status = 'cancelled' where id = ${job.id}`; // no worker is told; it stays put
  });
});

describe('every template alike', () => {
  it('a user template with a composite, case-insensitive key: inserts deleted, updates restored', async () => {
    await createTemplate(
      h.ctx.db,
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
    await h.ctx.db.sql.unsafe(`create table public.bins (zone varchar(8) not null, slot int4 not null, weight float8, label text,
      primary key (zone, slot))`);
    await h.ctx.db.sql.unsafe(`insert into bins values ('n', 1, 0.1, 'first'), ('n', 2, 1e-7, null)`);
    await createTemplate(h.ctx.db, 'default', TemplateInput.parse({ name: 'bins', table: 'bins' }));
    const before = await snapshot('public.bins', 'zone, slot');
    const job = await imported('zone,slot,weight,label\nn,1,2.5,moved\nn,2,,\ns,1,3,new\n', { template: 'bins' });
    expect(job.successRows).toBe(3);
    await reverted(job, 'bins');
    expect(await snapshot('public.bins', 'zone, slot')).toEqual(before);
    expect(await h.ctx.db.sql`select import_job_id from bins`).toEqual([{ import_job_id: null }, { import_job_id: null }]);
  });
});

describe('crash safety', () => {
  it('a revert stopped after some batches (restore or delete) resumes and ends exactly right', async () => {
    await imported(contacts(2000, 10));
    const before = await snapshot('contacts', 'id');
    const job = await imported(csvOf(...Array.from({ length: 10 }, (_, i) => contact(2005 + i, { first: 'Di' }))));
    const requested = await requestRevert(h.ctx.db, job.id, 'default', await planRevert(h.ctx.db.sql, job, 'contacts'));
    expect(requested!.revert).toMatchObject({ toDelete: 5, toRestore: 5 });
    const target = revertTargetOf(await templateOf('contacts'), await describeTargetTable(h.ctx.db.sql, await templateOf('contacts')));
    // What a worker killed mid-way left committed: one restore batch, then (by another) every restore and one delete batch.
    await h.ctx.db.sql.begin((sql) => restoreBatch(sql, job.id, target, 0, 4));
    await h.ctx.db.sql.begin((sql) => restoreBatch(sql, job.id, target, 0, 4));
    await h.ctx.db.sql.begin((sql) => deleteBatch(sql, job.id, target, 4));
    expect((await jobRow(h, job.id)).revert).toMatchObject({ done: 9 });

    await publishRepair(h.ctx.bus, { kind: 'revert', jobId: job.id, fixId: null, at: requested!.revert!.requestedAt }, 'resume');
    const done = await revertEnded(job.id);
    expect(done).toMatchObject({ status: 'reverted', revert: { done: 10, error: null } });
    expect(await snapshot('contacts', 'id')).toEqual(before);
    // Delivered again after the end: it only says `reverted` again, and the table stays.
    await revertImport(h.ctx, { kind: 'revert', jobId: job.id, fixId: null, at: '' }, { renew: () => undefined, lastDelivery: false });
    expect(await snapshot('contacts', 'id')).toEqual(before);
  });
});

describe('refusals', () => {
  it('a later import changed some of the same rows: the processor refuses, records why, and changes nothing', async () => {
    const first = await imported(contacts(3000, 6));
    const later = await imported(contacts(3004, 4, { first: 'Eve' }));
    const plan = await planRevert(h.ctx.db.sql, first, 'contacts');
    expect(plan.conflicts).toEqual([{ jobId: later.id, rows: 2 }]);
    const before = await snapshot('contacts', 'id');
    // Asked for as if the later import arrived between the request and the run: the processor checks again.
    await requestAndQueue(first);
    const refused = await revertEnded(first.id);
    expect(refused.status).toBe('completed');
    expect(refused.revert!.error).toEqual({
      code: 'revert_conflict',
      message:
        `2 rows this import wrote were changed by a later import since: ${later.id} (2 rows). ` +
        'Revert those first (newest first); nothing was changed',
    });
    expect(await snapshot('contacts', 'id')).toEqual(before);

    // Reverting the later one first clears the way.
    await reverted(later);
    expect((await planRevert(h.ctx.db.sql, await jobRow(h, first.id), 'contacts')).conflicts).toEqual([]);
    await reverted(await jobRow(h, first.id));
    expect(await h.ctx.db.sql`select id from contacts where id between 3000 and 3009`).toEqual([]);
  });

  it('retention: old images are dropped, their jobs marked expired (not reverted half-way), a revert under way keeps its own', async () => {
    await imported(contacts(4000, 4));
    const old = await imported(contacts(4002, 4, { first: 'Old' }));
    const insertOnly = await imported(contacts(4100, 2));
    const underway = await imported(contacts(4000, 1, { first: 'Wip' }));
    const fresh = await imported(contacts(4200, 2, { first: 'New' }));
    const aged = [old.id, insertOnly.id, underway.id];
    await h.ctx.db.sql`update import_before_images set taken_at = now() - interval '8 days' where job_id = any(${aged})`;
    await h.ctx.db.sql`update import_jobs set finished_at = now() - interval '8 days' where id = any(${aged})`;
    await requestRevert(h.ctx.db, underway.id, 'default', { toDelete: 0, toRestore: 1 });

    const sweep = await new BeforeImageSweep(h.ctx).sweep();
    expect(sweep.ran).toBe(true);
    expect(sweep.droppedImages).toBe(2);
    expect(sweep.expiredJobs.sort()).toEqual([old.id, insertOnly.id].sort());
    expect(await imagesOf(old.id)).toBe(0);
    expect(await imagesOf(underway.id)).toBe(1);
    expect(await planRevert(h.ctx.db.sql, await jobRow(h, old.id), 'contacts')).toMatchObject({ expired: true });
    expect(await planRevert(h.ctx.db.sql, await jobRow(h, insertOnly.id), 'contacts')).toMatchObject({ expired: true, toDelete: 2 });
    expect(await planRevert(h.ctx.db.sql, await jobRow(h, fresh.id), 'contacts')).toMatchObject({ expired: false });
    expect(await requestRevert(h.ctx.db, old.id, 'default', { toDelete: 2, toRestore: 2 })).toBeUndefined();

    // A request that got in before the mark (it raced the sweep) is refused by the processor, nothing changed.
    const before = await snapshot('contacts', 'id');
    const raced = JSON.stringify({ requestedAt: 'x', toDelete: 2, toRestore: 2, done: 0 });
    await h.ctx.db.sql`update import_jobs set revert = ${raced}::jsonb where id = ${old.id}`;
    await revertImport(h.ctx, { kind: 'revert', jobId: old.id, fixId: null, at: 'x' }, { renew: () => undefined, lastDelivery: false });
    expect((await jobRow(h, old.id)).revert!.error).toMatchObject({ code: 'revert_expired' });
    expect(await snapshot('contacts', 'id')).toEqual(before);
  });
});
