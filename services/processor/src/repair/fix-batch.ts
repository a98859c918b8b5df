import { recordFixBatch, type Connection, type FixTotals, type ImportJobRow } from '@docprocessor/db';
import { storeRowErrors } from '../import-file/write/row-errors.js';
import type { TargetTable } from '../import-file/write/target-table.js';
import { LeaseLostError, writeValidRows, type Batch, type RunIdentity } from '../import-file/write/write-batch.js';

/** A batch of a fix: validated as an import's batch is, with every row's cells (a row may still fail at the write). */
export interface FixBatch {
  batch: Batch;
  cells: ReadonlyMap<number, readonly string[]>;
}

/**
 * Commits one batch of a fix in one transaction: its valid rows are written as the import writes them (lineage the
 * job's run, so a revert of the job takes them back), every row's old errors and cells go, the rows still wrong get
 * their new ones, and the job's counters and the fix's checkpoint move, fenced by that checkpoint (`from`). A
 * redelivery after a crash finds the checkpoint past this batch, or this batch not committed: nothing counts twice.
 */
export async function commitFixBatch(
  conn: Connection,
  table: TargetTable,
  run: RunIdentity,
  fixId: string,
  from: FixTotals,
  { batch, cells }: FixBatch,
): Promise<{ job: ImportJobRow; totals: FixTotals }> {
  const begun = conn.unsafe('begin').execute();
  try {
    const errors = [...batch.errors];
    await writeValidRows(conn, table, run, batch, errors);
    await begun;
    const rows = [...cells.keys()];
    const removed = await conn`delete from import_row_errors where job_id = ${run.jobId} and row = any(${rows}::bigint[])`;
    await conn`delete from import_failed_rows where job_id = ${run.jobId} and row = any(${rows}::bigint[])`;
    const failing = [...new Set(errors.map((e) => e.row))];
    const failedRows = failing.map((row) => ({ row, cells: cells.get(row) ?? [] }));
    await storeRowErrors(conn, run, errors, failedRows, errors.length);
    const fixed = rows.length - failing.length;
    const totals = { rows: from.rows + rows.length, fixed: from.fixed + fixed, stillFailing: from.stillFailing + failing.length };
    const job = await recordFixBatch(conn, run.jobId, fixId, from.rows, totals, {
      fixed,
      errorsRemoved: removed.count,
      errorsAdded: errors.length,
    });
    if (!job) throw new LeaseLostError(`fix ${fixId} of job ${run.jobId} is no longer at row ${from.rows}`);
    await conn.unsafe('commit');
    return { job, totals };
  } catch (error) {
    await begun.catch(() => undefined);
    await conn.unsafe('rollback').catch(() => undefined);
    throw error;
  }
}
