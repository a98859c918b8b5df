import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { publishEvent } from '@docprocessor/bus';
import { importJobs, managedTypeNames, toJob } from '@docprocessor/db';
import { claimJob } from '../src/work/claim.js';
import { runImport } from '../src/import-file/run-import.js';
import { encodeRows } from '../src/import-file/write/copy-binary.js';
import { WritePolicy } from '../src/import-file/write/write-policy.js';
import { managedTargetTable } from '../src/import-file/write/target-table.js';
import { prepareUnchangedKeys } from '../src/import-file/write/unchanged-keys.js';
import {
  LeaseLostError,
  prepareStaging,
  writeBatch,
  type Batch,
  type RunIdentity,
  type Totals,
} from '../src/import-file/write/write-batch.js';
import { contactsTemplate } from '@docprocessor/contracts';
import { build, contact, createJob, csvOf, jobRow, waitFor, waitForFinal, type Harness } from './helper.js';

let h: Harness;

const baseRun = {
  onDuplicate: 'error' as const,
  maxStoredErrors: 10_000,
  limits: { maxErrors: null, maxErrorRate: null },
  keepBeforeImages: true,
};

/** What a worker does per batch, on a connection of its own with the staging table ready. */
async function writeOne(run: RunIdentity, batch: Batch, before: Totals) {
  const connection = await h.ctx.db.sql.reserve();
  try {
    await prepareStaging(connection, managedTargetTable(contactsTemplate));
    return await writeBatch(connection, managedTargetTable(contactsTemplate), run, batch, before);
  } finally {
    connection.release();
  }
}
/** The job's heartbeat a minute old: its worker is taken for dead. */
async function expireHeartbeat(jobId: string) {
  await h.ctx.db.db
    .update(importJobs)
    .set({ heartbeatAt: new Date(Date.now() - 60_000) })
    .where(eq(importJobs.id, jobId));
}

/** A job claimed by one attempt and then, its heartbeat a minute old, by the next: both claims. */
async function claimedTwice(content: string) {
  const job = await createJob(h, content, { publish: false });
  const first = await claimJob(h.ctx.db, job.id, 3000);
  if (first.kind !== 'run') throw new Error('not claimed');
  await expireHeartbeat(job.id);
  return { job, first, second: await claimJob(h.ctx.db, job.id, 3000) };
}

/** The next worker (the harness's consumer) takes the job over from its work item; the job as it ends. */
async function resumedByNextWorker(jobId: string) {
  await expireHeartbeat(jobId);
  await h.consumer.start();
  await publishEvent(h.ctx.bus, 'created', toJob(await jobRow(h, jobId)), { tenantId: 'default', dedupe: false });
  return waitForFinal(h, jobId);
}

const ZERO: Totals = { processed: 0, success: 0, failed: 0, errors: 0 };

/** What a worker writes with after its claim: onDuplicate=error, before-images kept. */
function runOf(claim: Awaited<ReturnType<typeof claimJob>>, jobId: string): RunIdentity {
  if (claim.kind !== 'run') throw new Error('not claimed');
  const { runId, attempt } = claim.change.row;
  return { ...baseRun, jobId, runId: runId!, attempt, writes: new WritePolicy() };
}

/** A batch of valid contacts with these ids, from source row `firstRow` on. */
const contactsBatch = (run: RunIdentity, ids: number[], firstRow = 1): Batch => ({
  rows: encodeRows(
    managedTypeNames(contactsTemplate.columns),
    run,
    ids.map((id, i) => ({
      values: [String(id), `user${id}@example.com`, 'Ada', 'Lovelace', 'ACME', 'GB', '2024-02-29', '12.50', 't', null],
      sourceRow: firstRow + i,
    })),
  ),
  errors: [],
  failedRows: [],
  processed: ids.length,
  failed: 0,
  bytesProcessed: 10,
});

beforeAll(async () => {
  h = await build({ PROCESSOR_BATCH_ROWS: '2', ACK_WAIT_MS: '3000' }, { start: false });
});
afterAll(() => h.close());

const lines = Array.from({ length: 9 }, (_, i) => contact(1000 + i, i === 4 ? { email: 'bad' } : {}));

