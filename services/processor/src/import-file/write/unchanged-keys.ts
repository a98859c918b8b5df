import { qualified, quoteIdent, type Connection, type Sql } from '@docprocessor/db';
import type { TargetTable } from './target-table.js';

/** A schema of the service's own for a run's scratch tables that must outlive a worker's crash. */
const RUNS_SCHEMA = 'docprocessor_runs';

const keysName = (jobId: string) => ({ schema: RUNS_SCHEMA, table: `unchanged_keys_${jobId.replaceAll('-', '')}` });

const DUPLICATE_SCHEMA = '42P06';
const UNIQUE_VIOLATION = '23505';

/**
 * With onDuplicate=error, a re-imported row equal to the stored one is left as it is, like with `last`: rewriting it
 * only to give it this run's lineage rewrote and imaged every row of an unchanged re-import (2.7 times as long as with
 * `last`). A later row of the file with the same key must still fail as its duplicate, so the run notes here the keys
 * it left alone, with their source rows. The table has the key columns of the target and its unique key, so a key
 * matches exactly as it would in the target (case-insensitive keys, numbers by value). It is logged, and kept per job
 * like a shadow table: a resumed attempt (same run) goes on with it, a run from row 1 (`fresh`) starts it empty, and
 * it is dropped once the job has ended.
 */
export async function prepareUnchangedKeys(conn: Connection, target: TargetTable, jobId: string, fresh: boolean): Promise<string> {
  const keys = qualified(keysName(jobId));
  await conn.unsafe(`create schema if not exists ${quoteIdent(RUNS_SCHEMA)}`).catch((error: unknown) => {
    // Two workers creating the schema at once: one of them is told it exists, or meets the other's catalog row.
    const code = (error as { code?: string }).code;
    if (code !== DUPLICATE_SCHEMA && code !== UNIQUE_VIOLATION) throw error;
  });
  if (fresh) await conn.unsafe(`drop table if exists ${keys}`);
  const keyColumns = target.keyIndexes.map((i) => target.columns[i]!);
  await conn.unsafe(
    `create table if not exists ${keys} as select ${keyColumns.join(', ')}, 0::integer as source_row from ${target.table} with no data`,
  );
  await conn.unsafe(`create unique index if not exists ${quoteIdent(`${keysName(jobId).table}_key`)} on ${keys} ${target.conflictTarget}`);
  return keys;
}

export async function dropUnchangedKeys(conn: Connection, jobId: string): Promise<void> {
  await conn.unsafe(`drop table if exists ${qualified(keysName(jobId))}`);
}

/**
 * Takes out of the staging table the rows whose key the run already left unchanged in an earlier batch: they repeat
 * that key, and are duplicates of it. Returns their source rows and keys.
 */
export async function takeRepeatedUnchanged(
  conn: Connection,
  table: TargetTable,
  keys: string,
): Promise<{ source_row: number; key: string }[]> {
  return conn.unsafe<{ source_row: number; key: string }[]>(
    `delete from ${table.staging} s using ${keys} t where ${table.keyJoin} returning s.source_row, ${table.keyText} as key`,
  );
}

/**
 * Takes out of the staging table the rows equal to the stored ones that an earlier run wrote, noting their keys; a
 * row equal to one this run wrote stays, as a duplicate of it. Returns how many were taken out.
 */
export async function takeUnchangedNotingKeys(
  conn: Connection,
  table: TargetTable,
  runId: string,
  keys: string,
  unchanged: string,
): Promise<number> {
  const keyColumns = table.keyIndexes.map((i) => table.columns[i]!);
  const noted = await conn.unsafe(
    `with taken as (
       delete from ${table.staging} s using ${table.table} t
       where ${table.keyJoin} and not (${unchanged}) and t.import_run_id is distinct from $1
       returning ${keyColumns.map((c) => `s.${c}`).join(', ')}, s.source_row
     )
     insert into ${keys} (${keyColumns.join(', ')}, source_row) select ${keyColumns.join(', ')}, source_row from taken`,
    [runId],
  );
  return noted.count;
}

/**
 * Drops the unchanged-key tables of jobs that have ended, or are gone. The attempt that ends a job drops its own; a job
 * ended elsewhere (given up after its worker died, failed by the watchdog) leaves it, so each worker looks when it
 * starts. The job's row is held while its table goes, so a retry cannot start a run on it meanwhile.
 */
export async function dropKeysOfEndedJobs(sql: Sql, finalStatuses: readonly string[]): Promise<number> {
  const tables = await sql<{ table: string; jobId: string | null }[]>`
    select k.tablename as table, j.id::text as "jobId"
    from pg_tables k left join import_jobs j on k.tablename = 'unchanged_keys_' || replace(j.id::text, '-', '')
    where k.schemaname = ${RUNS_SCHEMA} and k.tablename like 'unchanged\\_keys\\_%'
      and (j.id is null or j.status = any(${finalStatuses as string[]}))`;
  let dropped = 0;
  for (const { table, jobId } of tables)
    await sql.begin(async (tx) => {
      const [job] = jobId ? await tx`select status from import_jobs where id = ${jobId} for share` : [];
      if (job && !finalStatuses.includes(job.status as string)) return;
      await tx.unsafe(`drop table if exists ${qualified({ schema: RUNS_SCHEMA, table })}`);
      dropped++;
    });
  return dropped;
}
