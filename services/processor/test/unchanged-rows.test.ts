import { describe, expect, it } from 'vitest';
import { planRevert } from '@docprocessor/db';
import { contactsTemplate } from '@docprocessor/contracts';
import { managedTargetTable } from '../src/import-file/write/target-table.js';
import { dropScratchOfEndedJobs } from '../src/import-file/write/scratch-sweep.js';
import { prepareShadow, SHADOW_TABLES } from '../src/import-file/write/shadow-table.js';
import {
  dropUnchangedKeys,
  prepareUnchangedKeys,
  takeRepeatedUnchanged,
  UNCHANGED_KEY_TABLES,
} from '../src/import-file/write/unchanged-keys.js';
import { prepareStaging } from '../src/import-file/write/write-batch.js';
import { contact, csvOf } from './helper.js';
import { useRevertHarness } from './revert-harness.js';

const r = useRevertHarness();
const { imported, snapshot, reverted } = r;

/** The keys a job kept before-images of, and from which earlier writers, in key order. */
const imagedKeys = async (jobId: string, key = 'id') =>
  (
    await r.h.ctx.db.sql.unsafe<{ key: string; previous: string }[]>(
      `select e ->> $2 as key, previous_job_id::text as previous from import_before_images, json_array_elements(image) e
       where job_id = $1 order by 1`,
      [jobId, key],
    )
  ).map((r) => [r.key, r.previous]);

const lineageOf = async (first: number, last: number) =>
  (
    await r.h.ctx.db.sql`select id::int as id, import_job_id::text as job from contacts where id between ${first} and ${last} order by id`
  ).map((r) => [r.id as number, r.job as string]);

const contacts = (first: number, count: number, changed: (id: number) => boolean = () => false) =>
  csvOf(...Array.from({ length: count }, (_, i) => contact(first + i, changed(first + i) ? { first: 'Changed', amount: '7' } : {})));

describe('re-importing rows whose values did not change (onDuplicate=last)', () => {
  it('the same file twice: every row counts as written, none is rewritten, no before-images, the first lineage stays', async () => {
    const first = await imported(contacts(100, 10), { onDuplicate: 'last' });
    const before = await snapshot();
    const again = await imported(contacts(100, 10), { onDuplicate: 'last' });
    expect(again).toMatchObject({ status: 'completed', processedRows: 10, successRows: 10, failedRows: 0 });
    expect(await snapshot()).toEqual(before); // lineage (job, run, source row) and import time included
    expect(await imagedKeys(again.id)).toEqual([]);
    expect(await planRevert(r.h.ctx.db.sql, again, 'contacts')).toEqual({ toDelete: 0, toRestore: 0, conflicts: [], expired: false });
    // The first import's rows are still its own, with no later import in the way of its revert.
    expect((await planRevert(r.h.ctx.db.sql, first, 'contacts')).conflicts).toEqual([]);
  });

  it('half the rows changed: exactly those are rewritten and imaged; a revert of the second import restores them', async () => {
    const first = await imported(contacts(200, 10), { onDuplicate: 'last' });
    const before = await snapshot();
    const even = (id: number) => id % 2 === 0;
    const second = await imported(contacts(200, 10, even), { onDuplicate: 'last' });
    expect(second).toMatchObject({ status: 'completed', successRows: 10, failedRows: 0 });
    const changedIds = [200, 202, 204, 206, 208];
    expect(await imagedKeys(second.id)).toEqual(changedIds.map((id) => [String(id), first.id]));
    expect(await lineageOf(200, 209)).toEqual(Array.from({ length: 10 }, (_, i) => [200 + i, even(200 + i) ? second.id : first.id]));
    expect(await planRevert(r.h.ctx.db.sql, second, 'contacts')).toMatchObject({ toDelete: 0, toRestore: 5 });
    expect((await planRevert(r.h.ctx.db.sql, first, 'contacts')).conflicts).toEqual([{ jobId: second.id, rows: 5 }]);

    await reverted(second);
    expect(await snapshot()).toEqual(before);
    expect(await imagedKeys(second.id)).toEqual([]);
  });

  it('a key repeated in a later batch with the values this run already wrote is no duplicate: last wins, nothing fails', async () => {
    // Batches of 4: key 300 in rows 1 and 6, the same values both times.
    const job = await imported(csvOf(contact(300), contact(301), contact(302), contact(303), contact(304), contact(300)), {
      onDuplicate: 'last',
    });
    expect(job).toMatchObject({ status: 'completed', successRows: 6, failedRows: 0 });
    expect(await lineageOf(300, 304)).toEqual([300, 301, 302, 303, 304].map((id) => [id, job.id]));
  });

  it('batches where the writer skips taking out unchanged rows (few were, in the batch before) leave them just the same', async () => {
    const first = await imported(contacts(600, 6), { onDuplicate: 'last' });
    const changed = { first: 'Changed', amount: '7' };
    // Batches of 4. The first meets a known key (600, changed): upserted, no unchanged row in it, so the second skips
    // the search for them, and its unchanged rows (601, 602) reach the upsert; the third looks again (604, 605).
    const file = csvOf(
      ...[contact(600, changed), contact(700), contact(701), contact(702)],
      ...[contact(601), contact(602), contact(603, changed), contact(703)],
      ...[contact(604), contact(605), contact(704), contact(705)],
    );
    const second = await imported(file, { onDuplicate: 'last' });
    expect(second).toMatchObject({ status: 'completed', successRows: 12, failedRows: 0 });
    expect(await imagedKeys(second.id)).toEqual([
      ['600', first.id],
      ['603', first.id],
    ]);
    const firstKept = [601, 602, 604, 605];
    expect(await lineageOf(600, 605)).toEqual(
      [600, 601, 602, 603, 604, 605].map((id) => [id, firstKept.includes(id) ? first.id : second.id]),
    );
  });

  it('a key whose case alone changed (case-insensitive key) is a change', async () => {
    const file = (sku: string, price: string) => `sku,name,price,quantity,active\n${sku},Widget,${price},1,yes\nsku-2,Gadget,2.00,5,no\n`;
    await imported(file('sku-1', '1.00'), { template: 'products', onDuplicate: 'last' });
    const before = await snapshot('products', 'lower(sku)');
    const job = await imported(file('SKU-1', '1.00'), { template: 'products', onDuplicate: 'last' });
    expect(job.successRows).toBe(2);
    expect((await imagedKeys(job.id, 'sku')).map(([key]) => key)).toEqual(['sku-1']);
    await reverted(job, 'products');
    expect(await snapshot('products', 'lower(sku)')).toEqual(before);
  });
});

