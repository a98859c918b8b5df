import type { FastifyRequest } from 'fastify';
import { AppError, type Job } from '@docprocessor/contracts';
import type { Principal } from '@docprocessor/db';
import type { IngestContext } from './context.js';

/** POST /api/imports/:id/fixes: stores a corrected file of the job's failed rows and queues it for the processors. */
export async function addFix({
  input,
}: {
  ctx: IngestContext;
  input: { principal: Principal; jobId: string; request: FastifyRequest };
}): Promise<Job> {
  throw new AppError('invalid_state', `Fixes of ${input.jobId} are not built yet`);
}
