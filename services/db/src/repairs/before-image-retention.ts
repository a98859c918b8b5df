import type { DbClient, Queries, SqlFragment } from '../client.js';

/**
 * One advisory lock between retention and reverts: the sweep holds it alone while it drops images, a revert request
 * and every revert batch share it. So a revert never sees half a sweep, and a sweep never drops images a running
 * revert still needs. As an expression, so every caller names the same key.
 */
const lockKey = (sql: Queries): SqlFragment => sql`hashtext('docprocessor.before_images')`;

/** Inside a transaction: waits for a running sweep to end and keeps the next one out until the transaction ends. */
export async function holdOffRetention(sql: Queries): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${lockKey(sql)})`;
}

/** The code job.revert.error has while a failed revert is being retried; any other error is a refusal that ended it. */
export const RETRIED_REVERT = 'internal_error';

/** A job whose revert was asked for and has neither ended nor been refused (a failing one is still retried): its images must stay. */
export const revertUnderway = (sql: Queries, job: string): SqlFragment =>
  sql`(${sql(job)}.revert is not null and ${sql(job)}.status <> 'reverted'
    and coalesce(${sql(job)}.revert -> 'error' ->> 'code', ${RETRIED_REVERT}) = ${RETRIED_REVERT})`;

export interface RetentionSweep {
  /** False when another worker's sweep (or a revert) held the lock: nothing was done this time. */
  ran: boolean;
  /** Rows whose earlier values were dropped. */
  droppedImages: number;
  /** Jobs newly marked: a revert of them is refused with revert_expired from now on. */
  expiredJobs: string[];
}

/**
 * Drops before-images older than `retentionDays` (except those of a revert underway) and marks the jobs a revert
 * could no longer take back exactly: those whose images went, and every job that finished before the cutoff. The
 * second matters for an import with no images (insert-only) whose rows a later import overwrote: that later
 * import's images, the only trace of the conflict, are as old and gone too.
 */
export async function dropOldBeforeImages(db: DbClient, retentionDays: number): Promise<RetentionSweep> {
  return db.sql.begin(async (sql) => {
    const [lock] = await sql`select pg_try_advisory_xact_lock(${lockKey(sql)}) as held`;
    if (!lock?.held) return { ran: false, droppedImages: 0, expiredJobs: [] };
    const cutoff = sql`now() - make_interval(days => ${retentionDays})`;
    // One statement: the images' owners never travel to this process, however many images go.
    const [result] = await sql`
      with dropped as (
        delete from import_before_images i where i.taken_at < ${cutoff}
          and not exists (select 1 from import_jobs j where j.id = i.job_id and ${revertUnderway(sql, 'j')})
        returning i.job_id, i.row_count),
      marked as (
        update import_jobs j set before_images_dropped_at = now()
        where j.before_images_dropped_at is null and j.status <> 'reverted' and not j.dry_run and not ${revertUnderway(sql, 'j')}
          and (j.id in (select job_id from dropped) or j.finished_at < ${cutoff})
        returning j.id)
      select (select coalesce(sum(row_count), 0) from dropped)::bigint as dropped,
        coalesce((select array_agg(id::text) from marked), '{}') as expired`;
    return { ran: true, droppedImages: Number(result?.dropped ?? 0), expiredJobs: (result?.expired as string[] | undefined) ?? [] };
  });
}