describe('atomic imports merge only what changed', () => {
  it('the same file again leaves every row as it was; half changed images exactly those; the revert restores them', async () => {
    const first = await imported(contacts(400, 8), { atomic: true });
    const before = await snapshot();
    const same = await imported(contacts(400, 8), { atomic: true });
    expect(same).toMatchObject({ status: 'completed', successRows: 8 });
    expect(await snapshot()).toEqual(before);
    expect(await imagedKeys(same.id)).toEqual([]);

    const odd = (id: number) => id % 2 === 1;
    const half = await imported(contacts(400, 8, odd), { atomic: true });
    expect(await imagedKeys(half.id)).toEqual([401, 403, 405, 407].map((id) => [String(id), first.id]));
    await reverted(half);
    expect(await snapshot()).toEqual(before);
  });
});

describe('re-importing unchanged rows with onDuplicate=error (the default)', () => {
  it('the same file twice: every row counts as written, none is rewritten, no before-images, the first lineage stays', async () => {
    const first = await imported(contacts(500, 6));
    const before = await snapshot();
    const again = await imported(contacts(500, 6));
    expect(again).toMatchObject({ status: 'completed', processedRows: 6, successRows: 6, failedRows: 0 });
    expect(await snapshot()).toEqual(before);
    expect(await imagedKeys(again.id)).toEqual([]);
    expect(await lineageOf(500, 505)).toEqual([500, 501, 502, 503, 504, 505].map((id) => [id, first.id]));
    expect(await planRevert(r.h.ctx.db.sql, again, 'contacts')).toEqual({ toDelete: 0, toRestore: 0, conflicts: [], expired: false });
  });

  it('a key repeated in a later batch is still a duplicate when its first occurrence was left unchanged', async () => {
    const first = await imported(contacts(800, 3));
    const changed = { first: 'Changed', amount: '7' };
    // Batches of 4: 800 and 801 unchanged, 802 changed, 900 new; then each of them again (800 as it is, 801 changed).
    const file = csvOf(
      ...[contact(800), contact(801), contact(802, changed), contact(900)],
      ...[contact(800), contact(801, changed), contact(802, changed), contact(901)],
    );
    const second = await imported(file);
    // In its first attempt, and right: a repeat the write missed would be noted a second time, or overwrite the row,
    // and only a retry (which looks up every row) could tell.
    expect(second).toMatchObject({ status: 'completed', processedRows: 8, successRows: 5, failedRows: 3, attempt: 1 });
    const errors = await r.h.ctx.db.sql`select row, code, value from import_row_errors where job_id = ${second.id} order by row`;
    expect(errors).toEqual([5, 6, 7].map((row) => ({ row, code: 'duplicate_key', value: String(795 + row) })));
    expect(await lineageOf(800, 802)).toEqual([
      [800, first.id],
      [801, first.id],
      [802, second.id],
    ]);
    const names = await r.h.ctx.db.sql`select id::int as id, first_name from contacts where id in (801, 802) order by id`;
    expect(names.map((n) => n.first_name)).toEqual(['Ada', 'Changed']);
    expect(await imagedKeys(second.id)).toEqual([['802', first.id]]);
  });

  it('matches a noted key as the table does: a case-insensitive key repeated in another case is a duplicate', async () => {
    const row = (sku: string) => `${sku},Widget,1.00,1,yes`;
    await imported(`sku,name,price,quantity,active\n${row('nk-1')}\n`, { template: 'products' });
    // Batches of 4: nk-1 as stored (left unchanged), three new skus, then NK-1.
    const file = ['sku,name,price,quantity,active', ...['nk-1', 'nk-2', 'nk-3', 'nk-4', 'NK-1'].map(row)].join('\n');
    const job = await imported(`${file}\n`, { template: 'products' });
    expect(job).toMatchObject({ status: 'completed', successRows: 4, failedRows: 1 });
    expect(await r.h.ctx.db.sql`select row, code from import_row_errors where job_id = ${job.id}`).toEqual([
      { row: 5, code: 'duplicate_key' },
    ]);
  });

  it('a worker starting drops the notes and shadows of jobs that ended elsewhere, and keeps those of jobs that may go on', async () => {
    const ended = await imported(contacts(960, 1));
    const going = await imported(contacts(970, 1));
    const table = managedTargetTable(contactsTemplate);
    const connection = await r.h.ctx.db.sql.reserve();
    try {
      for (const job of [ended, going]) {
        await prepareUnchangedKeys(connection, table, job.id, true);
        await prepareShadow(connection, table, job.id, true);
      }
    } finally {
      connection.release();
    }
    const sweep = () => dropScratchOfEndedJobs(r.h.ctx.db.sql, [SHADOW_TABLES, UNCHANGED_KEY_TABLES]);
    await r.h.ctx.db.sql`update import_jobs set status = 'processing' where id = ${going.id}`; // its worker died; it will be resumed
    expect(await sweep()).toBe(2);
    const left = await r.h.ctx.db.sql`
      select schemaname || '.' || tablename as name from pg_tables
      where schemaname in ('docprocessor_runs', 'docprocessor_shadows') order by 1`;
    const hex = going.id.replaceAll('-', '');
    expect(left.map((t) => t.name)).toEqual([`docprocessor_runs.unchanged_keys_${hex}`, `docprocessor_shadows.job_${hex}`]);
    await r.h.ctx.db.sql`update import_jobs set status = 'failed' where id = ${going.id}`;
    expect(await sweep()).toBe(2);
  });

  it("makes the notes' unique index only once a row must be looked up, and a resumed run's at once", async () => {
    const job = await imported(contacts(990, 1));
    const table = managedTargetTable(contactsTemplate);
    const indexes = async () => (await r.h.ctx.db.sql`select 1 from pg_indexes where schemaname = 'docprocessor_runs'`).length;
    const connection = await r.h.ctx.db.sql.reserve();
    try {
      await prepareStaging(connection, table);
      const fresh = await prepareUnchangedKeys(connection, table, job.id, true);
      expect(await takeRepeatedUnchanged(connection, table, fresh, [])).toEqual([]);
      expect(await indexes()).toBe(0);
      expect(await takeRepeatedUnchanged(connection, table, fresh, [1])).toEqual([]);
      expect(await indexes()).toBe(1);
      await prepareUnchangedKeys(connection, table, job.id, true); // a run from row 1 again: the table starts bare
      expect(await indexes()).toBe(0);
      await prepareUnchangedKeys(connection, table, job.id, false);
      expect(await indexes()).toBe(1);
      await dropUnchangedKeys(connection, job.id);
    } finally {
      connection.release();
    }
  });

  it("drops the run's note of unchanged keys once the job has ended", async () => {
    await imported(contacts(950, 2));
    await imported(contacts(950, 2));
    expect(await r.h.ctx.db.sql`select tablename from pg_tables where schemaname = 'docprocessor_runs'`).toEqual([]);
  });
});
