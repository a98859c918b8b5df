import { qualified, quoteIdent, type Connection } from '@docprocessor/db';
import { rowChanges } from './before-images.js';
import { scratchTableOf, type ScratchTables } from './scratch-sweep.js';
import type { TargetTable } from './target-table.js';

/** A schema of the service's own for a run's scratch tables that must outlive a worker's crash. */
export const UNCHANGED_KEY_TABLES: ScratchTables = { schema: 'docprocessor_runs', prefix: 'unchanged_keys_' };
const RUNS_SCHEMA = UNCHANGED_KEY_TABLES.schema;

const keysName = (jobId: string) => scratchTableOf(UNCHANGED_KEY_TABLES, jobId);

const DUPLICATE_SCHEMA = '42P06';
const UNIQUE_VIOLATION = '23505';

/** A run's table of unchanged keys, and whether its unique index is made yet. */
export interface UnchangedKeys {
  table: string;
  indexed: boolean;
  readonly createIndex: string;
}

/**
 * With onDuplicate=error, a re-imported row equal to the stored one is left as it is, like with `last`: rewriting it
 * only to give it this run's lineage rewrote and imaged every row of an unchanged re-import (2.7 times as long as with
 * `last`). A later row of the file with the same key must still fail as its duplicate, so the run notes here the keys
 * it left alone, with their source rows. The table has the key columns of the target and its unique key, so a key
 * matches exactly as it would in the target (case-insensitive keys, numbers by value). It is logged, and kept per job
 * like a shadow table: a resumed attempt (same run) goes on with it, a run from row 1 (`fresh`) starts it empty, and
 * it is dropped once the job has ended.
 *
 * A fresh run makes the unique index only when its first lookup needs it (takeRepeatedUnchanged): the batches of a
 * file whose integer keys never repeat look nothing up, and noting 10,000 keys into the bare table costs PostgreSQL
 * about 13 ms where the index added 12–50 ms more. A resumed run looks up every row, so it makes the index at once.
 */
export async function prepareUnchangedKeys(conn: Connection, target: TargetTable, jobId: string, fresh: boolean): Promise<UnchangedKeys> {
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
  const notes: UnchangedKeys = {
    table: keys,
    indexed: false,
    createIndex: `create unique index if not exists ${quoteIdent(`${keysName(jobId).table}_key`)} on ${keys} ${target.conflictTarget}`,
  };
  if (!fresh) await ensureIndex(conn, notes);
  return notes;
}

async function ensureIndex(conn: Connection, keys: UnchangedKeys): Promise<void> {
  if (keys.indexed) return;
  await conn.unsafe(keys.createIndex);
  keys.indexed = true;
}

export async function dropUnchangedKeys(conn: Connection, jobId: string): Promise<void> {
  await conn.unsafe(`drop table if exists ${qualified(keysName(jobId))}`);
}

/**
 * Takes out of the staging table the rows whose key the run already left unchanged in an earlier batch: they repeat
 * that key, and are duplicates of it. Returns their source rows and keys. `candidates`: the only source rows that can
 * repeat an earlier batch's key (BatchBuilder's EarlierKeys), or null when any can.
 *
 * Each row is looked up in the keys' index (`offset 0` keeps the subquery from becoming a join): as a join PostgreSQL
 * chose to hash the whole table of keys for every batch until it held about 300,000, so a run's checks grew with the
 * square of its unchanged rows (150–290 ms a batch at 500,000 keys, 15 ms looked up).
 */
export async function takeRepeatedUnchanged(
  conn: Connection,
  table: TargetTable,
  keys: UnchangedKeys,
  candidates: readonly number[] | null,
): Promise<{ source_row: number; key: string }[]> {
  if (candidates?.length === 0) return [];
  // Made in the batch's transaction, and `indexed` is not unset if that rolls back: right only because a batch that
  // fails ends its attempt (BatchWriter never retries one), and the attempt that resumes makes the index at start.
  await ensureIndex(conn, keys);
  const only = candidates ? ' and s.source_row = any($1::bigint[])' : '';
  return conn.unsafe<{ source_row: number; key: string }[]>(
    `delete from ${table.staging} s where exists (select from ${keys.table} t where ${table.keyJoin} offset 0)${only}
     returning s.source_row, ${table.keyText} as key`,
    candidates ? [candidates as number[]] : [],
  );
}

/**
 * Takes out of the staging table the rows equal to the ones the table holds under their keys, which the upsert would
 * leave as they are; returns how many. Found once here, they cost neither a join in the before-image capture nor the
 * upsert's index probe and row lock: an unchanged re-import's statements take about half as long (docs/performance.md,
 * "The update path"). A row changed by another job after this statement keeps that job's values, as if this one had
 * come first. With `note` (onDuplicate=error) their keys go into the run's table, and a row equal to one this run
 * wrote stays: it is a duplicate of that row, which its lineage tells.
 */
export async function takeUnchanged(conn: Connection, table: TargetTable, note: { keys: string; runId: string } | null): Promise<number> {
  const unchanged = `${table.keyJoin} and not (${rowChanges(table, 't', 's')})`;
  if (!note) return (await conn.unsafe(`delete from ${table.staging} s using ${table.table} t where ${unchanged}`)).count;
  const keyColumns = table.keyIndexes.map((i) => table.columns[i]!);
  const noted = await conn.unsafe(
    `with taken as (
       delete from ${table.staging} s using ${table.table} t
       where ${unchanged} and t.import_run_id is distinct from $1
       returning ${keyColumns.map((c) => `s.${c}`).join(', ')}, s.source_row
     )
     insert into ${note.keys} (${keyColumns.join(', ')}, source_row) select ${keyColumns.join(', ')}, source_row from taken`,
    [note.runId],
  );
  return noted.count;
}
