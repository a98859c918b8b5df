import { beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { countsGoingBackwards } from './support/event-log.js';
import { useFaultStack } from './support/fault-stack.js';

const t = useFaultStack({ label: 'retry', rows: 100_000, invalidFraction: 0.02, env: { MAX_DELIVER: '2', RETRY_BACKOFF_MS: '200' } });

/** The table and row errors after one clean, undisturbed run of the file. */
let clean: { table: { n: number; md5: string }; errors: Array<{ row: number; code: string }> };

beforeAll(async () => {
  const job = await t.upload();
  expect((await t.db.waitForFinal(job.id)).status).toBe('completed');
  clean = { table: await t.db.contactsChecksum(), errors: await t.db.errorRows(job.id) };
  expect(clean.table.n).toBe(t.file.rows - t.file.invalid);
  expect(clean.errors).toHaveLength(t.file.invalid);
});

/** Retries the job through the API and checks that it ends exactly like the clean run. */
async function retryToCleanResult(failed: { id: string; attempt: number }): Promise<void> {
  const { db, file } = t;
  const retried = await t.api<Job>('POST', `/api/imports/${failed.id}/retry`);
  expect(retried).toMatchObject({ status: 202, body: { status: 'pending', processedRows: 0, attempt: failed.attempt + 1, error: null } });
  const done = await db.waitForFinal(failed.id);
  expect(done).toMatchObject({
    status: 'completed',
    processedRows: file.rows,
    successRows: file.rows - file.invalid,
    failedRows: file.invalid,
    error: null,
  });
  expect(done.attempt).toBeGreaterThan(failed.attempt);
  expect(await db.contactsChecksum()).toEqual(clean.table);
  expect(await db.errorRows(failed.id)).toEqual(clean.errors);
  expect(await db.footprint(failed.id)).toMatchObject({
    rows: file.rows - file.invalid,
    distinctIds: file.rows - file.invalid,
    errors: file.invalid,
  });
  // The retry is a new run from row 1: its own events never go backwards.
  const run = await t.events.untilFinal(failed.id, (e) => e.job.attempt === done.attempt);
  const since = run.findLastIndex((e) => e.type === 'created');
  expect(countsGoingBackwards(run.slice(since))).toBeNull();
  expect(run.at(-1)).toMatchObject({ type: 'completed', job: { processedRows: file.rows } });
}

describe('retry', () => {
  it('runs a cancelled job again from row 1 and ends with the same table and row errors as a clean run', async () => {
    await t.db.sql`truncate contacts`;
    const job = await t.upload();
    await t.progressAt(job.id, 0.3);
    expect((await t.api('POST', `/api/imports/${job.id}/cancel`)).status).toBe(202);
    const cancelled = await t.db.waitForFinal(job.id);
    expect(cancelled.status).toBe('cancelled');
    expect((await t.db.contactsChecksum()).n).toBe(cancelled.successRows);
    await retryToCleanResult(cancelled);
  });

  it('runs a failed job again once the cause is gone, over the rows its failed run left behind', async () => {
    const { db } = t;
    await db.sql`truncate contacts`;
    // A rule the database has and the template does not: the batch holding id 60000 fails on every attempt.
    await db.sql`alter table contacts add constraint retry_test_poison check (id <> 60000)`;
    const job = await t.upload();
    const failed = await db.waitForFinal(job.id);
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'system', code: 'processing_crashed' } });
    expect(failed.error?.message).toContain('retry_test_poison');
    expect(failed.processedRows).toBeGreaterThan(0);
    expect((await db.contactsChecksum()).n).toBe(failed.successRows);
    await db.sql`alter table contacts drop constraint retry_test_poison`;
    await retryToCleanResult(failed);
  });

  it('refuses to retry a job that completed', async () => {
    const [completed] = await t.db.sql<[{ id: string }]>`select id from import_jobs where status = 'completed' limit 1`;
    const answer = await t.api<{ error: { code: string } }>('POST', `/api/imports/${completed.id}/retry`);
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'invalid_state' } } });
  });
});
