import type { ImportPlan } from '@docprocessor/contracts';
import { qualified, quoteIdent, type Connection, type JobChangeRow } from '@docprocessor/db';
import { scratchTableOf, type ScratchTables } from './scratch-sweep.js';
import type { TargetTable } from './target-table.js';

/** Where dry and atomic runs write first: a schema of the service's own, one unlogged table per job. */
export const SHADOW_TABLES: ScratchTables = { schema: 'docprocessor_shadows', prefix: 'job_' };
const SHADOW_SCHEMA = SHADOW_TABLES.schema;

const shadowName = (jobId: string) => scratchTableOf(SHADOW_TABLES, jobId);

/**
 * A dry or atomic run writes its rows, exactly as a real run would (same COPY, same upsert, same duplicate rules),
 * into a shadow of the target table: same columns and unique key, none of its rows. The target is not written.
 * Unlogged, because it is scratch; it lasts across a worker's crash, so a resumed dry run still sees every
 * row it committed. `fresh`: the run starts from row 1, so what an earlier attempt left is dropped.
 */
export async function prepareShadow(conn: Connection, target: TargetTable, jobId: string, fresh: boolean): Promise<TargetTable> {
  const shadow = qualified(shadowName(jobId));
  await conn.unsafe(`create schema if not exists ${quoteIdent(SHADOW_SCHEMA)}`);
  if (fresh) await conn.unsafe(`drop table if exists ${shadow}`);
  await conn.unsafe(`create unlogged table if not exists ${shadow} (like ${target.table} including defaults including indexes)`);
  return { ...target, table: shadow };
}

/**
 * What the real run would do to the table as it is now, row by key of what the dry run kept: insert a key the
 * table lacks, update one whose values differ, leave one whose values are the same.
 */
export async function planOf(conn: Connection, shadow: TargetTable, target: TargetTable): Promise<ImportPlan> {
  const values = (alias: string) => `(${shadow.columns.map((c) => `${alias}.${c}`).join(', ')})`;
  const firstKey = shadow.columns[shadow.keyIndexes[0]!]!;
  const [plan] = await conn.unsafe<{ insert: number; update: number; unchanged: number }[]>(
    `select count(*) filter (where t.${firstKey} is null)::int as insert,
       count(*) filter (where t.${firstKey} is not null and ${values('s')} is distinct from ${values('t')})::int as update,
       count(*) filter (where t.${firstKey} is not null and ${values('s')} is not distinct from ${values('t')})::int as unchanged
     from ${shadow.table} s left join ${target.table} t on ${target.keyJoin}`,
  );
  return plan ?? { insert: 0, update: 0, unchanged: 0 };
}

export async function dropShadow(conn: Connection, jobId: string): Promise<void> {
  await conn.unsafe(`drop table if exists ${qualified(shadowName(jobId))}`);
}

/**
 * Ends a dry or atomic run: `work` (an atomic run's merge into the table), the shadow's drop and the job's
 * completion commit together, so a job that reads completed has no shadow left. A completion refused (another
 * attempt holds the job now) rolls it all back, and the shadow stays for that attempt.
 */
export async function endShadowed(
  conn: Connection,
  jobId: string,
  work: () => Promise<void>,
  complete: () => Promise<JobChangeRow | undefined>,
): Promise<JobChangeRow | undefined> {
  await conn.unsafe('begin');
  try {
    await work();
    await dropShadow(conn, jobId);
    const change = await complete();
    await conn.unsafe(change ? 'commit' : 'rollback');
    return change;
  } catch (error) {
    await conn.unsafe('rollback').catch(() => undefined);
    throw error;
  }
}
