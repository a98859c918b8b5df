import type { Connection } from '@docprocessor/db';
import { captureBeforeImages, rowChanges } from './before-images.js';
import type { TargetTable } from './target-table.js';

const lineageColumns = ['import_job_id', 'import_run_id', 'source_row'];

/**
 * An atomic import's rows go from its shadow into the table inside the transaction that completes the job (see
 * `endShadowed`): the file's rows appear all at once, keep the rows they overwrite for a revert, and nothing appears
 * unless the job completes.
 */
export async function mergeShadow(
  conn: Connection,
  shadow: TargetTable,
  target: TargetTable,
  run: { jobId: string; runId: string },
): Promise<void> {
  const all = [...target.columns, ...lineageColumns];
  const updates = [...all.map((c) => `${c} = excluded.${c}`), 'imported_at = now()'].join(', ');
  // The shadow holds one row per key (its own upserts saw to duplicates), so a row equal to the table's is
  // left as it is, whatever the duplicate policy: no image, its lineage kept.
  // Sorted, not hashed: PostgreSQL then builds one image at a time, however many rows the merge overwrites.
  await conn.unsafe('set local enable_hashagg = off');
  await captureBeforeImages(conn, target, shadow.table, run, true);
  await conn.unsafe('reset enable_hashagg');
  await conn.unsafe(
    `insert into ${target.table} as t (${all.join(', ')}) select ${all.join(', ')} from ${shadow.table}
     on conflict ${target.conflictTarget} do update set ${updates} where ${rowChanges(target, 't', 'excluded')}`,
  );
}
