import type { JobFix } from '@docprocessor/contracts';
import type { DbClient, Queries } from '../client.js';
import type { ImportJobRow, StoredFix } from '../schema/import-jobs.js';
import { jobFromSql } from './job-from-sql.js';
import { type AuditRecord, withAudit } from '../people/audit-log.js';

/** How many fixes a job keeps in its history; older ones drop off when a new one is added. */
export const KEPT_FIXES = 10;

/** A job that takes a fix: completed for real, not reverted, no fix of it in flight. */
const takesFix = (sql: Queries) => sql`status = 'completed' and not dry_run and revert is null
  and not fixes @> '[{"status": "pending"}]'::jsonb and not fixes @> '[{"status": "processing"}]'::jsonb`;

/**
 * Appends a pending fix to a job that takes one (see takesFix), in one guarded UPDATE, so two uploads at once
 * never both get in. Undefined: the job is not (or no longer) in a state that takes a fix.
 */
export async function addJobFix(
  db: DbClient,
  jobId: string,
  tenantId: string,
  fix: StoredFix,
  audit?: AuditRecord,
): Promise<ImportJobRow | undefined> {
  return withAudit(db.sql, audit, async (sql) => {
    const [record] = await sql`
    update import_jobs set updated_at = now(),
      fixes = (select coalesce(jsonb_agg(f order by n), '[]'::jsonb)
               from jsonb_array_elements(fixes || ${JSON.stringify([fix])}::jsonb) with ordinality as e(f, n)
               where n > jsonb_array_length(fixes) + 1 - ${KEPT_FIXES})
    where id = ${jobId} and tenant_id = ${tenantId} and ${takesFix(sql)}
    returning *`;
    return record ? jobFromSql(record) : undefined;
  });
}

/** The fix's entry with `patch` applied; every other entry as it was. */
const patched = (sql: Queries, fixId: string, patch: Partial<JobFix>) => sql`(
  select jsonb_agg(case when f->>'id' = ${fixId} then f || ${JSON.stringify(patch)}::jsonb else f end order by n)
  from jsonb_array_elements(fixes) with ordinality as e(f, n))`;

/** The job holds the fix in this state: the fence of every write a fix makes. */
const holdsFix = (sql: Queries, fixId: string, state: Partial<JobFix>) =>
  sql`status = 'completed' and fixes @> ${JSON.stringify([{ id: fixId, ...state }])}::jsonb`;

/** A worker takes a pending fix (or one whose worker died while processing it, which resumes at its `rows`). */
export async function startJobFix(db: DbClient, jobId: string, fixId: string): Promise<ImportJobRow | undefined> {
  const [record] = await db.sql`
    update import_jobs set updated_at = now(), fixes = ${patched(db.sql, fixId, { status: 'processing' })}
    where id = ${jobId} and (${holdsFix(db.sql, fixId, { status: 'pending' })} or ${holdsFix(db.sql, fixId, { status: 'processing' })})
    returning *`;
  return record ? jobFromSql(record) : undefined;
}

/** How far a fix has got, counted over its rows so far: the checkpoint a redelivery resumes after. */
export type FixTotals = Pick<JobFix, 'rows' | 'fixed' | 'stillFailing'>;

/** What one batch of a fix changed: rows it fixed, row errors it removed (its rows' old ones) and stored (new ones). */
export interface FixBatchChange {
  fixed: number;
  errorsRemoved: number;
  errorsAdded: number;
}

/**
 * A fix batch's counts, in the batch's transaction (`sql` is its connection): the job's counters move by the rows it
 * fixed, and the fix's checkpoint moves from `fromRows` to `totals.rows`. Undefined: the fix is not at that
 * checkpoint any more (another delivery got there first), so the batch must roll back.
 */
export async function recordFixBatch(
  sql: Queries,
  jobId: string,
  fixId: string,
  fromRows: number,
  totals: FixTotals,
  change: FixBatchChange,
): Promise<ImportJobRow | undefined> {
  const [record] = await sql`
    update import_jobs set updated_at = now(),
      failed_rows = failed_rows - ${change.fixed}, success_rows = success_rows + ${change.fixed},
      errors_total = greatest(0, errors_total - ${change.errorsRemoved} + ${change.errorsAdded}),
      fixes = ${patched(sql, fixId, totals)}
    where id = ${jobId} and ${holdsFix(sql, fixId, { status: 'processing', rows: fromRows })}
    returning *`;
  return record ? jobFromSql(record) : undefined;
}

/** A processing fix ends, completed or failed with a reason a person can act on. */
export async function endJobFix(
  db: DbClient,
  jobId: string,
  fixId: string,
  end: { status: 'completed' } | { status: 'failed'; error: string },
): Promise<ImportJobRow | undefined> {
  const [record] = await db.sql`
    update import_jobs set updated_at = now(), fixes = ${patched(db.sql, fixId, { error: null, ...end })}
    where id = ${jobId} and ${holdsFix(db.sql, fixId, { status: 'processing' })}
    returning *`;
  return record ? jobFromSql(record) : undefined;
}

/** Takes back a pending fix no worker was told of (its work item could not be published): the job takes a fix again. */
export async function withdrawJobFix(db: DbClient, jobId: string, fixId: string): Promise<void> {
  await db.sql`
    update import_jobs set updated_at = now(),
      fixes = (select coalesce(jsonb_agg(f order by n), '[]'::jsonb)
               from jsonb_array_elements(fixes) with ordinality as e(f, n) where f->>'id' <> ${fixId})
    where id = ${jobId} and ${holdsFix(db.sql, fixId, { status: 'pending' })}`;
}
