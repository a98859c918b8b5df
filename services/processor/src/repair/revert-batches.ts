import { AppError, LINEAGE_COLUMNS, type Template } from '@docprocessor/contracts';
import { holdOffRetention, quoteIdent, recordRevertProgress, type ImportJobRow, type Queries } from '@docprocessor/db';
import type { TargetTable } from '../import-file/write/target-table.js';

/** What a revert writes back to a row it restores: the template's columns and the row's lineage (its earlier writer). */
export interface RevertTarget {
  table: TargetTable;
  /** Column names as the before-images have them (unquoted). */
  restored: readonly string[];
}

export const revertTargetOf = (template: Template, table: TargetTable): RevertTarget => ({
  table,
  restored: [...template.columns.map((c) => c.name), ...LINEAGE_COLUMNS],
});

/**
 * The start of every batch's transaction: one revert of a job at a time (a redelivery racing the worker it
 * replaced waits for it), no retention sweep meanwhile, and none has dropped the images this revert needs.
 */
async function openBatch(sql: Queries, jobId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`docprocessor.revert.${jobId}`}))`;
  await holdOffRetention(sql);
  const [job] = await sql`select before_images_dropped_at from import_jobs where id = ${jobId}`;
  if (job?.before_images_dropped_at)
    throw new AppError(
      'revert_expired',
      'The earlier values of rows this import changed were dropped by retention while it was being reverted',
    );
}

export interface BatchDone {
  /** Rows this batch took care of: restored from images, or deleted. */
  rows: number;
  /** For a restore batch: the last image taken, where the next batch looks on from. */
  lastImage: number | null;
  /** Images whose row no longer carried this job's lineage (changed since by hand or by an import racing the revert). */
  skipped: number;
  job: ImportJobRow | undefined;
}

/**
 * Gives about `limit` rows the job updated their earlier values back, from its before-images (whole images, at least
 * one, after image id `after`), and deletes those images in the same transaction: what is left is exactly what is
 * still to do, so a revert killed here resumes at the next image. A row is restored only while it still carries this
 * job's lineage, which a restored row never does again (its lineage is its earlier writer's), so a repeat changes
 * nothing. A column added to the table since the image was taken keeps its value.
 */
export async function restoreBatch(sql: Queries, jobId: string, target: RevertTarget, after: number, limit: number): Promise<BatchDone> {
  await openBatch(sql, jobId);
  const { table } = target;
  const assignments = target.restored
    .map(
      (name, i) =>
        `${quoteIdent(name)} = case when r.row -> $${i + 4}::text is not null then s.${quoteIdent(name)} else t.${quoteIdent(name)} end`,
    )
    .join(', ');
  const [done] = await sql.unsafe<{ taken: number; last: number | null; restored: number }[]>(
    `with batch as (
       delete from import_before_images where id in (
         select id from (
           select id, sum(row_count) over (order by id) - row_count as earlier from import_before_images
           where job_id = $1 and previous_job_id is distinct from $1 and id > $2) pending
         where earlier < $3)
       returning id, row_count, image),
     restored as (
       update ${table.table} as t set ${assignments}
       from batch b cross join lateral json_array_elements(b.image) as r(row)
         cross join lateral json_populate_record(null::${table.table}, r.row) as s
       where ${table.keyJoin} and t.import_job_id = $1
       returning 1)
     select coalesce((select sum(row_count) from batch), 0)::int as taken, (select max(id) from batch) as last,
       (select count(*) from restored)::int as restored`,
    [jobId, after, limit, ...target.restored],
  );
  const taken = done?.taken ?? 0;
  const job = taken > 0 ? await recordRevertProgress(sql, jobId, taken) : undefined;
  return { rows: taken, lastImage: done?.last ?? null, skipped: taken - (done?.restored ?? 0), job };
}

/**
 * Deletes up to `limit` rows that still carry the job's lineage. Run after every restore, when those are exactly
 * the rows it inserted; a repeat finds fewer, then none.
 */
export async function deleteBatch(sql: Queries, jobId: string, target: RevertTarget, limit: number): Promise<BatchDone> {
  await openBatch(sql, jobId);
  const table = target.table.table;
  const [done] = await sql.unsafe<{ deleted: number }[]>(
    `with gone as (
       delete from ${table} where ctid = any(array(select ctid from ${table} where import_job_id = $1 limit $2)) and import_job_id = $1
       returning 1)
     select count(*)::int as deleted from gone`,
    [jobId, limit],
  );
  const deleted = done?.deleted ?? 0;
  const job = deleted > 0 ? await recordRevertProgress(sql, jobId, deleted) : undefined;
  return { rows: deleted, lastImage: null, skipped: 0, job };
}

/** The job's images that are left once every row is back (those of rows its own earlier run wrote): a revert leaves none. */
export async function dropJobImages(sql: Queries, jobId: string): Promise<void> {
  await sql`delete from import_before_images where job_id = ${jobId}`;
}
