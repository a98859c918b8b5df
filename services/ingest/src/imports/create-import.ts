import { and, eq } from 'drizzle-orm';
import { AppError, findTemplate, ImportFormFields, type Job } from '@docprocessor/contracts';
import { createJob, importJobs, toJob, type Principal } from '@docprocessor/db';
import { announceJob } from './announce-job.js';
import { detectEncoding, sniffDelimiter } from './sniff-content.js';
import type { IngestContext } from './context.js';
import type { ReceivedUpload } from './receive-upload.js';

export interface CreateImportInput {
  principal: Principal;
  jobId: string;
  upload: ReceivedUpload;
  idempotencyKey: string | undefined;
}

/** Turns a stored upload into a committed job and announces it. The stored object is removed on any refusal. */
export async function createImport({ ctx, input }: { ctx: IngestContext; input: CreateImportInput }): Promise<{ job: Job; created: boolean }> {
  const { principal, jobId, upload, idempotencyKey } = input;
  try {
    const fields = parseFields(upload.fields);
    if (upload.stored.size === 0) throw new AppError('empty_file', 'The file is empty: send a CSV with a header line');
    const encoding = fields.encoding ?? detectEncoding(upload.head, upload.headTruncated);
    const created = await createJob(ctx.db, {
      id: jobId,
      tenantId: principal.tenantId,
      template: fields.template,
      onDuplicate: fields.onDuplicate,
      encoding,
      delimiter: fields.delimiter ?? sniffDelimiter(upload.head, encoding),
      filename: upload.filename,
      sizeBytes: upload.stored.size,
      sha256: upload.stored.sha256,
      objectName: upload.stored.name,
      idempotencyKey: idempotencyKey ?? null,
    });
    if (!created) {
      // Another request with the same Idempotency-Key won the race: answer with its job.
      await ctx.files.delete(upload.stored.name).catch(() => undefined);
      const existing = await findByIdempotencyKey(ctx, principal, idempotencyKey ?? '');
      if (!existing) throw new AppError('idempotency_conflict', 'A request with this Idempotency-Key is being processed; try again');
      return { job: existing, created: false };
    }
    const { row } = created;
    ctx.logger.info({ jobId, template: row.template, sizeBytes: row.sizeBytes, duplicateOf: row.duplicateOf }, 'job created');
    await announceJob(ctx, created);
    return { job: created.job, created: true };
  } catch (error) {
    await ctx.files.delete(upload.stored.name).catch(() => undefined);
    throw error;
  }
}

function parseFields(raw: Record<string, string>): ImportFormFields {
  const parsed = ImportFormFields.safeParse({
    template: raw.template || undefined,
    onDuplicate: raw.onDuplicate || undefined,
    encoding: raw.encoding || undefined,
    delimiter: raw.delimiter || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid_request', `Field "${issue?.path.join('.')}": ${issue?.message}`);
  }
  if (!findTemplate(parsed.data.template))
    throw new AppError('unknown_template', `Unknown template "${parsed.data.template}": GET /api/templates lists them`);
  return parsed.data;
}

export async function findByIdempotencyKey(ctx: IngestContext, principal: Principal, key: string): Promise<Job | undefined> {
  const [row] = await ctx.db.db
    .select()
    .from(importJobs)
    .where(and(eq(importJobs.tenantId, principal.tenantId), eq(importJobs.idempotencyKey, key)));
  return row && toJob(row);
}
