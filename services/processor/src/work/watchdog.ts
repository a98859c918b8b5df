import { isWorkItemQueued, lastWorkItem, publishChange, republishWorkItem } from '@docprocessor/bus';
import { findStalledJobs, handBackJob, stallJob, stopJob, toJob, type Fence, type ImportJobRow, type JobChangeRow } from '@docprocessor/db';
import type { ProcessorContext } from '../context.js';
import { recordFinished } from '../metrics.js';

export type WatchdogAction = 'handed_back' | 'failed' | 'cancelled' | 'queued' | 'skipped';

const secs = (ms: number) => ms / 1000;

/**
 * Finds jobs that redelivery did not rescue and moves them on. A `processing` job whose last batch is older
 * than WATCHDOG_STALL_MS (its worker hangs while renewing its lease, or its work item is gone) and a
 * `pending` job announced longer than WATCHDOG_PENDING_MS ago whose work item is no longer queued are
 * handed back: their work item is published again and the next worker resumes at the checkpoint. A job
 * that stalls WATCHDOG_MAX_STALLS times fails with `job_stalled`. Every worker runs one; a conditional
 * update elects the one that acts on a job.
 */
export class Watchdog {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;

  constructor(private readonly ctx: ProcessorContext) {}

  start(): void {
    const every = this.ctx.config.WATCHDOG_INTERVAL_MS;
    if (every === 0) return;
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error: unknown) => this.ctx.logger.warn({ err: error }, 'watchdog sweep failed; trying again later'))
        .finally(() => (this.sweeping = null));
    }, every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** One look at every job; says what it did with each stalled one. */
  async sweep(): Promise<Array<{ jobId: string; action: WatchdogAction }>> {
    const { config, db } = this.ctx;
    const stalled = await findStalledJobs(db, config.WATCHDOG_STALL_MS, config.WATCHDOG_PENDING_MS);
    const done: Array<{ jobId: string; action: WatchdogAction }> = [];
    for (const job of stalled) done.push({ jobId: job.id, action: await this.rescue(job) });
    return done;
  }

  private async rescue(job: ImportJobRow): Promise<WatchdogAction> {
    const log = this.ctx.logger.child({ jobId: job.id, status: job.status, attempt: job.attempt });
    const fence = this.stillStalled(job);
    if (job.status === 'processing' && job.cancelRequested) return this.finish(job, await stopJob(this.ctx.db, job.id, fence));
    const item = await lastWorkItem(this.ctx.bus, job.id);
    // A pending job behind a long queue is waiting, not lost.
    if (job.status === 'pending' && item && (await isWorkItemQueued(this.ctx.bus, item.sequence))) return 'queued';
    const stalls = (item?.handBacks ?? 0) + 1;
    if (stalls >= this.ctx.config.WATCHDOG_MAX_STALLS) {
      const reason =
        job.status === 'pending'
          ? `No worker picked the job up within ${secs(this.ctx.config.WATCHDOG_PENDING_MS)} s, ${stalls} times`
          : `No progress for ${secs(this.ctx.config.WATCHDOG_STALL_MS)} s, ${stalls} times (last committed row ${job.processedRows})`;
      return this.finish(job, await stallJob(this.ctx.db, job.id, fence, { kind: 'system', code: 'job_stalled', message: reason }));
    }
    const claimed = await handBackJob(this.ctx.db, job.id, fence, this.ctx.config.ACK_WAIT_MS);
    if (!claimed) return 'skipped';
    await republishWorkItem(this.ctx.bus, toJob(claimed), { tenantId: claimed.tenantId, handBack: stalls });
    log.warn({ stalls, checkpoint: claimed.processedRows }, 'stalled job handed back to the workers');
    return 'handed_back';
  }

  /** Still stalled, exactly as seen: the first watchdog to act on a job wins, the others find their fence broken. */
  private stillStalled(job: ImportJobRow): Extract<Fence, { quietForMs: number }> {
    const { WATCHDOG_STALL_MS, WATCHDOG_PENDING_MS } = this.ctx.config;
    return job.status === 'processing'
      ? { attempt: job.attempt, status: 'processing', quietForMs: WATCHDOG_STALL_MS }
      : { attempt: job.attempt, status: 'pending', quietForMs: WATCHDOG_PENDING_MS };
  }

  private async finish(job: ImportJobRow, change: JobChangeRow | undefined): Promise<WatchdogAction> {
    if (!change) return 'skipped';
    const status = change.row.status as 'failed' | 'cancelled';
    recordFinished(this.ctx.metrics, change.row);
    this.ctx.logger.warn({ jobId: job.id, status, error: change.row.error }, 'watchdog ended a stalled job');
    await publishChange(this.ctx.bus, change).catch((publishError: unknown) =>
      this.ctx.logger.warn({ err: publishError, jobId: job.id }, 'final event not published; the next delivery of the job repeats it'),
    );
    return status;
  }
}
