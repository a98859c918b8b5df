import type { Connection } from '@docprocessor/db';
import type { TargetTable } from './target-table.js';

/** Source rows an image covers at most: a batch's (PROCESSOR_BATCH_ROWS, 10,000 by default), or an atomic merge's in parts. */
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
 * One image per earlier writer and IMAGE_ROWS source rows, its rows a JSON array: `json_agg` over a batch costs
 * PostgreSQL about a quarter less than `to_jsonb` and an insert per row, and `json` is stored as the text it is.
 * Grouped by source row rather than numbered (a window function and a sort cost as much again), so a batch makes
 * one image per earlier writer, two when it straddles a multiple of IMAGE_ROWS.
 */
export async function captureBeforeImages(
  conn: Connection,
  target: TargetTable,
  source: string,
  run: { jobId: string; runId: string },
  onlyChanged: boolean,
): Promise<void> {
  const changed = onlyChanged ? ` and ${rowChanges(target, 't', 's')}` : '';
  await conn.unsafe(
    `insert into import_before_images (job_id, target, previous_job_id, row_count, image)
     select $1, $2, t.import_job_id, count(*), json_agg(t)
     from ${target.table} t join ${source} s on ${target.keyJoin}
     where t.import_run_id is distinct from $3${changed}
     group by t.import_job_id, s.source_row / $4`,
    [run.jobId, target.table, run.runId, IMAGE_ROWS],
  );
}
