import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_TRANSITIONS, type JobError } from '@docprocessor/contracts';
import {
  cancelJob,
  completeJob,
  createDbClient,
  createJob,
  failJob,
  giveUpJob,
  requestCancel,
  resumeJob,
  retryJob,
  revertJob,
  stallJob,
  startJob,
  stopJob,
  type DbClient,
} from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

let testDb: TestDatabase;
let db: DbClient;

beforeAll(async () => {
  testDb = await createTestDatabase('lifecycle');
  db = createDbClient(testDb.url, { max: 2 });
});
afterAll(async () => {
  await db.close();
  await testDb.drop();
});

const error: JobError = { kind: 'system', code: 'processing_crashed', message: 'test' };

async function newJob(tenantId = 'default', idempotencyKey: string | null = null) {
  const id = randomUUID();
  const created = await createJob(db, {
    id,
    tenantId,
    template: 'contacts',
    filename: 'a.csv',
    sizeBytes: 10,
    sha256: 'same-file',
    objectName: id,
    idempotencyKey,
  });
  if (!created) throw new Error('not created');
  return created;
}

const silence = (jobId: string) =>
  db.sql`update import_jobs set heartbeat_at = now() - interval '1 hour', updated_at = now() - interval '1 hour' where id = ${jobId}`;

describe('the job lifecycle', () => {
  it('creates a pending job announced by `created`, naming an earlier upload of the same file, once per Idempotency-Key', async () => {
    const first = await newJob('t1');
    expect(first).toMatchObject({
      event: 'created',
      tenantId: 't1',
      row: { status: 'pending', duplicateOf: null },
      job: { status: 'pending' },
    });
    const second = await newJob('t1', 'key-1');
    expect(second.row.duplicateOf).toBe(first.row.id);
    await expect(newJob('t1', 'key-1')).rejects.toThrow('not created');
  });

  it('runs start → complete, and no transition applies twice or from a state the table does not allow', async () => {
    const { row } = await newJob();
    const started = await startJob(db, row.id);
    expect(started).toMatchObject({ event: 'started', row: { status: 'processing', attempt: 1 } });
    expect(started?.row.runId).toBeTruthy();
    expect(await startJob(db, row.id)).toBeUndefined();
    expect(await completeJob(db, row.id, 2)).toBeUndefined(); // not the attempt that holds it
    expect(await completeJob(db, row.id, 1)).toMatchObject({ event: 'completed', row: { status: 'completed', totalRows: 0 } });
    expect(await completeJob(db, row.id, 1)).toBeUndefined();
    expect(await failJob(db, row.id, 1, error)).toBeUndefined();
    expect(await retryJob(db, row.id, row.tenantId)).toBeUndefined(); // completed jobs are not retried
  });

  it('records when a job finished, also when it completes at the end of a long transaction (an atomic merge)', async () => {
    const { row } = await newJob();
    await startJob(db, row.id);
    // As the processor does it: its own connection, the completion inside the transaction that merged the rows.
    const connection = await db.sql.reserve();
    let completed: { began: Date; change: Awaited<ReturnType<typeof completeJob>> };
    try {
      await connection`begin`;
      const [now] = await connection<{ began: Date }[]>`select now() as began`;
      await connection`select pg_sleep(0.3)`;
      completed = { began: now!.began, change: await completeJob({ ...db, sql: connection }, row.id, 1) };
      await connection`commit`;
    } finally {
      connection.release();
    }
    const finishedAt = completed.change!.row.finishedAt!;
    expect(finishedAt.getTime() - new Date(completed.began).getTime()).toBeGreaterThanOrEqual(300);
    expect(completed.change!.row.updatedAt.getTime()).toBeGreaterThanOrEqual(finishedAt.getTime());
  });

  it('resumes only a job whose worker went silent, as a new attempt after its checkpoint', async () => {
    const { row } = await newJob();
    await startJob(db, row.id);
    expect(await resumeJob(db, row.id, 30_000)).toBeUndefined();
    await db.sql`update import_jobs set processed_rows = 7 where id = ${row.id}`;
    await silence(row.id);
    expect(await resumeJob(db, row.id, 30_000)).toMatchObject({ event: 'started', row: { attempt: 2, resumedFromRow: 7 } });
  });

  it('cancels a pending job at once, and stops a processing one only once a cancel was asked for', async () => {
    const pending = await newJob();
    expect(await cancelJob(db, pending.row.id, 'other-tenant')).toBeUndefined();
    expect(await cancelJob(db, pending.row.id, pending.row.tenantId)).toMatchObject({ event: 'cancelled', row: { status: 'cancelled' } });

    const { row } = await newJob();
    await startJob(db, row.id);
    expect(await cancelJob(db, row.id, row.tenantId)).toBeUndefined();
    expect(await stopJob(db, row.id, { attempt: 1 })).toBeUndefined();
    expect(await requestCancel(db, row.id, row.tenantId)).toMatchObject({ cancelRequested: true, status: 'processing' });
    expect(await stopJob(db, row.id, { attempt: 1 })).toMatchObject({ event: 'cancelled', row: { status: 'cancelled' } });
    await db.sql`insert into import_failed_rows (job_id, row, cells) values (${row.id}, 1, '["x"]'), (${row.id}, 2, '["y"]')`;
    const retried = await retryJob(db, row.id, row.tenantId);
    expect(await db.sql`select 1 from import_failed_rows where job_id = ${row.id}`).toHaveLength(0);
    expect(retried).toMatchObject({ event: 'created', row: { status: 'pending', attempt: 2, cancelRequested: false, processedRows: 0 } });
  });

  it('gives up or stalls a job only behind its fence', async () => {
    const { row } = await newJob();
    await startJob(db, row.id);
    expect(await giveUpJob(db, row.id, { leaseMs: 30_000 }, error)).toBeUndefined(); // its worker is alive
    const quiet = { attempt: 1, status: 'processing', quietForMs: 60_000 } as const;
    expect(await stallJob(db, row.id, quiet, error)).toBeUndefined(); // not quiet long enough
    await silence(row.id);
    expect(await stallJob(db, row.id, { ...quiet, attempt: 2 }, error)).toBeUndefined(); // not the attempt the watchdog saw
    expect(await stallJob(db, row.id, quiet, error)).toMatchObject({ event: 'failed', row: { status: 'failed', error } });
  });

  it("has one function for every transition of the table, each ending in the table's status", () => {
    const functions = {
      create: createJob,
      retry: retryJob,
      cancel: cancelJob,
      start: startJob,
      resume: resumeJob,
      complete: completeJob,
      fail: failJob,
      stop: stopJob,
      giveUp: giveUpJob,
      stall: stallJob,
      revert: revertJob,
    };
    expect(Object.keys(functions).sort()).toEqual(Object.keys(JOB_TRANSITIONS).sort());
  });
});
