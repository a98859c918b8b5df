import { AppError, type Job } from '@docprocessor/contracts';
import type { Principal } from '@docprocessor/db';
import type { IngestContext } from './context.js';

/** POST /api/imports/:id/revert: checks the revert can be done and queues it for the processors. */
export async function revertImport({ input }: { ctx: IngestContext; input: { principal: Principal; jobId: string } }): Promise<Job> {
  throw new AppError('invalid_state', `Reverting ${input.jobId} is not built yet`);
}
