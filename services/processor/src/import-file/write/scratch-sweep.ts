import { FINAL_STATUSES } from '@docprocessor/contracts';
import { qualified, type Sql } from '@docprocessor/db';

/** A kind of per-job scratch table: the schema it lives in, and the prefix of its name before the job's id. */
export interface ScratchTables {
  schema: string;
  prefix: string;
}

/** A job's table of that kind: the prefix and the job's id without its dashes. */
export const scratchTableOf = (kind: ScratchTables, jobId: string) => ({
  schema: kind.schema,
  table: `${kind.prefix}${jobId.replaceAll('-', '')}`,
});

/**
 * Drops the scratch tables (`kinds`: dry and atomic runs' shadows, runs' unchanged keys) of jobs that have ended, or
 * are gone. The attempt that ends a job drops its own; a job ended elsewhere (given up after its worker died, failed by
 * the watchdog) leaves them, so each worker looks when it starts. The job's row is held while its table goes, so a
 * retry cannot start a run on it meanwhile.
 */
export async function dropScratchOfEndedJobs(sql: Sql, kinds: readonly ScratchTables[]): Promise<number> {
  let dropped = 0;
  for (const kind of kinds) dropped += await dropEnded(sql, kind);
  return dropped;
}

async function dropEnded(sql: Sql, kind: ScratchTables): Promise<number> {
  const finalStatuses: readonly string[] = FINAL_STATUSES;
  const pattern = `${kind.prefix.replaceAll('_', '\\_')}%`;
  // The job's id read out of the table's name (32 hex digits are a uuid to PostgreSQL), so the join uses the jobs' key.
  const tables = await sql<{ table: string; jobId: string | null }[]>`
    select k.tablename as table, j.id::text as "jobId"
    from pg_tables k
    left join import_jobs j on j.id = (case when substr(k.tablename, ${kind.prefix.length + 1}) ~ '^[0-9a-f]{32}$'
                                             then substr(k.tablename, ${kind.prefix.length + 1})::uuid end)
    where k.schemaname = ${kind.schema} and k.tablename like ${pattern}
      and (j.id is null or j.status = any(${finalStatuses as string[]}))`;
  let dropped = 0;
  for (const { table, jobId } of tables)
    await sql.begin(async (tx) => {
      const [job] = jobId ? await tx`select status from import_jobs where id = ${jobId} for share` : [];
      if (job && !finalStatuses.includes(job.status as string)) return;
      await tx.unsafe(`drop table if exists ${qualified({ schema: kind.schema, table })}`);
      dropped++;
    });
  return dropped;
}
