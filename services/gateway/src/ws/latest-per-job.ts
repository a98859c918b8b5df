import { compareJobs, type ImportEvent, type Job } from '@docprocessor/contracts';

export { compareJobs };

export interface QueuedEvent {
  event: ImportEvent;
  /** The JSON to send, as published: UTF-8 bytes shared by every client (or the text itself). */
  raw: Buffer | string;
}

/**
 * Events held back for one client, at most one per job: an event carries the whole job, so the newest one
 * makes the older ones useless, and an older event (e.g. a late progress) never replaces a newer (e.g. terminal) one.
 */
export class LatestPerJob {
  private readonly byJob = new Map<string, QueuedEvent>();

  get size(): number {
    return this.byJob.size;
  }

  /** Keeps the newer of the held and the offered event; true when one of them was dropped (coalesced). */
  offer(item: QueuedEvent): boolean {
    const held = this.byJob.get(item.event.jobId);
    if (held && compareJobs(item.event.job, held.event.job) < 0) return true;
    this.byJob.set(item.event.jobId, item);
    return held !== undefined;
  }

  /** Takes the oldest-queued job's event. */
  shift(): QueuedEvent | undefined {
    for (const [jobId, item] of this.byJob) {
      this.byJob.delete(jobId);
      return item;
    }
    return undefined;
  }

  /** Drops every event that is not newer than the snapshot's copy of its job; returns how many were dropped. */
  dropCoveredBy(snapshot: readonly Job[]): number {
    let dropped = 0;
    for (const job of snapshot) {
      const held = this.byJob.get(job.id);
      if (held && compareJobs(held.event.job, job) <= 0) {
        this.byJob.delete(job.id);
        dropped++;
      }
    }
    return dropped;
  }

  clear(): void {
    this.byJob.clear();
  }
}
