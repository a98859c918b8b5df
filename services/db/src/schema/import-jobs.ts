import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  Delimiter,
  FileEncoding,
  FileFormat,
  JobStatus,
  OnDuplicate,
  type HeaderMappingInput,
  type ImportPlan,
  type JobError,
  type JobFix,
  type JobRevert,
} from '@docprocessor/contracts';

// Millisecond precision, like JS dates, so a (createdAt, id) cursor compares exactly.
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
/** A zod enum's values as the non-empty tuple drizzle's text enums take: each enum stays defined once, in contracts. */
const valuesOf = <T extends string>(options: readonly T[]) => options as [T, ...T[]];
const count = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

/** One row per upload: the single source of truth that every event mirrors. */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey(),
    tenantId: text('tenant_id').notNull().default('default'),
    status: text('status', { enum: valuesOf(JobStatus.options) }).notNull(),
    template: text('template').notNull(),
    onDuplicate: text('on_duplicate', { enum: valuesOf(OnDuplicate.options) })
      .notNull()
      .default('error'),
    filename: text('filename').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    objectName: text('object_name').notNull(),
    /** Text encoding of the stored file, declared by the uploader or detected from its first bytes. */
    encoding: text('encoding', { enum: valuesOf(FileEncoding.options) })
      .notNull()
      .default('utf-8'),
    /** Field delimiter, declared or sniffed from the header line. */
    delimiter: text('delimiter', { enum: valuesOf(Delimiter.options) })
      .notNull()
      .default(','),
    format: text('format', { enum: valuesOf(FileFormat.options) })
      .notNull()
      .default('csv'),
    sheet: text('sheet'),
    mapping: jsonb('mapping').$type<HeaderMappingInput>(),
    dryRun: boolean('dry_run').notNull().default(false),
    plan: jsonb('plan').$type<ImportPlan>(),
    dryRunOf: uuid('dry_run_of'),
    maxErrors: integer('max_errors'),
    maxErrorRate: doublePrecision('max_error_rate'),
    atomic: boolean('atomic').notNull().default(false),
    /** The file's header as read, for errors.csv and for checking a fix file against it. */
    fileHeader: jsonb('file_header').$type<string[]>(),
    revert: jsonb('revert').$type<JobRevert>(),
    /** The job's corrections, newest last; each keeps the stored file it came in (objectName), which the API does not show. */
    fixes: jsonb('fixes').$type<Array<JobFix & { objectName: string }>>().notNull().default(sql`'[]'::jsonb`),
    idempotencyKey: text('idempotency_key'),
    duplicateOf: uuid('duplicate_of'),
    totalRows: bigint('total_rows', { mode: 'number' }),
    processedRows: count('processed_rows'),
    successRows: count('success_rows'),
    failedRows: count('failed_rows'),
    bytesProcessed: count('bytes_processed'),
    /** Every row error found; only the first MAX_STORED_ERRORS are stored with their detail. */
    errorsTotal: count('errors_total'),
    ignoredColumns: jsonb('ignored_columns').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    error: jsonb('error').$type<JobError>(),
    attempt: integer('attempt').notNull().default(1),
    /** Changes whenever a run starts from row 1, so rows of an earlier run are told apart from this one's. */
    runId: uuid('run_id'),
    resumedFromRow: bigint('resumed_from_row', { mode: 'number' }),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    /** Touched by the worker holding the job at every batch and lease renewal; a stale one means the worker is gone. */
    heartbeatAt: ts('heartbeat_at'),
    /** Set once the `created` event of the current attempt is in the stream; the sweeper republishes until then. */
    announcedAt: ts('announced_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('import_jobs_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('import_jobs_status_idx').on(t.status),
    index('import_jobs_sha_idx').on(t.template, t.sha256),
    uniqueIndex('import_jobs_idempotency_idx').on(t.tenantId, t.idempotencyKey),
  ],
);

export type ImportJobRow = typeof importJobs.$inferSelect;
export type NewImportJobRow = typeof importJobs.$inferInsert;
