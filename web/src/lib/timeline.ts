import type { Job } from '@docprocessor/contracts';
import { formatCount, statusLabel } from './format';

export interface TimelineEntry {
  kind: 'created' | 'started' | 'resumed' | 'attempt' | 'finished' | 'fix' | 'revert' | 'running';
  /** ISO-8601, or null when the job does not say when (a restart is known by its row, not its time). */
  at: string | null;
  text: string;
}

/**
 * What happened to a job, in order, from what the job object itself holds: created, started, a restart after a
 * crash (resumedFromRow) or a retry (attempt), its end, the fixes uploaded into it and a revert.
 */
export function timelineOf(job: Job): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ kind: 'created', at: job.createdAt, text: createdText(job) }];
  if (job.startedAt) entries.push({ kind: 'started', at: job.startedAt, text: 'Started reading rows' });
  if (job.resumedFromRow != null)
    entries.push({
      kind: 'resumed',
      at: null,
      text: `Resumed after a restart at row ${formatCount(job.resumedFromRow)} (attempt ${job.attempt}): rows before it were kept`,
    });
  else if (job.attempt > 1) entries.push({ kind: 'attempt', at: null, text: `Run again from the start (attempt ${job.attempt})` });
  if (job.status === 'processing') entries.push({ kind: 'running', at: job.updatedAt, text: runningText(job) });
  if (job.finishedAt) entries.push({ kind: 'finished', at: job.finishedAt, text: finishedText(job) });
  for (const fix of job.fixes)
    entries.push({
      kind: 'fix',
      at: fix.at,
      text: `Fixes from ${fix.filename}: ${fix.fixed} fixed, ${fix.stillFailing} still failing (${fix.status})`,
    });
  if (job.revert)
    entries.push({
      kind: 'revert',
      at: job.revert.requestedAt,
      text: job.status === 'reverted' ? 'Reverted: the table is back as it was' : 'Revert asked for',
    });
  return entries;
}

const createdText = (job: Job): string => (job.dryRunOf ? 'Created from a dry run' : job.dryRun ? 'Uploaded as a dry run' : 'Uploaded');

const runningText = (job: Job): string =>
  `Processing: ${formatCount(job.processedRows)}${job.totalRows != null ? ` of ${formatCount(job.totalRows)}` : ''} rows so far`;

function finishedText(job: Job): string {
  const counts = `${formatCount(job.successRows)} rows imported, ${formatCount(job.failedRows)} failed`;
  if (job.status === 'failed' && job.error) return `Failed (${job.error.code}) after ${formatCount(job.processedRows)} rows`;
  if (job.status === 'reverted' || job.status === 'completed') return `Completed: ${counts}`;
  return `${statusLabel(job.status)}: ${counts}`;
}
