import { AppError, SNAPSHOT_SIZE, type Job } from '@docprocessor/contracts';
import { findJob, listJobs, type Database } from '@docprocessor/db';

export interface SnapshotInput {
  tenantId: string;
  /** null: the tenant's newest jobs. */
  jobId: string | null;
}

const SNAPSHOT_TIMEOUT_MS = 10_000;

/** The current state of what a client subscribed to; a database problem becomes `service_unavailable`. */
export async function readSnapshot({ db, input }: { db: Database; input: SnapshotInput }): Promise<Job[]> {
  const scope = { tenantId: input.tenantId };
  const query =
    input.jobId === null
      ? listJobs(db, scope, { limit: SNAPSHOT_SIZE }).then((page) => page.items)
      : findJob(db, input.jobId, scope).then((job) => (job ? [job] : []));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`snapshot query took longer than ${SNAPSHOT_TIMEOUT_MS} ms`)), SNAPSHOT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([query, timeout]);
  } catch (error) {
    throw new AppError('service_unavailable', 'The current jobs cannot be read right now; subscribe again shortly', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
