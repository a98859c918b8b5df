import { finalEvent, isTerminal, type EventType, type JobChange } from '@docprocessor/contracts';
import type { ImportJobRow } from '../schema/import-jobs.js';
import { toJob } from './to-job.js';

/** A lifecycle function's answer: the row as committed, and the event that announces it. */
export interface JobChangeRow extends JobChange {
  row: ImportJobRow;
}

export const changeOf = (row: ImportJobRow, event: EventType): JobChangeRow => ({
  row,
  job: toJob(row),
  event,
  tenantId: row.tenantId,
});

/**
 * The final event of a job already in a final state, to say it again: a worker may have died between the
 * commit and its event (the event's message id makes the repeat harmless). Undefined for a job not final.
 */
export const repeatFinal = (row: ImportJobRow): JobChangeRow | undefined =>
  isTerminal(row.status) ? changeOf(row, finalEvent(row.status)) : undefined;
