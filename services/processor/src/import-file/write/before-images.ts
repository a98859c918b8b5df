import type { Connection } from '@docprocessor/db';
import type { TargetTable } from './target-table.js';

/** Rows per before-image at most: one image a batch (PROCESSOR_BATCH_ROWS, 10,000 by default); an atomic merge, several. */
export const IMAGE_ROWS = 10_000;

/**
 * The condition under which the upsert rewrites a row of `t` with the incoming `incoming`: when a template column
 * differs (as `IS DISTINCT FROM` sees it: NULLs equal, numbers by value). A row equal to what the table holds keeps
 * its lineage, gets no before-image, and a revert leaves it alone.
 */
export function rowChanges(table: TargetTable, stored: string, incoming: string): string {
  const values = (alias: string) => `(${table.columns.map((c) => `${alias}.${c}`).join(', ')})`;
  return `${values(stored)} is distinct from ${values(incoming)}`;
}

/**
 * Keeps, in the batch's transaction, the rows about to be overwritten that an earlier import wrote (rows this run
 * wrote itself are its own, and a revert deletes those), so that a revert can put them back. `source` is the
 * staging (or shadow) table holding the rows that will overwrite them, as `s`; with `onlyChanged`, rows the upsert
 * will leave as they are (see rowChanges) are not kept.
 *
 * One image per earlier writer and up to IMAGE_ROWS rows, its rows a JSON array (`json`, not `jsonb`: PostgreSQL
 * writes `json_agg`'s text as it is, where per-row `to_jsonb` and an insert per row cost more than the upsert
 * itself). Sorted groups, so PostgreSQL builds one image at a time however many rows an atomic merge overwrites.
 */
export async function captureBeforeImages(
  conn: Connection,
  target: TargetTable,
  source: string,
  run: { jobId: string; runId: string },
  onlyChanged: boolean,
): Promise<void> {
  const changed = onlyChanged ? ` and ${rowChanges(target, 't', 's')}` : '';
  // Pipelined: one round trip.
  await Promise.all([
    conn.unsafe('set local enable_hashagg = off').execute(),
    conn
      .unsafe(
        `insert into import_before_images (job_id, target, previous_job_id, row_count, image)
         select $1, $2, previous, count(*), json_agg(image) from (
           select t.import_job_id as previous, t as image, (row_number() over ()) / $4 as chunk
           from ${target.table} t join ${source} s on ${target.keyJoin}
           where t.import_run_id is distinct from $3${changed}) overwritten
         group by previous, chunk`,
        [run.jobId, target.table, run.runId, IMAGE_ROWS],
      )
      .execute(),
    conn.unsafe('reset enable_hashagg').execute(),
  ]);
}
