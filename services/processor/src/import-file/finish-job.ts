import { and, eq, sql } from 'drizzle-orm';
import type { JobError } from '@docprocessor/contracts';
import { importJobs, jobFromSql, type DbClient, type ImportJobRow } from '@docprocessor/db';
import { noLiveWorker } from './claim-job.js';

const holds = (jobId: string, attempt: number) =>
  and(eq(importJobs.id, jobId), eq(importJobs.attempt, attempt), eq(importJobs.status, 'processing'));

/** Final states are written only by the attempt that holds the job; undefined means it was lost meanwhile. */
export async function completeJob(db: DbClient, jobId: string, attempt: number): Promise<ImportJobRow | undefined> {
  const now = new Date();
  const [row] = await db.db
    .update(importJobs)
    .set({ status: 'completed', totalRows: sql`${importJobs.processedRows}`, bytesProcessed: sql`${importJobs.sizeBytes}`, finishedAt: now, updatedAt: now })
    .where(holds(jobId, attempt))
    .returning();
  return row;
}

export async function failJob(db: DbClient, jobId: string, attempt: number | null, error: JobError): Promise<ImportJobRow | undefined> {
  const now = new Date();
  const [row] = await db.db
    .update(importJobs)
    .set({ status: 'failed', error, finishedAt: now, updatedAt: now })
    .where(attempt === null ? and(eq(importJobs.id, jobId), eq(importJobs.status, 'processing')) : holds(jobId, attempt))
    .returning();
  return row;
}

export async function cancelJob(db: DbClient, jobId: string, attempt: number): Promise<ImportJobRow | undefined> {
  const now = new Date();
  const [row] = await db.db.update(importJobs).set({ status: 'cancelled', finishedAt: now, updatedAt: now }).where(holds(jobId, attempt)).returning();
  return row;
}

// Header names come from the file: PostgreSQL text cannot hold NUL, and a report needs no 10,000 names of 1 MB.
const MAX_REPORTED_COLUMNS = 100;
const MAX_REPORTED_NAME = 200;
const reportable = (names: string[]): string[] =>
  names.slice(0, MAX_REPORTED_COLUMNS).map((name) => name.replaceAll('\u0000', '').slice(0, MAX_REPORTED_NAME));

export async function recordIgnoredColumns(db: DbClient, jobId: string, attempt: number, ignored: string[]): Promise<ImportJobRow | undefined> {
  const [row] = await db.db
    .update(importJobs)
    .set({ ignoredColumns: reportable(ignored), updatedAt: new Date() })
    .where(holds(jobId, attempt))
    .returning();
  return row;
}

/** Hands a job back at its last checkpoint: a cleared heartbeat lets the next delivery resume it at once. */
export async function releaseJob(db: DbClient, jobId: string, attempt: number): Promise<void> {
  await db.db.update(importJobs).set({ heartbeatAt: null }).where(holds(jobId, attempt));
}

/**
 * Fails a job whose work item is being given up. The attempt that held it is fenced as usual; with no
 * attempt known (the item never got claimed this time) only a job that no live worker holds is failed.
 */
export async function giveUpJob(db: DbClient, jobId: string, attempt: number | null, error: JobError, leaseMs: number): Promise<ImportJobRow | undefined> {
  const [record] = await db.sql`
    update import_jobs set status = 'failed', error = ${JSON.stringify(error)}::jsonb, finished_at = now(), updated_at = now()
    where id = ${jobId} and ${
      attempt === null
        ? noLiveWorker(db, leaseMs)
        : db.sql`status = 'processing' and attempt = ${attempt}`
    }
    returning *`;
  return record ? jobFromSql(record) : undefined;
}