describe('a job whose worker died', () => {
  it('is resumed after its last committed batch by the next worker, as a new attempt, with exact counts', async () => {
    const job = await createJob(h, csvOf(...lines), { publish: false });
    // The first worker claimed the job and committed two batches (rows 1-4), then died.
    const first = await claimJob(h.ctx.db, job.id, 3000);
    expect(first.kind).toBe('run');
    if (first.kind !== 'run') return;
    const run = runOf(first, job.id);
    const batch = (from: number) => contactsBatch(run, [999 + from, 1000 + from], from);
    let totals = (await writeOne(run, batch(1), ZERO)).totals;
    totals = (await writeOne(run, batch(3), totals)).totals;

    const done = await resumedByNextWorker(job.id);
    expect(done).toMatchObject({
      status: 'completed',
      attempt: 2,
      resumedFromRow: 4,
      processedRows: 9,
      successRows: 8,
      failedRows: 1,
      totalRows: 9,
    });
    const [{ n } = { n: -1 }] = await h.ctx.db.sql<
      { n: number }[]
    >`select count(*)::int as n from contacts where import_job_id = ${job.id}`;
    expect(n).toBe(8);
    const errors = await h.ctx.db.sql`select row, code from import_row_errors where job_id = ${job.id}`;
    expect(errors).toEqual([{ row: 5, code: 'invalid_email' }]);
    const started = h.events.filter((e) => e.jobId === job.id && e.type === 'started');
    expect(started.at(-1)?.job).toMatchObject({ attempt: 2, resumedFromRow: 4 });
  });

  it('cannot commit once a newer attempt holds the job (fencing)', async () => {
    const { job, first, second } = await claimedTwice(csvOf(contact(2000)));
    expect(second).toMatchObject({ kind: 'run', change: { row: { attempt: first.change.row.attempt + 1 } } });
    const stale = {
      jobId: job.id,
      runId: first.change.row.runId!,
      attempt: first.change.row.attempt,
      onDuplicate: 'error' as const,
      maxStoredErrors: 10_000,
      writes: new WritePolicy(),
      limits: { maxErrors: null, maxErrorRate: null },
      keepBeforeImages: true,
    };
    const batch = {
      rows: encodeRows(managedTypeNames(contactsTemplate.columns), stale, [
        { values: ['2000', 'a@b.co', 'A', 'B', null, 'GB', '2024-01-01', '1', 't', null], sourceRow: 1 },
      ]),
      errors: [],
      failedRows: [],
      processed: 1,
      failed: 0,
      bytesProcessed: 1,
    };
    await expect(writeOne(stale, batch, { processed: 0, success: 0, failed: 0, errors: 0 })).rejects.toBeInstanceOf(LeaseLostError);
    expect(await h.ctx.db.sql`select 1 from contacts where id = 2000`).toHaveLength(0);
  });

  it('leaves its work item to the newer attempt that took the job over before it could complete it', async () => {
    // A file with no rows: the first attempt goes straight to completing the job, which the newer attempt now holds.
    const { job, first, second } = await claimedTwice(csvOf());
    if (second.kind !== 'run') throw new Error('not taken over');
    const lease = { renew: () => undefined, stopping: () => false, claimedAt: Date.now() };
    // Resolving would make the worker ack the work item the newer attempt holds (consume.ts).
    await expect(runImport(h.ctx, first.change, lease)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await jobRow(h, job.id)).toMatchObject({ status: 'processing', attempt: second.change.row.attempt });
    expect(await runImport(h.ctx, second.change, lease)).toMatchObject({ status: 'completed', processedRows: 0 });
  });

  it('is taken over by the redelivery that comes one lease after a worker died right after claiming it', async () => {
    const job = await createJob(h, csvOf(contact(2500)), { publish: false });
    const first = await claimJob(h.ctx.db, job.id, 3000);
    expect(first.kind).toBe('run');
    // The claim's heartbeat, a little younger than the lease when JetStream redelivers.
    await h.ctx.db.db
      .update(importJobs)
      .set({ heartbeatAt: new Date(Date.now() - 2900) })
      .where(eq(importJobs.id, job.id));
    expect(await claimJob(h.ctx.db, job.id, 3000)).toMatchObject({ kind: 'run', change: { row: { attempt: 2 } } });
  });

  it('is not taken from a worker that is alive', async () => {
    const job = await createJob(h, csvOf(contact(3000)), { publish: false });
    expect((await claimJob(h.ctx.db, job.id, 3000)).kind).toBe('run');
    expect((await claimJob(h.ctx.db, job.id, 3000)).kind).toBe('busy');
  });
});

