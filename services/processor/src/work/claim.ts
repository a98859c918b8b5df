import { isTerminal } from '@docprocessor/contracts';
import { findJobRow, heartbeatSilenceMs, resumeJob, startJob, type DbClient, type ImportJobRow, type JobChangeRow } from '@docprocessor/db';

export type Claim =
  /** This worker runs it: `start` (a new run) or `resume` (a takeover after the last committed row). */
  | { kind: 'run'; change: JobChangeRow }
  /** Already final, or gone: nothing to do but acknowledge. */
  | { kind: 'done'; job: ImportJobRow | undefined }
  /** A worker that is alive holds it: try again later. */
  | { kind: 'busy'; job: ImportJobRow }
  /** Its worker died after a cancel was asked for. */
  | { kind: 'cancel'; job: ImportJobRow };

/**
 * Takes a job for this worker, or says why not. A pending job starts a new run; a processing job whose
 * worker has been silent too long is taken over as a new attempt, the fencing token every later write checks.
 */
export async function claimJob(db: DbClient, jobId: string, leaseMs: number): Promise<Claim> {
  const change = (await startJob(db, jobId)) ?? (await resumeJob(db, jobId, leaseMs));
  if (change) return { kind: 'run', change };
  const job = await findJobRow(db.db, jobId, { tenantId: null });
  if (!job || isTerminal(job.status)) return { kind: 'done', job };
  const stale = !job.heartbeatAt || Date.now() - job.heartbeatAt.getTime() > heartbeatSilenceMs(leaseMs);
  if (job.cancelRequested && stale) return { kind: 'cancel', job };
  return { kind: 'busy', job };
}
