import { and, eq, inArray, sql } from 'drizzle-orm';
import { AppError, type Job } from '@docprocessor/contracts';
import { findJobRow, importJobs, importRowErrors, toJob, type Principal } from '@docprocessor/db';
import { announceJob } from './announce-job.js';
import type { IngestContext } from './context.js';

/**
 * Runs a failed or cancelled job again from row 1 as a new attempt. Rows the earlier attempt wrote are
 * simply updated again (upsert), so the table ends as after a clean run; old row errors are dropped.
 */
export async function retryImport({ ctx, input }: { ctx: IngestContext; input: { principal: Principal; jobId: string } }): Promise<Job> {
  const row = await findJobRow(ctx.db.db, input.jobId, { tenantId: input.principal.tenantId });
  if (!row) throw new AppError('not_found', `No import ${input.jobId}`);
  if (!(await ctx.files.exists(row.objectName)))
    throw new AppError('invalid_state', 'The uploaded file of this import is no longer stored; upload it again');
  const reset = await ctx.db.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(importJobs)
      .set({
        status: 'pending',
        attempt: sql`${importJobs.attempt} + 1`,
        runId: null,
        totalRows: null,
        processedRows: 0,
        successRows: 0,
        failedRows: 0,
        bytesProcessed: 0,
        error: null,
        resumedFromRow: null,
        cancelRequested: false,
        announcedAt: null,
        startedAt: null,
        finishedAt: null,
        updatedAt: new Date(),
      })
      .where(and(eq(importJobs.id, row.id), inArray(importJobs.status, ['failed', 'cancelled'])))
      .returning();
    if (updated) await tx.delete(importRowErrors).where(eq(importRowErrors.jobId, row.id));
    return updated;
  });
  if (!reset) throw new AppError('invalid_state', `Only failed or cancelled imports can be retried; this one is ${row.status}`);
  ctx.logger.info({ jobId: row.id, attempt: reset.attempt }, 'job retried');
  await announceJob(ctx, reset);
  return toJob(reset);
}
