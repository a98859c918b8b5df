import { and, eq } from 'drizzle-orm';
import { AppError, AUTO_TEMPLATE, ImportFormFields, type Job, type Template, roleAllows } from '@docprocessor/contracts';
import { type AuditRecord, createJob, createTemplate, findTemplate, importJobs, toJob, type Principal } from '@docprocessor/db';
import { previewWorkbook } from '../previews/preview-workbook.js';
import { sniffCsv } from '../previews/sniff-csv.js';
import { inferTemplate } from '../templates/infer-template.js';
import { announceJob } from './announce-job.js';
import type { IngestContext } from './context.js';
import type { ReceivedUpload } from './receive-upload.js';
import { detectEncoding, sniffDelimiter, sniffFormat } from './sniff-content.js';
import { readStoredHead } from './stored-head.js';

export interface CreateImportInput {
  principal: Principal;
  jobId: string;
  upload: ReceivedUpload;
  idempotencyKey: string | undefined;
  /** The `import.create` entry, written with the job. */
  audit: AuditRecord;
}

/** Turns a stored upload into a committed job and announces it. The stored object is removed on any refusal. */
export async function createImport({
  ctx,
  input,
}: {
  ctx: IngestContext;
  input: CreateImportInput;
}): Promise<{ job: Job; created: boolean }> {
  const { principal, jobId, upload, idempotencyKey, audit } = input;
  try {
    const fields = parseFields(upload.fields);
    if (upload.stored.size === 0) throw new AppError('empty_file', 'The file is empty: send a CSV with a header line');
    // A workbook's cells come typed and in UTF-8: encoding and delimiter are the CSV reader's, not its.
    const format = sniffFormat(upload.head);
    if (format === 'csv' && fields.sheet !== undefined)
      throw new AppError('invalid_request', 'Field "sheet" is for .xlsx workbooks; this file is CSV');
    const encoding = format === 'xlsx' ? 'utf-8' : (fields.encoding ?? detectEncoding(upload.head, upload.headTruncated));
    const template = await templateFor(ctx, principal, upload, fields, encoding, format, audit);
    checkMapping(fields, template);
    const created = await createJob(
      ctx.db,
      {
        id: jobId,
        tenantId: principal.tenantId,
        template: template.name,
        onDuplicate: fields.onDuplicate,
        encoding,
        delimiter: format === 'xlsx' ? ',' : (fields.delimiter ?? sniffDelimiter(upload.head, encoding)),
        format,
        sheet: fields.sheet ?? null,
        mapping: fields.mapping ?? null,
        dryRun: fields.dryRun,
        maxErrors: fields.maxErrors ?? template.maxErrors ?? null,
        maxErrorRate: fields.maxErrorRate ?? template.maxErrorRate ?? null,
        atomic: fields.atomic,
        filename: upload.filename,
        sizeBytes: upload.stored.size,
        sha256: upload.stored.sha256,
        objectName: upload.stored.name,
        idempotencyKey: idempotencyKey ?? null,
      },
      audit,
    );
    if (!created) {
      // Another request with the same Idempotency-Key won the race: answer with its job.
      await ctx.files.delete(upload.stored.name).catch(() => undefined);
      const existing = await findByIdempotencyKey(ctx, principal, idempotencyKey ?? '');
      if (!existing) throw new AppError('idempotency_conflict', 'A request with this Idempotency-Key is being processed; try again');
      return { job: existing, created: false };
    }
    const { row } = created;
    ctx.logger.info(
      { jobId, template: row.template, sizeBytes: row.sizeBytes, duplicateOf: row.duplicateOf, dryRun: row.dryRun },
      'job created',
    );
    await announceJob(ctx, created);
    return { job: created.job, created: true };
  } catch (error) {
    await ctx.files.delete(upload.stored.name).catch(() => undefined);
    throw error;
  }
}

function parseFields(raw: Record<string, string>): ImportFormFields {
  const given = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const parsed = ImportFormFields.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const known = ['file', ...Object.keys(ImportFormFields.shape)].join(', ');
    throw new AppError('invalid_request', `Unknown field "${issue.keys[0]}": an upload takes ${known}`);
  }
  throw new AppError('invalid_request', `Field "${issue.path.join('.')}": ${issue.message}`);
}

/** The template named, or for template=auto the one inferred from the file (made once, then reused by name). */
async function templateFor(
  ctx: IngestContext,
  principal: Principal,
  upload: ReceivedUpload,
  fields: ImportFormFields,
  encoding: Job['encoding'],
  format: Job['format'],
  audit: AuditRecord,
): Promise<Template> {
  const auto = fields.template === AUTO_TEMPLATE;
  if (auto !== (fields.table !== undefined))
    throw new AppError('invalid_request', 'Field "table" goes with template=auto, and template=auto needs it');
  if (!auto && fields.key !== undefined) throw new AppError('invalid_request', 'Field "key" goes with template=auto');
  const name = fields.table ?? fields.template;
  const existing = await findTemplate(ctx.db, principal.tenantId, name);
  if (existing) return existing;
  if (!auto) throw new AppError('unknown_template', `Unknown template "${name}": GET /api/templates lists them`);
  // Making a template (and its table) is an admin's; an importer may still upload with auto to one made before.
  if (!roleAllows(principal.role, 'admin'))
    throw new AppError(
      'forbidden',
      `template=auto would create the template ${name}: that needs the admin role (ask an admin, or pick a template)`,
    );
  const preview =
    format === 'xlsx'
      ? await previewStoredWorkbook(ctx, upload.stored.name, fields.sheet ?? null)
      : await previewStoredCsv(ctx, upload, encoding);
  const inferred = inferTemplate(preview, name, fields.key);
  const template = await createTemplate(ctx.db, principal.tenantId, inferred, {
    ...audit,
    action: 'template.create',
    target: `template:${name}`,
    detail: { inferredFrom: audit.target },
  });
  ctx.logger.info(
    { template: template.name, table: template.table, columns: template.columns.length, key: template.key },
    'template inferred from an upload',
  );
  return template;
}

async function previewStoredCsv(ctx: IngestContext, upload: ReceivedUpload, encoding: Job['encoding']) {
  const { head, cut } = await readStoredHead(ctx.files, upload.stored.name);
  return sniffCsv({ text: new TextDecoder(encoding).decode(head), encoding, cut });
}

async function previewStoredWorkbook(ctx: IngestContext, name: string, sheet: string | null) {
  const file = await ctx.files.read(name);
  if (!file) throw new AppError('file_missing', 'The uploaded file is no longer stored');
  try {
    return await previewWorkbook(file, { sheet });
  } finally {
    file.destroy();
  }
}

function checkMapping(fields: ImportFormFields, template: Template): void {
  for (const [header, column] of Object.entries(fields.mapping ?? {}))
    if (column !== null && !template.columns.some((c) => c.name === column))
      throw new AppError(
        'invalid_request',
        `Field "mapping": "${header}" maps to "${column}", which is not a column of template ${template.name}`,
      );
}

export async function findByIdempotencyKey(ctx: IngestContext, principal: Principal, key: string): Promise<Job | undefined> {
  const [row] = await ctx.db.db
    .select()
    .from(importJobs)
    .where(and(eq(importJobs.tenantId, principal.tenantId), eq(importJobs.idempotencyKey, key)));
  return row && toJob(row);
}
