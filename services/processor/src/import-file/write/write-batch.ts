import { AppError, type OnDuplicate } from '@docprocessor/contracts';
import { recordBatch, type BatchTotals, type Connection, type ImportJobRow } from '@docprocessor/db';
import { CopyRefusedError, copyInto } from './copy-into.js';
import type { CopyRows } from './copy-rows.js';
import type { WritePolicy } from './write-policy.js';
import type { TargetTable } from './target-table.js';
import { captureBeforeImages, rowChanges } from './before-images.js';
import { limitPassed, type ErrorLimits } from './error-limits.js';
import { storeRowErrors, type FailedRow, type StoredRowError } from './row-errors.js';
import { takeRepeatedUnchanged, takeUnchanged, type UnchangedKeys } from './unchanged-keys.js';

export type { FailedRow, StoredRowError } from './row-errors.js';

export interface Batch {
  /** Valid rows to write, at most one per key, as binary COPY data: each row's values, job id, run id, source row. */
  rows: CopyRows;
  errors: StoredRowError[];
  /** The failed rows' cells as the file had them, for errors.csv and fixes. */
  failedRows: FailedRow[];
  /** Data rows this batch covers, and how many of them failed before the database saw them. */
  processed: number;
  failed: number;
  /** File bytes consumed up to the end of this batch. */
  bytesProcessed: number;
  /** The only source rows whose key may repeat a key of an earlier batch (validate/earlier-keys.ts); unset: any may. */
  repeatCandidates?: readonly number[] | null;
}

export interface RunIdentity {
  /** Row errors stored with detail per job; past it they are only counted. */
  maxStoredErrors: number;
  jobId: string;
  runId: string;
  /** Fencing token: a batch commits only while the job still belongs to this attempt. */
  attempt: number;
  onDuplicate: OnDuplicate;
  /** How batches are written (straight in or upserted, unchanged rows taken out first), and how many went which way. */
  writes: WritePolicy;
  /** Past these, the batch is not committed and the job fails with too_many_errors. */
  limits: ErrorLimits;
  /** Rows this run overwrites in the target keep their earlier values, for a revert (not in a dry run's shadow). */
  keepBeforeImages: boolean;
  /**
   * With onDuplicate=error, the table where the run notes the keys of rows it left unchanged (unchanged-keys.ts).
   * Without it (a fix's writes, dry and atomic runs) such a row is rewritten with this run's lineage instead.
   */
  unchangedKeys?: UnchangedKeys;
}

export type Totals = BatchTotals;

/** The job changed hands (a newer attempt claimed it): this worker must stop without committing. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

const lineageColumns = ['import_job_id', 'import_run_id', 'source_row'];

/** The session's staging table for a template; call once per connection before writing batches on it. */
export async function prepareStaging(sql: Connection, table: TargetTable): Promise<void> {
  await sql.unsafe(`create temp table if not exists ${table.staging} (like ${table.table} including defaults) on commit delete rows`);
}

/**
 * COPY straight into the table, as fast as psql's \copy: right whenever none of the batch's keys is
 * there yet, which a first import of new rows always is. A key already there (an earlier import, an
 * earlier batch of this one, another job at the same time) makes PostgreSQL refuse the COPY: it is
 * undone to the savepoint and the caller upserts instead.
 */
async function copyStraightIn(conn: Connection, table: TargetTable, rows: CopyRows): Promise<boolean> {
  const saved = conn.unsafe('savepoint straight_in').execute(); // pipelined ahead of the COPY
  try {
    await Promise.all([saved, copyInto(conn, table.table, [...table.columns, ...lineageColumns], rows.bytes, 'binary')]);
    return true;
  } catch (error) {
    if (!(error instanceof CopyRefusedError)) throw error;
    await conn.unsafe('rollback to savepoint straight_in');
    return false;
  }
}

/**
 * COPY into the session's staging table and one set-based upsert; returns how many rows turned out to be
 * duplicates, their errors added.
 */
