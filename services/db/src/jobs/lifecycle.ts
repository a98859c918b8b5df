import { and, asc, eq } from 'drizzle-orm';
import { JOB_TRANSITIONS, type ImportPlan, type JobError, type JobTransitionName } from '@docprocessor/contracts';
import type { DbClient, Queries, SqlFragment } from '../client.js';
import { importJobs, type NewImportJobRow } from '../schema/import-jobs.js';
import { changeOf, type JobChangeRow } from './job-change.js';
import { jobFromSql } from './job-from-sql.js';
import { heldBy, type Fence } from './fences.js';
import { revertUnderway } from '../repairs/before-image-retention.js';
import { type AuditRecord, auditRow, recordAudit, withAudit } from '../people/audit-log.js';
import { auditLog } from '../schema/people.js';

/**
 * The one UPDATE behind every transition: the status moves from one the table allows to the table's
 * target, in the same statement as the caller's fence and extra assignments. Undefined: the job was not
 * in a state (or not held by the attempt) that allows it, and nothing changed.
 */
async function transition(
  sql: Queries,
  name: JobTransitionName,
  jobId: string,
  fence: SqlFragment,
  set?: SqlFragment,
): Promise<JobChangeRow | undefined> {
  const { from, to, event } = JOB_TRANSITIONS[name];
  const [record] = await sql`
    update import_jobs set status = ${to}, updated_at = clock_timestamp() ${set ? sql`, ${set}` : sql``}
    where id = ${jobId} and status in ${sql(from)} and ${fence}
    returning *`;
  return record ? changeOf(jobFromSql(record), event) : undefined;
}

// The clock, not now(): an atomic import completes inside the transaction that merged its rows, and now() is when
// that transaction began, before the merge.
const finished = (sql: Queries) => sql`finished_at = clock_timestamp()`;

export interface NewJob extends Omit<NewImportJobRow, 'status' | 'duplicateOf' | 'createdAt'> {
  id: string;
  tenantId: string;
}

/**
 * `create`: commits a pending job, naming the tenant's first earlier job of the same file and template as
 * the one it duplicates. Undefined when another request with the same Idempotency-Key got there first.
 */
export async function createJob(db: DbClient, values: NewJob, audit?: AuditRecord): Promise<JobChangeRow | undefined> {
  const row = await db.db.transaction(async (tx) => {
    const [original] = await tx
      .select({ id: importJobs.id })
      .from(importJobs)
      .where(and(eq(importJobs.tenantId, values.tenantId), eq(importJobs.template, values.template), eq(importJobs.sha256, values.sha256)))
      .orderBy(asc(importJobs.createdAt))
      .limit(1);
    const inserted = await tx
      .insert(importJobs)
      .values({ ...values, status: JOB_TRANSITIONS.create.to, duplicateOf: original?.id ?? null, createdAt: new Date() })
      .onConflictDoNothing({ target: [importJobs.tenantId, importJobs.idempotencyKey] })
      .returning();
    if (inserted[0] && audit) await tx.insert(auditLog).values(auditRow(audit));
    return inserted[0];
  });
  return row && changeOf(row, JOB_TRANSITIONS.create.event);
}

/** `retry`: a new attempt from row 1; the earlier attempt's counters and row errors go, in one transaction. */
export async function retryJob(db: DbClient, jobId: string, tenantId: string, audit?: AuditRecord): Promise<JobChangeRow | undefined> {
  return db.sql.begin(async (sql) => {
    const change = await transition(
      sql,
      'retry',
      jobId,
      // Not while a revert of it runs: the retry would write rows the revert is taking away.
      sql`tenant_id = ${tenantId} and not ${revertUnderway(sql, 'import_jobs')}`,
      sql`attempt = attempt + 1, run_id = null, revert = null, total_rows = null, processed_rows = 0, success_rows = 0, failed_rows = 0,
          bytes_processed = 0, errors_total = 0, error = null, resumed_from_row = null, cancel_requested = false,
          announced_at = null, started_at = null, finished_at = null`,
    );
    if (change) await sql`delete from import_row_errors where job_id = ${jobId}`;
    if (change) await sql`delete from import_failed_rows where job_id = ${jobId}`;
    if (change && audit) await recordAudit(sql, audit);
    return change;
  });
}

