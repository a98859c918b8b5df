import type { OnDuplicate } from '@docprocessor/contracts';
import { recordBatch, type BatchTotals, type Connection, type ImportJobRow } from '@docprocessor/db';
import { copyLine } from './copy-text.js';
import type { CopyRows } from './copy-rows.js';
import type { StraightCopyPolicy } from './straight-copy-policy.js';
import type { TargetTable } from './target-table.js';

export interface StoredRowError {
  row: number;
  column: string | null;
  value: string | null;
  code: string;
  message: string;
}

export interface Batch {
  /** Valid rows to write, at most one per key, as binary COPY data: each row's values, job id, run id, source row. */
  rows: CopyRows;
  errors: StoredRowError[];
  /** Data rows this batch covers, and how many of them failed before the database saw them. */
  processed: number;
  failed: number;
  /** File bytes consumed up to the end of this batch. */
  bytesProcessed: number;
}

export interface RunIdentity {
  /** Row errors stored with detail per job; past it they are only counted. */
  maxStoredErrors: number;
  jobId: string;
  runId: string;
  /** Fencing token: a batch commits only while the job still belongs to this attempt. */
  attempt: number;
  onDuplicate: OnDuplicate;
  /** When batches try COPY straight into the table, and how many did. */
  writes: StraightCopyPolicy;
}

export type Totals = BatchTotals;

/** The job changed hands (a newer attempt claimed it): this worker must stop without committing. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

const lineageColumns = ['import_job_id', 'import_run_id', 'source_row'];

/** A cell as a row error reports it: PostgreSQL text cannot hold NUL, so it shows as U+FFFD. */
const storable = (value: string | null): string | null => (value?.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value);

/** A COPY that PostgreSQL refused; its transaction (or savepoint) is aborted. */
class CopyRefusedError extends Error {
  override readonly name = 'CopyRefusedError';
}

const errorCode = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;

/**
 * COPY FROM STDIN. postgres.js never settles a COPY that PostgreSQL refuses once all the data is sent
 * (it has handed its stream back already), so a query sent right behind the COPY tells: it fails with
 * "transaction aborted" exactly when the COPY failed.
 */
async function copyInto(tx: Connection, target: string, columns: string[], data: string | Buffer, format: 'text' | 'binary' = 'text'): Promise<void> {
  if (data.length === 0) return;
  const writable = await tx.unsafe(`copy ${target} (${columns.join(', ')}) from stdin with (format ${format})`).writable();
  const finished = new Promise<void>((resolve, reject) => {
    writable.once('error', reject);
    writable.once('finish', resolve);
  });
  finished.catch(() => undefined); // settled below, or never when the COPY failed
  await new Promise<void>((resolve, reject) => writable.write(data, (error) => (error ? reject(error) : resolve())));
  writable.end();
  try {
    await tx.unsafe('select 1');
  } catch (error) {
    if (errorCode(error) === '25P02') throw new CopyRefusedError(`PostgreSQL refused the COPY into ${target} (its reason is in the server log)`);
    if (errorCode(error) !== 'COPY_IN_PROGRESS') throw error;
  }
  await finished;
}

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

/** COPY into the session's staging table and one set-based upsert; returns how many rows turned out to be duplicates, their errors added. */
async function upsertThroughStaging(conn: Connection, table: TargetTable, run: RunIdentity, batch: Batch, errors: StoredRowError[]): Promise<number> {
  const all = [...table.columns, ...lineageColumns];
  await copyInto(conn, table.staging, all, batch.rows.bytes, 'binary');
  const updates = [...all.map((c) => `${c} = excluded.${c}`), 'imported_at = now()'].join(', ');
  // With onDuplicate=error a key this run already wrote is not overwritten: it is a duplicate row.
  const guard = run.onDuplicate === 'error' ? ` where t.import_run_id is distinct from excluded.import_run_id` : '';
  const written = await conn.unsafe(
    `insert into ${table.table} as t (${all.join(', ')}) select ${all.join(', ')} from ${table.staging}
     on conflict ${table.conflictTarget} do update set ${updates}${guard}`,
  );
  if (written.count === batch.rows.count) return 0;
  const dupes = await conn.unsafe<{ source_row: number; key: string }[]>(
    `select s.source_row, s.${table.columns[table.keyIndex]}::text as key from ${table.staging} s
     join ${table.table} t on ${table.keyJoin}
     where t.import_run_id = $1 and t.source_row <> s.source_row`,
    [run.runId],
  );
  for (const d of dupes) errors.push({ row: d.source_row, column: table.keyName, value: d.key, code: 'duplicate_key', message: 'repeats the key of an earlier row' });
  errors.sort((a, b) => a.row - b.row);
  return dupes.length;
}

/**
 * Writes one batch in one transaction on the job's own connection: rows via COPY straight into the
 * table or, when their keys meet existing rows, via the staging table and one set-based upsert; row
 * errors via COPY; the job's counters and checkpoint. All of it commits, or none of it. Statements
 * that need no answer in between are pipelined.
 */
export async function writeBatch(conn: Connection, table: TargetTable, run: RunIdentity, batch: Batch, before: Totals): Promise<{ job: ImportJobRow; totals: Totals }> {
  // postgres.js sends a query only when awaited or executed: execute now so BEGIN is pipelined ahead of the COPY.
  const begun = conn.unsafe('begin').execute();
  try {
    const tried = run.writes.shouldTry();
    const direct = tried && (await copyStraightIn(conn, table, batch.rows));
    run.writes.record(direct ? 'straight' : tried ? 'refused' : 'skipped');
    await begun;
    const errors = [...batch.errors];
    const duplicates = direct ? 0 : await upsertThroughStaging(conn, table, run, batch, errors);
    const room = Math.max(0, run.maxStoredErrors - before.errors);
    await copyInto(
      conn,
      'import_row_errors',
      ['job_id', 'row', '"column"', 'value', 'code', 'message'],
      errors
        .slice(0, room)
        .map((e) => copyLine([run.jobId, e.row, e.column, storable(e.value), e.code, e.message]))
        .join(''),
    );

    const failed = before.failed + batch.failed + duplicates;
    const processed = before.processed + batch.processed;
    const totals = { processed, failed, success: processed - failed, errors: before.errors + errors.length };
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
