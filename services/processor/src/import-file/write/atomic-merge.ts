import type { Connection, JobChangeRow } from '@docprocessor/db';
import { captureBeforeImages, rowChanges } from './before-images.js';
import type { TargetTable } from './target-table.js';

const lineageColumns = ['import_job_id', 'import_run_id', 'source_row'];

/**
 * An atomic import's rows go from its shadow into the table in one transaction, which also completes the job: the
 * file's rows appear all at once, keep the rows they overwrite for a revert, and nothing appears unless the job
 * completes. `complete` runs the completion on this connection, inside the transaction.
 */
export async function mergeShadow(
  conn: Connection,
  shadow: TargetTable,
  target: TargetTable,
  run: { jobId: string; runId: string },
  complete: () => Promise<JobChangeRow | undefined>,
): Promise<JobChangeRow | undefined> {
  const all = [...target.columns, ...lineageColumns];
  const updates = [...all.map((c) => `${c} = excluded.${c}`), 'imported_at = now()'].join(', ');
  await conn.unsafe('begin');
  try {
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
    const change = await complete();
    await conn.unsafe(change ? 'commit' : 'rollback');
    return change;
  } catch (error) {
    await conn.unsafe('rollback').catch(() => undefined);
    throw error;
  }
}