/** `cancel`: a job no worker took yet ends at once. */
export const cancelJob = (db: DbClient, jobId: string, tenantId: string, audit?: AuditRecord): Promise<JobChangeRow | undefined> =>
  withAudit(db.sql, audit, (sql) =>
    transition(sql, 'cancel', jobId, sql`tenant_id = ${tenantId}`, sql`cancel_requested = true, ${finished(sql)}`),
  );

/** `start`: a pending job's first run, with a run id of its own that its rows carry. */
export const startJob = (db: DbClient, jobId: string): Promise<JobChangeRow | undefined> =>
  transition(
    db.sql,
    'start',
    jobId,
    db.sql`not cancel_requested`,
    db.sql`run_id = gen_random_uuid(), resumed_from_row = null, started_at = now(), heartbeat_at = now()`,
  );

/**
 * `resume`: takes over a job whose worker went silent, as a new attempt (the fencing token every batch
 * commit checks) that goes on after the last committed row.
 */
export const resumeJob = (db: DbClient, jobId: string, leaseMs: number): Promise<JobChangeRow | undefined> =>
  transition(
    db.sql,
    'resume',
    jobId,
    db.sql`not cancel_requested and ${heldBy(db.sql, { leaseMs })}`,
    db.sql`attempt = attempt + 1, resumed_from_row = nullif(processed_rows, 0), heartbeat_at = now()`,
  );

/** `complete`: written only by the attempt that holds the job; every row it read is counted by now. A dry run says its plan. */
export const completeJob = (
  db: DbClient,
  jobId: string,
  attempt: number,
  plan: ImportPlan | null = null,
): Promise<JobChangeRow | undefined> =>
  transition(
    db.sql,
    'complete',
    jobId,
    heldBy(db.sql, { attempt }),
    db.sql`total_rows = processed_rows, bytes_processed = size_bytes,
      plan = ${plan ? JSON.stringify(plan) : null}::jsonb, ${finished(db.sql)}`,
  );

/** `fail`: the file cannot be imported; rows of earlier batches stay written. */
export const failJob = (db: DbClient, jobId: string, attempt: number, error: JobError): Promise<JobChangeRow | undefined> =>
  transition(db.sql, 'fail', jobId, heldBy(db.sql, { attempt }), db.sql`error = ${JSON.stringify(error)}::jsonb, ${finished(db.sql)}`);

/** `stop`: a cancel asked for while processing takes effect; what was committed stays. */
export const stopJob = (db: DbClient, jobId: string, fence: Fence): Promise<JobChangeRow | undefined> =>
  transition(db.sql, 'stop', jobId, db.sql`cancel_requested and ${heldBy(db.sql, fence)}`, finished(db.sql));

/**
 * `giveUp`: fails a job whose work item is being given up. The attempt that held it is fenced as usual;
 * with no attempt known (the item never got claimed this time) only a job no live worker holds is failed.
 */
export const giveUpJob = (db: DbClient, jobId: string, fence: Fence, error: JobError): Promise<JobChangeRow | undefined> =>
  transition(db.sql, 'giveUp', jobId, heldBy(db.sql, fence), db.sql`error = ${JSON.stringify(error)}::jsonb, ${finished(db.sql)}`);

/** `stall`: the watchdog fails a job that stalled too often, if it is still stalled exactly as it saw it. */
export const stallJob = (db: DbClient, jobId: string, fence: Fence, error: JobError): Promise<JobChangeRow | undefined> =>
  transition(db.sql, 'stall', jobId, heldBy(db.sql, fence), db.sql`error = ${JSON.stringify(error)}::jsonb, ${finished(db.sql)}`);

/** `revert`: the revert asked for has deleted or restored every row the import wrote. */
export const revertJob = (db: DbClient, jobId: string): Promise<JobChangeRow | undefined> =>
  transition(db.sql, 'revert', jobId, db.sql`revert is not null`);
