import { isTerminal, type Job } from '@docprocessor/contracts';
import { secondsBetween } from './format';

/** Seconds spent processing; while running, the last update is the best "now" there is (no clock ticking). */
export const durationOf = (job: Job): number | null =>
  secondsBetween(job.startedAt, job.finishedAt ?? (job.status === 'processing' ? job.updatedAt : null));

/** Rows per second: the live rate while running, the average over the run once it ended. */
export function throughputOf(job: Job): number | null {
  if (!isTerminal(job.status)) return job.rowsPerSecond;
  const seconds = durationOf(job);
  return seconds ? job.processedRows / seconds : null;
}
