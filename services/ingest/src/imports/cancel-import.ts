import { AppError, isTerminal, type Job } from '@docprocessor/contracts';
import { publishChange } from '@docprocessor/bus';
import { type AuditRecord, cancelJob, findJobRow, requestCancel, toJob, type Principal } from '@docprocessor/db';
import type { IngestContext } from './context.js';

/**
 * A pending job is cancelled at once. A processing job is flagged; its worker stops at the next batch
 * boundary, keeps the rows it already committed (the counts say exactly how many) and publishes `cancelled`.
 */
export async function cancelImport({
  ctx,
  input,
}: {
  ctx: IngestContext;
  input: { principal: Principal; jobId: string; audit: AuditRecord };
}): Promise<Job> {
  const { tenantId } = input.principal;
  const row = await findJobRow(ctx.db.db, input.jobId, { tenantId });
  if (!row) throw new AppError('not_found', `No import ${input.jobId}`);
  if (isTerminal(row.status)) throw new AppError('invalid_state', `The import is already ${row.status}`);
  const cancelled = await cancelJob(ctx.db, row.id, tenantId, input.audit);
  if (cancelled) {
    await publishChange(ctx.bus, cancelled);
    ctx.logger.info({ jobId: row.id }, 'pending job cancelled');
    return cancelled.job;
  }
  const flagged = await requestCancel(ctx.db, row.id, tenantId, input.audit);
  if (!flagged) return cancelImport({ ctx, input }); // it finished meanwhile: answer with its final state
  ctx.logger.info({ jobId: row.id }, 'cancel requested for processing job');
  return toJob(flagged);
}
