import { workQueueDepth } from '@docprocessor/bus';
import { AppError } from '@docprocessor/contracts';
import type { IngestContext } from './context.js';

/** How long one reading of the queue and the store answers for: every upload in a burst costs NATS one request at most. */
export const CAPACITY_READING_MS = 500;

interface Reading {
  queuedJobs: number | null;
  storedBytes: number | null;
}

/**
 * Backpressure: refuses new work (`503 service_unavailable` with `Retry-After`) while the shared work queue (items
 * waiting or running) or the file store holds more than its limit, so ingest does not accept what it cannot hold.
 * Only the limits that are set (not 0) are read, from a reading at most CAPACITY_READING_MS old.
 */
export class CapacityGuard {
  private reading: { at: number; value: Promise<Reading> } | null = null;

  constructor(
    private readonly ctx: IngestContext,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws the refusal when a limit is reached; resolves when there is room. */
  async check(): Promise<void> {
    const { MAX_QUEUED_JOBS: maxJobs, MAX_STORED_BYTES: maxBytes, BACKPRESSURE_RETRY_AFTER_SECONDS: retryAfter } = this.ctx.config;
    if (maxJobs === 0 && maxBytes === 0) return;
    const { queuedJobs, storedBytes } = await this.read();
    const full =
      queuedJobs !== null && queuedJobs >= maxJobs
        ? `${queuedJobs} jobs are queued or running, the most this service takes (${maxJobs})`
        : storedBytes !== null && storedBytes >= maxBytes
          ? `the file store holds ${storedBytes} bytes, the most this service keeps (${maxBytes})`
          : null;
    if (!full) return;
    this.ctx.logger.warn({ queuedJobs, storedBytes, maxJobs, maxBytes }, 'refusing new work: a capacity limit is reached');
    throw new AppError('service_unavailable', `Too busy to take more work: ${full}; try again in ${retryAfter} s`, {
      headers: { 'retry-after': String(retryAfter) },
    });
  }

  private read(): Promise<Reading> {
    const at = this.now();
    if (this.reading && at - this.reading.at < CAPACITY_READING_MS) return this.reading.value;
    const { MAX_QUEUED_JOBS: maxJobs, MAX_STORED_BYTES: maxBytes } = this.ctx.config;
    const value = Promise.all([
      maxJobs === 0 ? null : workQueueDepth(this.ctx.bus),
      maxBytes === 0 ? null : this.ctx.files.storedBytes(),
    ]).then(([queuedJobs, storedBytes]) => ({ queuedJobs, storedBytes }));
    const reading = { at, value };
    this.reading = reading;
    // A failed reading is not kept: the next request reads again.
    value.catch(() => {
      if (this.reading === reading) this.reading = null;
    });
    return value;
  }
}
