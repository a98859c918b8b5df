import { isTerminal } from '@docprocessor/contracts';
import { findJobRow, jobFromSql, type DbClient, type ImportJobRow } from '@docprocessor/db';

export type Claim =
  | { kind: 'run'; job: ImportJobRow }
  /** Already final, or gone: nothing to do but acknowledge. */
  | { kind: 'done'; job: ImportJobRow | undefined }
  /** A worker that is alive holds it: try again later. */
  | { kind: 'busy'; job: ImportJobRow }
  /** Its worker died after a cancel was asked for. */
  | { kind: 'cancel'; job: ImportJobRow };

/**
 * How long a processing job's heartbeat may be silent before its worker counts as dead. A live worker renews it
 * with every batch, far more often than this. It is shorter than the lease on purpose: JetStream redelivers a full
 * lease after the last delivery, and a worker that died right after claiming left a heartbeat only a little younger
 * than that; with the full lease as the bound, that redelivery would find the dead worker "alive" and be spent.
 */
export const heartbeatSilenceMs = (leaseMs: number): number => leaseMs / 2;

/** SQL condition: the job is waiting for a worker, or the worker that held it has gone silent (see above). */
export function noLiveWorker(db: DbClient, leaseMs: number) {
  return db.sql`(status = 'pending' or (status = 'processing' and (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ${heartbeatSilenceMs(leaseMs) / 1000}))))`;
}

/**
 * Takes a job for this worker. A pending job starts a new run; a processing job whose worker has been
 * silent longer than the lease is taken over and resumes after its last committed row, as a new attempt
 * (the attempt number is the fencing token every batch commit checks).
 */
export async function claimJob(db: DbClient, jobId: string, leaseMs: number): Promise<Claim> {
  const [record] = await db.sql`
    update import_jobs set
      status = 'processing',
      run_id = case when status = 'pending' then gen_random_uuid() else run_id end,
      attempt = case when status = 'processing' then attempt + 1 else attempt end,
      resumed_from_row = case when status = 'processing' then nullif(processed_rows, 0) else null end,
      started_at = case when status = 'pending' then now() else started_at end,
      heartbeat_at = now(),
      updated_at = now()
    where id = ${jobId} and not cancel_requested and ${noLiveWorker(db, leaseMs)}
    returning *`;
  if (record) return { kind: 'run', job: jobFromSql(record) };
  const job = await findJobRow(db.db, jobId, { tenantId: null });
  if (!job || isTerminal(job.status)) return { kind: 'done', job };
  const stale = !job.heartbeatAt || Date.now() - job.heartbeatAt.getTime() > heartbeatSilenceMs(leaseMs);
  if (job.cancelRequested && stale) return { kind: 'cancel', job };
  return { kind: 'busy', job };
}
