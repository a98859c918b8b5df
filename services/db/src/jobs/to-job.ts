import type { Job } from '@docprocessor/contracts';
import type { ImportJobRow } from '../schema/import-jobs.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The public job object of a row; rates are derived here so that every reader reports the same figures. */
export function toJob(row: ImportJobRow, now: Date = new Date()): Job {
  const done = row.status === 'completed';
  const progress = done ? 1 : row.sizeBytes > 0 ? Math.min(1, row.bytesProcessed / row.sizeBytes) : 0;
  const end = row.finishedAt ?? (row.status === 'processing' ? now : row.updatedAt);
  const seconds = row.startedAt ? (end.getTime() - row.startedAt.getTime()) / 1000 : 0;
  const rowsPerSecond = seconds > 0 && row.processedRows > 0 ? Math.round(row.processedRows / seconds) : null;
  const etaSeconds =
    row.status === 'processing' && progress > 0 && progress < 1 && seconds > 0 ? Math.round((seconds * (1 - progress)) / progress) : null;
  return {
    id: row.id,
    status: row.status,
    template: row.template,
    filename: row.filename,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    onDuplicate: row.onDuplicate,
    encoding: row.encoding,
    delimiter: row.delimiter,
    format: row.format,
    sheet: row.sheet,
    mapping: row.mapping ?? null,
    dryRun: row.dryRun,
    plan: row.plan ?? null,
    dryRunOf: row.dryRunOf,
    maxErrors: row.maxErrors,
    maxErrorRate: row.maxErrorRate,
    atomic: row.atomic,
    fixes: row.fixes.map(({ objectName: _stored, ...fix }) => fix),
    revert: row.revert ?? null,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    successRows: row.successRows,
    failedRows: row.failedRows,
    bytesProcessed: row.bytesProcessed,
    progress,
    rowsPerSecond,
    etaSeconds,
    error: row.error ?? null,
    duplicateOf: row.duplicateOf,
    ignoredColumns: row.ignoredColumns,
    attempt: row.attempt,
    resumedFromRow: row.resumedFromRow,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    updatedAt: row.updatedAt.toISOString(),
  };
}
