import { and, eq } from 'drizzle-orm';
import { AppError, isTerminal, type Job } from '@docprocessor/contracts';
import { publishEvent } from '@docprocessor/bus';
import { findJobRow, importJobs, toJob, type Principal } from '@docprocessor/db';
import type { IngestContext } from './context.js';

/**
 * A pending job is cancelled at once. A processing job is flagged; its worker stops at the next batch
 * boundary, keeps the rows it already committed (the counts say exactly how many) and publishes `cancelled`.
 */
export async function cancelImport({ ctx, input }: { ctx: IngestContext; input: { principal: Principal; jobId: string } }): Promise<Job> {
  const row = await findJobRow(ctx.db.db, input.jobId, { tenantId: input.principal.tenantId });
  if (!row) throw new AppError('not_found', `No import ${input.jobId}`);
  if (isTerminal(row.status)) throw new AppError('invalid_state', `The import is already ${row.status}`);
  const now = new Date();
  const [cancelled] = await ctx.db.db
    .update(importJobs)
    .set({ status: 'cancelled', finishedAt: now, updatedAt: now, cancelRequested: true })
    .where(and(eq(importJobs.id, row.id), eq(importJobs.status, 'pending')))
    .returning();
  if (cancelled) {
    const job = toJob(cancelled);
    await publishEvent(ctx.bus, 'cancelled', job, { tenantId: cancelled.tenantId });
    ctx.logger.info({ jobId: row.id }, 'pending job cancelled');
    return job;
  }
  const [flagged] = await ctx.db.db
    .update(importJobs)
    .set({ cancelRequested: true })
    .where(and(eq(importJobs.id, row.id), eq(importJobs.status, 'processing')))
    .returning();
  if (!flagged) return cancelImport({ ctx, input }); // it finished meanwhile: answer with its final state
  ctx.logger.info({ jobId: row.id }, 'cancel requested for processing job');
  return toJob(flagged);
}