describe('cancel', () => {
  it('stops a processing job at a batch boundary, keeping exactly what was committed', async () => {
    const job = await createJob(h, csvOf(...Array.from({ length: 3000 }, (_, i) => contact(4000 + i))));
    await waitFor(async () => (await jobRow(h, job.id)).processedRows > 0, 'first batch');
    await h.ctx.db.db.update(importJobs).set({ cancelRequested: true }).where(eq(importJobs.id, job.id));
    const done = await waitForFinal(h, job.id);
    expect(done.status).toBe('cancelled');
    expect(done.processedRows).toBeLessThan(3000);
    const [{ n } = { n: -1 }] = await h.ctx.db.sql<
      { n: number }[]
    >`select count(*)::int as n from contacts where import_job_id = ${job.id}`;
    expect(n).toBe(done.successRows);
    expect(h.events.filter((e) => e.jobId === job.id).at(-1)).toMatchObject({
      type: 'cancelled',
      job: { processedRows: done.processedRows },
    });
  });

  it('goes on, once resumed, knowing the keys its run left unchanged: a later repeat of one is still a duplicate', async () => {
    const table = managedTargetTable(contactsTemplate);
    // An earlier job wrote keys 8800 and 8801.
    const earlier = await createJob(h, csvOf(contact(8800), contact(8801)), { publish: false });
    const earlierRun = runOf(await claimJob(h.ctx.db, earlier.id, 3000), earlier.id);
    await writeOne(earlierRun, contactsBatch(earlierRun, [8800, 8801]), ZERO);
    // This job's rows 1-2 are those two as stored; its first worker left them unchanged, noting their keys, and died.
    // Rows 3-4, read by the attempt that resumes it, are a new key and 8800 again.
    const job = await createJob(h, csvOf(contact(8800), contact(8801), contact(8802), contact(8800, { first: 'Again' })), {
      publish: false,
    });
    const run = runOf(await claimJob(h.ctx.db, job.id, 3000), job.id);
    const connection = await h.ctx.db.sql.reserve();
    try {
      run.unchangedKeys = await prepareUnchangedKeys(connection, table, job.id, true);
    } finally {
      connection.release();
    }
    expect((await writeOne(run, contactsBatch(run, [8800, 8801]), ZERO)).totals).toMatchObject({ processed: 2, success: 2 });

    expect(await resumedByNextWorker(job.id)).toMatchObject({
      status: 'completed',
      attempt: 2,
      processedRows: 4,
      successRows: 3,
      failedRows: 1,
    });
    expect(await h.ctx.db.sql`select row, code from import_row_errors where job_id = ${job.id}`).toEqual([
      { row: 4, code: 'duplicate_key' },
    ]);
    const kept = await h.ctx.db
      .sql`select id::int as id, first_name, import_job_id::text as job from contacts where id in (8800, 8801) order by id`;
    expect(kept).toEqual([
      { id: 8800, first_name: 'Ada', job: earlier.id },
      { id: 8801, first_name: 'Ada', job: earlier.id },
    ]);
  });

  it('cancels a job whose worker died after the cancel was asked for', async () => {
    const job = await createJob(h, csvOf(contact(5000)), { publish: false });
    await h.ctx.db.db
      .update(importJobs)
      .set({ status: 'processing', cancelRequested: true, heartbeatAt: null })
      .where(eq(importJobs.id, job.id));
    await publishEvent(h.ctx.bus, 'created', toJob(await jobRow(h, job.id)), { tenantId: 'default', dedupe: false });
    expect((await waitForFinal(h, job.id)).status).toBe('cancelled');
  });
});
