import { z } from 'zod';
import { isTerminal } from './lifecycle.js';

export const JobStatus = z.enum(['pending', 'processing', 'completed', 'failed', 'cancelled', 'reverted']);
export type JobStatus = z.infer<typeof JobStatus>;

/** Why a job failed: the file (validation), our code (system) or a dependency (infrastructure). */
export const JobErrorKind = z.enum(['validation', 'system', 'infrastructure']);
export type JobErrorKind = z.infer<typeof JobErrorKind>;

export const JobError = z.object({
  kind: JobErrorKind,
  code: z.string(),
  message: z.string(),
  row: z.number().int().nullable().optional(),
});
export type JobError = z.infer<typeof JobError>;

export const OnDuplicate = z.enum(['error', 'last']);
export type OnDuplicate = z.infer<typeof OnDuplicate>;

export const FileEncoding = z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']);
export type FileEncoding = z.infer<typeof FileEncoding>;

export const Delimiter = z.enum([',', ';', '\t', '|']);
export type Delimiter = z.infer<typeof Delimiter>;

/** How a stored file is read: as CSV text, or as an Excel workbook (one sheet of it). */
export const FileFormat = z.enum(['csv', 'xlsx']);
export type FileFormat = z.infer<typeof FileFormat>;

/** What a dry run found, against the table as it was: rows it would insert, update, or leave as they are. */
export const ImportPlan = z.object({ insert: z.number().int(), update: z.number().int(), unchanged: z.number().int() });
export type ImportPlan = z.infer<typeof ImportPlan>;

/** An upload's explicit header mapping: file header → template column, or null to ignore the header. */
export const HeaderMappingInput = z.record(z.string().max(1000), z.string().max(63).nullable());
export type HeaderMappingInput = z.infer<typeof HeaderMappingInput>;

/** One correction uploaded into a job (POST /api/imports/:id/fixes): how many rows it held, fixed, and left failing. */
export const JobFix = z.object({
  id: z.string(),
  filename: z.string(),
  rows: z.number().int(),
  fixed: z.number().int(),
  stillFailing: z.number().int(),
  status: z.enum(['pending', 'processing', 'completed', 'failed']),
  error: z.string().nullable(),
  at: z.string(),
});
export type JobFix = z.infer<typeof JobFix>;

/** Taking an import back (POST /api/imports/:id/revert): rows to delete and to restore, and how far it got. */
export const JobRevert = z.object({
  requestedAt: z.string(),
  /** Rows the import inserted, to delete, and rows it updated, to restore; null until counted. */
  toDelete: z.number().int().nullable(),
  toRestore: z.number().int().nullable(),
  /** Rows done so far, deleted and restored together. */
  done: z.number().int(),
  /**
   * Why the processor did not revert (`revert_conflict`: a later import changed the same rows after the request;
   * `revert_expired`; or the last failure of a revert still being retried). The job keeps its status and nothing
   * was changed by a refusal; a new revert may be asked for.
   */
  error: z.object({ code: z.string(), message: z.string() }).nullable().optional(),
});
export type JobRevert = z.infer<typeof JobRevert>;

const timestamp = z.string().nullable();

export const Job = z.object({
  id: z.string(),
  status: JobStatus,
  template: z.string(),
  filename: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  onDuplicate: OnDuplicate,
  /** Declared by the uploader or detected from the first bytes. */
  encoding: FileEncoding,
  delimiter: Delimiter,
  format: FileFormat,
  /** The workbook sheet an xlsx upload is read from (name or 1-based number), or null for the first. */
  sheet: z.string().nullable(),
  /** The upload's explicit header mapping, or null when headers were matched by name and alias. */
  mapping: HeaderMappingInput.nullable(),
  /** Validates everything and writes nothing to the table; `plan` says what a real run would do. */
  dryRun: z.boolean(),
  plan: ImportPlan.nullable(),
  /** The dry run this job imports for real (POST /api/imports/:id/commit), or null. */
  dryRunOf: z.string().nullable(),
  /** Past this many failed rows, or this share of processed rows, the job stops and fails with too_many_errors. */
  maxErrors: z.number().int().nullable(),
  maxErrorRate: z.number().nullable(),
  /** The file's rows become visible in one transaction at the end; a failure leaves the table as it was. */
  atomic: z.boolean(),
  /** Corrections uploaded into the job, oldest first (the latest few). */
  fixes: z.array(JobFix),
  /** Set once a revert is asked for. */
  revert: JobRevert.nullable(),
  totalRows: z.number().int().nullable(),
  processedRows: z.number().int(),
  successRows: z.number().int(),
  failedRows: z.number().int(),
  bytesProcessed: z.number().int(),
  progress: z.number().min(0).max(1),
  rowsPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  error: JobError.nullable(),
  duplicateOf: z.string().nullable(),
  /** Header names that the template does not know: ignored, reported here. */
  ignoredColumns: z.array(z.string()),
  /** 1 for the first run; retries and crash recoveries count up. */
  attempt: z.number().int(),
  /** The data row a recovered run resumed after, or null when it started from row 1. */
  resumedFromRow: z.number().int().nullable(),
  createdAt: z.string(),
  startedAt: timestamp,
  finishedAt: timestamp,
  updatedAt: z.string(),
});
export type Job = z.infer<typeof Job>;

/**
 * Orders two copies of one job: a later attempt, then a later updatedAt, then more processed rows; at a tie
 * a final state wins. Positive when `a` is newer, 0 when they are the same state. Every reader that merges
 * job states (the gateway's per-client queue, the web store) uses this one rule, so counts never go backwards.
 */
export function compareJobs(a: Job, b: Job): number {
  if (a.attempt !== b.attempt) return a.attempt - b.attempt;
  const byTime = Date.parse(a.updatedAt) - Date.parse(b.updatedAt);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  if (a.processedRows !== b.processedRows) return a.processedRows - b.processedRows;
  return Number(isTerminal(a.status)) - Number(isTerminal(b.status));
}
