import { FINAL_STATUSES, type JobRevert } from '@docprocessor/contracts';
import type { DbClient, Queries } from '../client.js';
import { jobFromSql } from '../jobs/job-from-sql.js';
import type { ImportJobRow } from '../schema/import-jobs.js';
import { holdOffRetention } from './before-image-retention.js';
import { type AuditRecord, recordAudit } from '../people/audit-log.js';

/** Statuses a revert starts from: the final ones it leaves. */
const REVERTIBLE = FINAL_STATUSES.filter((status) => status !== 'reverted');

/**
 * Records that a revert is asked for, with what it will do, if the job still allows it: final, not a dry run, its
 * images kept, no revert underway (one that ended refused may be asked for again) and no fix of it in flight.
 * Taken while no retention sweep runs, so images the job needs cannot go between the check and the request.
 * Undefined: not allowed now.
 */
export async function requestRevert(
  db: DbClient,
  jobId: string,
  tenantId: string,
  plan: Pick<JobRevert, 'toDelete' | 'toRestore'>,
  audit?: AuditRecord,
): Promise<ImportJobRow | undefined> {
  const revert: JobRevert = {
    requestedAt: new Date().toISOString(),
    toDelete: plan.toDelete,
    toRestore: plan.toRestore,
    done: 0,
    error: null,
  };
  return db.sql.begin(async (sql) => {
    await holdOffRetention(sql);
    const [record] = await sql`
      update import_jobs set revert = ${JSON.stringify(revert)}::jsonb, updated_at = now()
      where id = ${jobId} and tenant_id = ${tenantId} and status in ${sql(REVERTIBLE)} and not dry_run
        and before_images_dropped_at is null and (revert is null or jsonb_typeof(revert -> 'error') = 'object')
        and not fixes @> '[{"status": "pending"}]'::jsonb and not fixes @> '[{"status": "processing"}]'::jsonb
      returning *`;
    if (record && audit) await recordAudit(sql, audit);
    return record ? jobFromSql(record) : undefined;
  });
}

/** Takes back a request that could not be queued (NATS away), so it may be asked for again. */
export async function withdrawRevert(sql: Queries, jobId: string, requestedAt: string): Promise<void> {
  await sql`update import_jobs set revert = null, updated_at = now()
    where id = ${jobId} and status <> 'reverted' and revert ->> 'requestedAt' = ${requestedAt}`;
}

/** Adds a batch's rows to the revert's progress, in the batch's transaction. */
export async function recordRevertProgress(sql: Queries, jobId: string, rows: number): Promise<ImportJobRow | undefined> {
  const [record] = await sql`
    update import_jobs set revert = jsonb_set(revert, '{done}', to_jsonb((revert ->> 'done')::bigint + ${rows})), updated_at = now()
    where id = ${jobId} and revert is not null and status <> 'reverted'
    returning *`;
  return record ? jobFromSql(record) : undefined;
}

/** Why the revert did not happen (or its last failure), or null when a delivery starts again; the status stays. */
export async function recordRevertError(
  sql: Queries,
  jobId: string,
  error: { code: string; message: string } | null,
): Promise<ImportJobRow | undefined> {
  const [record] = await sql`
    update import_jobs set revert = jsonb_set(revert, '{error}', ${JSON.stringify(error)}::jsonb), updated_at = now()
    where id = ${jobId} and revert is not null and status <> 'reverted'
    returning *`;
  return record ? jobFromSql(record) : undefined;
}
