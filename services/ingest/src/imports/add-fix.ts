import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { publishRepair } from '@docprocessor/bus';
import { AppError, type Job } from '@docprocessor/contracts';
import { type AuditRecord, addJobFix, findJobRow, toJob, withdrawJobFix, type ImportJobRow, type Principal } from '@docprocessor/db';
import type { IngestContext } from './context.js';
import { receiveUpload } from './receive-upload.js';
import { checkFailedRows } from './failed-rows.js';
import { readFixRows, type FixFileDialect } from './read-fix-file.js';
import { detectEncoding, sniffDelimiter, sniffFormat } from './sniff-content.js';

/** Why a job does not take a fix now, or null when it does (the UPDATE that adds the fix checks it again). */
function refusal(job: ImportJobRow): string | null {
  if (job.dryRun) return `Import ${job.id} is a dry run: it wrote nothing, so there is nothing to fix; import it for real first`;
  if (job.revert) return `Import ${job.id} is reverted or being reverted; a fix cannot go into it`;
  if (job.status !== 'completed') return `Import ${job.id} is ${job.status}; fixes go into a completed import`;
  const busy = job.fixes.find((f) => f.status === 'pending' || f.status === 'processing');
  if (busy) return `Fix ${busy.id} of import ${job.id} is still ${busy.status}; upload the next one once it is done`;
  return null;
}

/**
 * A pending fix whose work item may never have been published (ingest stopped between the commit and the publish) is
 * queued again when the next fix is refused for it; the message id makes this harmless when it was published.
 */
async function requeueBusyFix(ctx: IngestContext, job: ImportJobRow): Promise<void> {
  const pending = job.fixes.find((f) => f.status === 'pending');
  if (!pending) return;
  await publishRepair(ctx.bus, { kind: 'fix', jobId: job.id, fixId: pending.id, at: pending.at }, pending.id).catch((error: unknown) =>
    ctx.logger.warn({ err: error, jobId: job.id, fixId: pending.id }, 'pending fix not queued again'),
  );
}

/**
 * POST /api/imports/:id/fixes: stores a corrected file of the job's failed rows, checks its header and rows against
 * the job, and queues it for the processors. The stored file goes on any refusal.
 */
export async function addFix({
  ctx,
  input,
}: {
  ctx: IngestContext;
  input: { principal: Principal; jobId: string; request: FastifyRequest; audit: AuditRecord };
}): Promise<Job> {
  const { principal, jobId } = input;
  const fixId = randomUUID();
  const upload = await receiveUpload(ctx, input.request, `${jobId}.fix.${fixId}`);
  try {
    const unknown = Object.keys(upload.fields)[0];
    if (unknown !== undefined) throw new AppError('invalid_request', `Unknown field "${unknown}": a fix takes only the field "file"`);
    const job = await findJobRow(ctx.db.db, jobId, { tenantId: principal.tenantId });
    if (!job) throw new AppError('not_found', `No import ${jobId}`);
    const refused = refusal(job);
    if (refused) {
      await requeueBusyFix(ctx, job);
      throw new AppError('invalid_state', refused);
    }
    if (upload.stored.size === 0) throw new AppError('empty_file', 'The fix file is empty: send the corrected errors.csv');
    if (!job.fileHeader || job.failedRows === 0) throw new AppError('invalid_state', `Import ${jobId} has no failed rows to fix`);
    const format = sniffFormat(upload.head);
    const encoding = format === 'xlsx' ? 'utf-8' : detectEncoding(upload.head, upload.headTruncated);
    const dialect: FixFileDialect = { format, encoding, delimiter: format === 'xlsx' ? ',' : sniffDelimiter(upload.head, encoding) };
    const rows = await readFixRows(ctx, upload.stored.name, dialect, job.fileHeader);
    await checkFailedRows(ctx.db, jobId, rows);
    const fix = {
      id: fixId,
      filename: upload.filename,
      rows: 0,
      fixed: 0,
      stillFailing: 0,
      status: 'pending' as const,
      error: null,
      at: new Date().toISOString(),
    };
    const stored = { ...fix, objectName: upload.stored.name, ...dialect };
    const added = await addJobFix(ctx.db, jobId, principal.tenantId, stored, { ...input.audit, detail: { fixId, filename: fix.filename } });
    if (!added) throw new AppError('invalid_state', `Import ${jobId} changed while the fix was read (another fix, or a revert); try again`);
    try {
      await publishRepair(ctx.bus, { kind: 'fix', jobId, fixId, at: fix.at }, fixId);
    } catch (error) {
      await withdrawJobFix(ctx.db, jobId, fixId);
      throw new AppError('nats_unavailable', 'The fix could not be queued right now; upload it again in a moment', { cause: error });
    }
    ctx.logger.info({ jobId, fixId, rows: rows.length, format }, 'fix queued');
    return toJob(added);
  } catch (error) {
    await ctx.files.delete(upload.stored.name).catch(() => undefined);
    throw error;
  }
}
