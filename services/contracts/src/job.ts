import { z } from 'zod';
import { isTerminal } from './lifecycle.js';

export const JobStatus = z.enum(['pending', 'processing', 'completed', 'failed', 'cancelled']);
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
