import { AppError, isTerminal, type Job, type RevertPlan } from '@docprocessor/contracts';
import { publishEvent, publishRepair } from '@docprocessor/bus';
import {
  type AuditRecord,
  describeConflicts,
  findJobRow,
  requestRevert,
  toJob,
  withdrawRevert,
  type ImportJobRow,
  type Principal,
} from '@docprocessor/db';
import type { IngestContext } from './context.js';
import { planJobRevert } from './revert-plan.js';

/** Why this job cannot be reverted as it is, whatever its rows; undefined when it can. */
function stateRefusal(row: ImportJobRow): AppError | undefined {
  if (row.dryRun) return new AppError('invalid_state', 'A dry run wrote nothing to the table, so there is nothing to revert');
  if (row.status === 'reverted') return new AppError('invalid_state', 'The import is already reverted');
  if (!isTerminal(row.status)) return new AppError('invalid_state', `Only a finished import can be reverted; this one is ${row.status}`);
  if (row.revert && !row.revert.error) return new AppError('invalid_state', 'A revert of this import is already under way');
  if (row.fixes.some((fix) => fix.status === 'pending' || fix.status === 'processing'))
    return new AppError('invalid_state', 'A fix of this import is being imported; revert it once the fix has ended');
  if (row.beforeImagesDroppedAt) return expired();
  return undefined;
}

const expired = () =>
  new AppError(
    'revert_expired',
    'This import can no longer be reverted: the earlier values of the rows it changed were dropped after ' +
      'BEFORE_IMAGE_RETENTION_DAYS; nothing was changed',
  );

function planRefusal(plan: RevertPlan): AppError | undefined {
  if (plan.expired) return expired();
  if (plan.conflicts.length > 0) return new AppError('revert_conflict', describeConflicts(plan.conflicts));
  return undefined;
}

/**
 * POST /api/imports/:id/revert: checks the revert can be done (final, not a dry run, not reverted or being reverted,
 * images kept, no later import changed its rows), records it on the job with the rows it will delete and restore,
 * and queues it for the processors, which re-check and do it. Answers with the job, revert set.
 */
export async function revertImport({
  ctx,
  input,
}: {
  ctx: IngestContext;
  input: { principal: Principal; jobId: string; audit: AuditRecord };
}): Promise<Job> {
  const row = await findJobRow(ctx.db.db, input.jobId, { tenantId: input.principal.tenantId });
  if (!row) throw new AppError('not_found', `No import ${input.jobId}`);
  const refusal = stateRefusal(row);
  if (refusal) throw refusal;
  const plan = await planJobRevert(ctx, row);
  const planRefused = planRefusal(plan);
  if (planRefused) throw planRefused;
  const requested = await requestRevert(ctx.db, row.id, row.tenantId, plan, input.audit);
  if (!requested) {
    // Something changed since it was read (another request, retention): say what, as a fresh look does.
    const now = await findJobRow(ctx.db.db, row.id, { tenantId: row.tenantId });
    throw (now && stateRefusal(now)) ?? new AppError('invalid_state', 'The import changed meanwhile; look at it again');
  }
  const { requestedAt } = requested.revert!;
  try {
    await publishRepair(ctx.bus, { kind: 'revert', jobId: row.id, fixId: null, at: requestedAt }, requestedAt);
  } catch (error) {
    await withdrawRevert(ctx.db.sql, row.id, requestedAt);
    throw error;
  }
  ctx.logger.info({ jobId: row.id, toDelete: plan.toDelete, toRestore: plan.toRestore }, 'revert requested');
  const job = toJob(requested);
  // Everyone watching sees the revert asked for; its own progress and end follow from the processor.
  await publishEvent(ctx.bus, 'progress', job, { tenantId: row.tenantId, dedupe: false }).catch((error: unknown) =>
    ctx.logger.warn({ err: error, jobId: row.id }, 'revert request event not published'),
  );
  return job;
}
