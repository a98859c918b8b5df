import type { DbClient, Queries, SqlFragment } from '../client.js';
import type { ImportJobRow } from '../schema/import-jobs.js';
import { heldBy, quietFor, type Fence } from './fences.js';
import { type AuditRecord, withAudit } from '../people/audit-log.js';
import { jobFromSql } from './job-from-sql.js';

/** Writes to a job that do not change its status, each behind a fence; undefined when the fence did not hold. */
async function updateHeld(sql: Queries, jobId: string, fence: Fence, set: SqlFragment): Promise<ImportJobRow | undefined> {
  const [record] = await sql`update import_jobs set ${set} where id = ${jobId} and ${heldBy(sql, fence)} returning *`;
  return record ? jobFromSql(record) : undefined;
}

export interface BatchTotals {
  processed: number;
  success: number;
  failed: number;
  /** Row errors found so far, stored or not. */
  errors: number;
}

/**
 * A batch's counters and checkpoint, in the batch's own transaction (`sql` is its connection): they commit
 * with its rows and errors or not at all. Undefined: a newer attempt holds the job, so the batch must roll back.
 */
export const recordBatch = (sql: Queries, jobId: string, attempt: number, totals: BatchTotals, bytesProcessed: number) =>
  updateHeld(
    sql,
    jobId,
    { attempt },
    sql`processed_rows = ${totals.processed}, success_rows = ${totals.success}, failed_rows = ${totals.failed},
        errors_total = ${totals.errors}, bytes_processed = greatest(bytes_processed, ${bytesProcessed}),
        heartbeat_at = now(), updated_at = now()`,
  );

// Header names come from the file: PostgreSQL text cannot hold NUL, and a report needs no 10,000 names of 1 MB.
const MAX_REPORTED_COLUMNS = 100;
const MAX_REPORTED_NAME = 200;
const reportable = (names: string[]): string[] =>
  names.slice(0, MAX_REPORTED_COLUMNS).map((name) => name.replaceAll('\u0000', '').slice(0, MAX_REPORTED_NAME));

/**
 * The file's header as read (errors.csv gives failed rows back under it, and a fix must have it), and the header
 * columns the template does not know, reported on the job.
 */
export const recordHeader = (db: DbClient, jobId: string, attempt: number, header: readonly string[], ignored: string[]) =>
  updateHeld(
    db.sql,
    jobId,
    { attempt },
    db.sql`file_header = ${JSON.stringify(header.map((name) => name.replaceAll('\u0000', '')))}::jsonb,
      ignored_columns = ${JSON.stringify(reportable(ignored))}::jsonb, updated_at = now()`,
  );

/** Hands a job back at its last checkpoint: a cleared heartbeat lets the next delivery resume it at once. */
export const releaseJob = (db: DbClient, jobId: string, attempt: number) =>
  updateHeld(db.sql, jobId, { attempt }, db.sql`heartbeat_at = null`);

/**
 * The watchdog's hand-back of a job still stalled as it saw it. A processing job gets a heartbeat just past the
 * lease, so the next claim takes it over at once, and a fresh updated_at, so watchdogs leave it alone for another
 * stall period; a pending one counts as announced now.
 */
export function handBackJob(db: DbClient, jobId: string, fence: Extract<Fence, { quietForMs: number }>, leaseMs: number) {
  const set =
    fence.status === 'processing'
      ? db.sql`heartbeat_at = now() - make_interval(secs => ${(leaseMs + 1000) / 1000}), updated_at = now()`
      : db.sql`announced_at = now()`;
  return updateHeld(db.sql, jobId, fence, set);
}

/** A cancel of a job a worker is processing: the worker stops at its next batch boundary and ends it with `stop`. */
export async function requestCancel(db: DbClient, jobId: string, tenantId: string, audit?: AuditRecord): Promise<ImportJobRow | undefined> {
  return withAudit(db.sql, audit, async (sql) => {
    const [record] = await sql`
      update import_jobs set cancel_requested = true
      where id = ${jobId} and tenant_id = ${tenantId} and status = 'processing'
      returning *`;
    return record ? jobFromSql(record) : undefined;
  });
}

/** Jobs the watchdog should look at: processing without a committed batch, or pending unclaimed, for too long. */
export async function findStalledJobs(db: DbClient, stallMs: number, pendingMs: number, limit = 20): Promise<ImportJobRow[]> {
  const records = await db.sql`
    select * from import_jobs
    where ${quietFor(db.sql, 'processing', stallMs)} or ${quietFor(db.sql, 'pending', pendingMs)}
    order by updated_at
    limit ${limit}`;
  return records.map(jobFromSql);
}
