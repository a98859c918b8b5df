import type { Connection } from '@docprocessor/db';
import type { TargetTable } from './target-table.js';

/**
 * Keeps, in the batch's transaction, the rows about to be overwritten that an earlier import wrote (rows this run
 * wrote itself are its own, and a revert deletes those), so that a revert can put them back. `source` is the
 * staging (or shadow) table holding the rows that will overwrite them, as `s`.
 */
export async function captureBeforeImages(
  conn: Connection,
  target: TargetTable,
  source: string,
  run: { jobId: string; runId: string },
): Promise<void> {
  await conn.unsafe(
    `insert into import_before_images (job_id, target, previous_job_id, image)
     select $1, $2, t.import_job_id, to_jsonb(t) from ${target.table} t join ${source} s on ${target.keyJoin}
     where t.import_run_id is distinct from $3`,
    [run.jobId, target.table, run.runId],
  );
}
