import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requestCancel } from '@docprocessor/db';
import { build, contact, createJob, csvOf, jobRow, waitFor, waitForFinal, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build({ PROCESSOR_BATCH_ROWS: '4' });
});
afterAll(() => h.close());

/** The contacts table, every column and the lineage, as text: what "byte for byte" compares. */
const snapshot = () => h.ctx.db.sql.unsafe<{ row: string }[]>(`select contacts::text as row from contacts order by id`);

/** Ten rows, ids from `first`; the rows at `bad` (1-based) have an invalid email. */
const file = (first: number, bad: number[]) =>
  csvOf(...Array.from({ length: 10 }, (_, i) => contact(first + i, bad.includes(i + 1) ? { email: 'nope' } : {})));

describe('error thresholds', () => {
  it('by count: the job fails at the batch that passes maxErrors, saying how many of how many; earlier batches stay', async () => {
    const before = await snapshot();
    // Batches of 4: rows 1-4 (one bad), 5-8 (two bad: 3 in all, past 2), 9-10.
    const job = await createJob(h, file(100, [2, 6, 7]), { maxErrors: 2 });
    const failed = await waitForFinal(h, job.id);
    expect(failed).toMatchObject({
      status: 'failed',
      processedRows: 4,
      successRows: 3,
      failedRows: 1,
      error: { kind: 'validation', code: 'too_many_errors' },
    });
    expect(failed.error!.message).toBe('Stopped after 3 of 8 rows read failed: more than maxErrors (2)');
    const after = await snapshot();
    expect(after.slice(0, before.length)).toEqual(before);
    expect((await h.ctx.db.sql`select id from contacts where import_job_id = ${job.id} order by id`).map((r) => r.id)).toEqual([
      100, 102, 103,
    ]);
  });

  it('by rate, atomic: the table is exactly as it was', async () => {
    const seed = await createJob(h, file(200, []));
    await waitForFinal(h, seed.id);
    const before = await snapshot();
    // 1 of the first 4 (25%) is within 30%; 3 of 8 (37.5%) is not.
    const job = await createJob(h, file(200, [1, 5, 6]).replaceAll('Ada', 'Bea'), { maxErrorRate: 0.3, atomic: true });
    const failed = await waitForFinal(h, job.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'too_many_errors' } });
    expect(failed.error!.message).toBe('Stopped after 3 of 8 rows read failed (37.5%): more than maxErrorRate (30.0%)');
    expect(await snapshot()).toEqual(before);
    // The shadow is dropped once the job has ended, just after its final event.
    await vi.waitFor(
      async () => expect(await h.ctx.db.sql`select 1 from pg_tables where schemaname = 'docprocessor_shadows'`).toHaveLength(0),
      {
        timeout: 10_000,
        interval: 100,
      },
    );
  });
});

describe('an atomic import', () => {
  it('writes every row at the end, in one transaction, keeping the rows it overwrote', async () => {
    const seed = await createJob(h, file(300, []));
    await waitForFinal(h, seed.id);
    const job = await createJob(h, csvOf(...Array.from({ length: 10 }, (_, i) => contact(305 + i, { first: 'Zed' }))), { atomic: true });
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', successRows: 10, atomic: true });
    const rows = await h.ctx.db.sql`select id, first_name, import_job_id from contacts where id between 300 and 314 order by id`;
    expect(rows.map((r) => [r.id, r.first_name, r.import_job_id === job.id])).toEqual([
      ...[300, 301, 302, 303, 304].map((id) => [id, 'Ada', false]),
      ...Array.from({ length: 10 }, (_, i) => [305 + i, 'Zed', true]),
    ]);
    const images = await h.ctx.db
      .sql`select previous_job_id, json_array_elements(image)->>'id' as id from import_before_images where job_id = ${job.id} order by 2`;
    expect(images).toEqual(['305', '306', '307', '308', '309'].map((id) => ({ previous_job_id: seed.id, id })));
  });

  it('cancelled while running leaves the table as it was', async () => {
    const before = await snapshot();
    const job = await createJob(h, csvOf(...Array.from({ length: 2000 }, (_, i) => contact(1000 + i))), { atomic: true });
    await waitFor(async () => (await jobRow(h, job.id)).processedRows > 0, 'the first batch');
    expect(await requestCancel(h.ctx.db, job.id, 'default')).toBeTruthy();
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'cancelled' });
    expect(await snapshot()).toEqual(before);
  });
});
