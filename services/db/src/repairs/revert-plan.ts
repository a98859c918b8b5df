import type { RevertConflict, RevertPlan } from '@docprocessor/contracts';
import type { Queries } from '../client.js';
import type { ImportJobRow } from '../schema/import-jobs.js';

/**
 * Later imports that overwrote rows this job wrote: their before-images name this job as the row's earlier writer.
 * A later import that was reverted since has no images left, so it no longer counts. Oldest first.
 */
export async function revertConflicts(sql: Queries, jobId: string): Promise<RevertConflict[]> {
  const rows = await sql`
    select job_id::text as job_id, sum(row_count)::int as rows from import_before_images
    where previous_job_id = ${jobId} and job_id <> ${jobId}
    group by job_id order by min(id)`;
  return rows.map((r) => ({ jobId: r.job_id as string, rows: r.rows as number }));
}

/**
 * What a revert of the job would do to `table` (its template's table, quoted), changing nothing. Rows it updated
 * are those it kept a before-image of (an image of a row its own earlier run wrote is not one: that row is the
 * job's own); every other row carrying its lineage it inserted.
 */
export async function planRevert(
  sql: Queries,
  job: Pick<ImportJobRow, 'id' | 'beforeImagesDroppedAt'>,
  table: string,
): Promise<RevertPlan> {
  const [counts] = await sql.unsafe<{ written: number; images: number }[]>(
    `select (select count(*) from ${table} where import_job_id = $1)::bigint as written,
            (select coalesce(sum(row_count), 0) from import_before_images where job_id = $1 and previous_job_id is distinct from $1)::bigint
              as images`,
    [job.id],
  );
  const written = counts?.written ?? 0;
  const toRestore = counts?.images ?? 0;
  return {
    toDelete: Math.max(0, written - toRestore),
    toRestore,
    conflicts: await revertConflicts(sql, job.id),
    expired: job.beforeImagesDroppedAt !== null,
  };
}

/** The conflicts of a plan as a person reads them: how many rows, and which later imports. */
export function describeConflicts(conflicts: readonly RevertConflict[]): string {
  const rows = conflicts.reduce((sum, c) => sum + c.rows, 0);
  const jobs = conflicts.map((c) => `${c.jobId} (${c.rows} ${c.rows === 1 ? 'row' : 'rows'})`).join(', ');
  return (
    `${rows} ${rows === 1 ? 'row' : 'rows'} this import wrote were changed by a later import since: ${jobs}. ` +
    'Revert those first (newest first); nothing was changed'
  );
}
