import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { AppError, type Job } from '@docprocessor/contracts';
import { type AuditRecord, createJob, findJobRow, importJobs, toJob, type Principal } from '@docprocessor/db';
import { announceJob } from './announce-job.js';
import type { IngestContext } from './context.js';

/**
 * POST /api/imports/:id/commit: imports a completed dry run's stored file for real, with the same template,
 * mapping and options, as a new job whose `dryRunOf` names the dry run. Committing twice gives the same job.
 */
export async function commitDryRun({
  ctx,
  input,
}: {
  ctx: IngestContext;
  input: { principal: Principal; jobId: string; audit: AuditRecord };
}): Promise<{ job: Job; created: boolean }> {
  const { tenantId } = input.principal;
  const dryRun = await findJobRow(ctx.db.db, input.jobId, { tenantId });
  if (!dryRun) throw new AppError('not_found', `No import ${input.jobId}`);
  if (!dryRun.dryRun) throw new AppError('invalid_state', 'Only a dry run can be committed; this import was a real one');
  if (dryRun.status !== 'completed')
    throw new AppError('invalid_state', `Only a completed dry run can be committed; this one is ${dryRun.status}`);
  const [earlier] = await ctx.db.db
    .select()
    .from(importJobs)
    .where(and(eq(importJobs.tenantId, tenantId), eq(importJobs.dryRunOf, dryRun.id)))
    .limit(1);
  if (earlier) return { job: toJob(earlier), created: false };
  if (!(await ctx.files.exists(dryRun.objectName)))
    throw new AppError('invalid_state', 'The uploaded file of this dry run is no longer stored; upload it again');
  const id = randomUUID();
  // The entry names the new job, whose page shows who started it; the dry run it came from is in the detail.
  const audit = { ...input.audit, target: `job:${id}`, detail: { dryRunOf: dryRun.id } };
  const created = await createJob(
    ctx.db,
    {
      id,
      tenantId,
      template: dryRun.template,
      onDuplicate: dryRun.onDuplicate,
      encoding: dryRun.encoding,
      delimiter: dryRun.delimiter,
      format: dryRun.format,
      sheet: dryRun.sheet,
      mapping: dryRun.mapping,
      dryRun: false,
      dryRunOf: dryRun.id,
      filename: dryRun.filename,
      sizeBytes: dryRun.sizeBytes,
      sha256: dryRun.sha256,
      objectName: dryRun.objectName,
      idempotencyKey: null,
    },
    audit,
  );
  if (!created) throw new AppError('idempotency_conflict', 'The dry run is being committed already; try again');
  ctx.logger.info({ jobId: created.row.id, dryRunOf: dryRun.id }, 'dry run committed');
  await announceJob(ctx, created);
  return { job: created.job, created: true };
}
