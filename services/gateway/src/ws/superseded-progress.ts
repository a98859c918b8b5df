import { compareJobs } from '@docprocessor/contracts';
import type { QueuedEvent } from './latest-per-job.js';

/**
 * The events of one read from NATS, minus each `progress` event that a later event of the same job in the same read
 * makes useless (an event carries the whole job). A gateway that fell behind thus sends a job's newest state once
 * instead of every step it missed; a created, started or terminal event is never left out.
 */
export function withoutSupersededProgress<T extends QueuedEvent>(batch: readonly T[]): { kept: T[]; dropped: T[] } {
  if (batch.length < 2) return { kept: [...batch], dropped: [] };
  const last = new Map<string, T>();
  for (const item of batch) last.set(item.event.jobId, item);
  const kept: T[] = [];
  const dropped: T[] = [];
  for (const item of batch) {
    const newest = last.get(item.event.jobId);
    const superseded = item.event.type === 'progress' && newest !== item && newest && compareJobs(newest.event.job, item.event.job) >= 0;
    (superseded ? dropped : kept).push(item);
  }
  return { kept, dropped };
}
