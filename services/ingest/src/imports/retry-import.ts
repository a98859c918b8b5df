import { AppError, type Job } from '@docprocessor/contracts';
import { type AuditRecord, findJobRow, retryJob, type Principal } from '@docprocessor/db';
import { announceJob } from './announce-job.js';
import type { IngestContext } from './context.js';

/**
 * Runs a failed or cancelled job again from row 1 as a new attempt. Rows the earlier attempt wrote are
 * simply updated again (upsert), so the table ends as after a clean run; old row errors are dropped.
 */
export async function retryImport({
  ctx,
  input,
}: {
  ctx: IngestContext;
  input: { principal: Principal; jobId: string; audit: AuditRecord };
}): Promise<Job> {
  const row = await findJobRow(ctx.db.db, input.jobId, { tenantId: input.principal.tenantId });
  if (!row) throw new AppError('not_found', `No import ${input.jobId}`);
  if (!(await ctx.files.exists(row.objectName)))
    throw new AppError('invalid_state', 'The uploaded file of this import is no longer stored; upload it again');
  const retried = await retryJob(ctx.db, row.id, row.tenantId, input.audit);
  if (!retried) throw new AppError('invalid_state', `Only failed or cancelled imports can be retried; this one is ${row.status}`);
  ctx.logger.info({ jobId: row.id, attempt: retried.row.attempt }, 'job retried');
  await announceJob(ctx, retried);
  return retried.job;
}