async function upsertThroughStaging(
  conn: Connection,
  table: TargetTable,
  run: RunIdentity,
  batch: Batch,
  errors: StoredRowError[],
): Promise<number> {
  const all = [...table.columns, ...lineageColumns];
  await copyInto(conn, table.staging, all, batch.rows.bytes, 'binary');
  // A row equal to the stored one is left as it is (lineage too) and still counts as written. With onDuplicate=last
  // the upsert's guard leaves it alone, so taking such rows out first is only for speed, and the policy may skip it
  // where it does not pay. With onDuplicate=error a key this run already wrote is not overwritten, it is a duplicate
  // row, told by the lineage this run wrote; the unchanged rows it takes out (unless the policy skips it: then they
  // are rewritten, lineage and all) have their keys noted instead, and a later repeat of one is a duplicate too.
  const skipUnchanged = run.onDuplicate === 'last';
  const noteIn = skipUnchanged ? null : (run.unchangedKeys ?? null);
  const repeats = noteIn ? await takeRepeatedUnchanged(conn, table, noteIn, batch.repeatCandidates ?? null) : [];
  let taken = 0;
  if ((skipUnchanged || noteIn) && run.writes.shouldDropUnchanged()) {
    taken = await takeUnchanged(conn, table, noteIn ? { keys: noteIn.table, runId: run.runId } : null);
    run.writes.recordUnchanged(taken, batch.rows.count);
  }
  if (run.keepBeforeImages) await captureBeforeImages(conn, table, table.staging, run, skipUnchanged);
  const updates = [...all.map((c) => `${c} = excluded.${c}`), 'imported_at = now()'].join(', ');
  const guard = skipUnchanged
    ? ` where ${rowChanges(table, 't', 'excluded')}`
    : ` where t.import_run_id is distinct from excluded.import_run_id`;
  const written = await conn.unsafe(
    `insert into ${table.table} as t (${all.join(', ')}) select ${all.join(', ')} from ${table.staging}
     on conflict ${table.conflictTarget} do update set ${updates}${guard}`,
  );
  if (skipUnchanged) return 0;
  const dupes =
    written.count === batch.rows.count - repeats.length - taken
      ? repeats
      : repeats.concat(
          await conn.unsafe<{ source_row: number; key: string }[]>(
            `select s.source_row, ${table.keyText} as key from ${table.staging} s
             join ${table.table} t on ${table.keyJoin}
             where t.import_run_id = $1 and t.source_row <> s.source_row`,
            [run.runId],
          ),
        );
  for (const d of dupes)
    errors.push({
      row: d.source_row,
      column: table.keyNames.join(', '),
      value: d.key,
      code: 'duplicate_key',
      message: 'repeats the key of an earlier row',
    });
  errors.sort((a, b) => a.row - b.row);
  return dupes.length;
}

/**
 * A batch's valid rows into the table, inside the caller's transaction: COPY straight in when the policy says to try
 * and no key is there yet, else the upsert. Returns how many rows turned out to be duplicates, their errors added.
 * The import's batches and a fix's (services/processor/src/repair/) both write through here.
 */
export async function writeValidRows(
  conn: Connection,
  table: TargetTable,
  run: RunIdentity,
  batch: Batch,
  errors: StoredRowError[],
): Promise<number> {
  const tried = run.writes.shouldTryStraight();
  const direct = tried && (await copyStraightIn(conn, table, batch.rows));
  run.writes.recordStraight(direct ? 'straight' : tried ? 'refused' : 'skipped');
  return direct ? 0 : upsertThroughStaging(conn, table, run, batch, errors);
}

/**
 * Writes one batch in one transaction on the job's own connection: rows via COPY straight into the
 * table or, when their keys meet existing rows, via the staging table and one set-based upsert; row
 * errors via COPY; the job's counters and checkpoint. All of it commits, or none of it. Statements
 * that need no answer in between are pipelined.
 */
export async function writeBatch(
  conn: Connection,
  table: TargetTable,
  run: RunIdentity,
  batch: Batch,
  before: Totals,
): Promise<{ job: ImportJobRow; totals: Totals }> {
  // postgres.js sends a query only when awaited or executed: execute now so BEGIN is pipelined ahead of the COPY.
  const begun = conn.unsafe('begin').execute();
  try {
    const errors = [...batch.errors];
    const duplicates = await writeValidRows(conn, table, run, batch, errors);
    await begun;
    const failed = before.failed + batch.failed + duplicates;
    const processed = before.processed + batch.processed;
    const totals = { processed, failed, success: processed - failed, errors: before.errors + errors.length };
    const passed = limitPassed(run.limits, totals);
    if (passed) throw new AppError('too_many_errors', passed);
    await storeRowErrors(conn, run, errors, batch.failedRows, Math.max(0, run.maxStoredErrors - before.errors));
    const job = await recordBatch(conn, run.jobId, run.attempt, totals, batch.bytesProcessed);
    if (!job) throw new LeaseLostError(`job ${run.jobId} is no longer held by attempt ${run.attempt}`);
    await conn.unsafe('commit');
    return { job, totals };
  } catch (error) {
    await begun.catch(() => undefined);
    await conn.unsafe('rollback').catch(() => undefined);
    throw error;
  }
}
