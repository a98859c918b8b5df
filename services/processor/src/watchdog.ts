import type { JobError } from '@docprocessor/contracts';
import { isWorkItemQueued, lastWorkItem, publishEvent, republishWorkItem } from '@docprocessor/bus';
import { jobFromSql, toJob, type ImportJobRow } from '@docprocessor/db';
import type { ProcessorContext } from './context.js';

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
    const stalled = await db.sql`
      select * from import_jobs
      where (status = 'processing' and greatest(heartbeat_at, updated_at) < now() - make_interval(secs => ${secs(config.WATCHDOG_STALL_MS)}))
         or (status = 'pending' and announced_at < now() - make_interval(secs => ${secs(config.WATCHDOG_PENDING_MS)}))
      order by updated_at
      limit 20`;
    const done: Array<{ jobId: string; action: WatchdogAction }> = [];
    for (const record of stalled) {
      const job = jobFromSql(record);
      done.push({ jobId: job.id, action: await this.rescue(job) });
    }
    return done;
  }

  private async rescue(job: ImportJobRow): Promise<WatchdogAction> {
    const log = this.ctx.logger.child({ jobId: job.id, status: job.status, attempt: job.attempt });
    if (job.status === 'processing' && job.cancelRequested) return this.finish(job, 'cancelled', null);
    const item = await lastWorkItem(this.ctx.bus, job.id);
    // A pending job behind a long queue is waiting, not lost.
    if (job.status === 'pending' && item && (await isWorkItemQueued(this.ctx.bus, item.sequence))) return 'queued';
    const stalls = (item?.handBacks ?? 0) + 1;
    if (stalls >= this.ctx.config.WATCHDOG_MAX_STALLS) {
      const reason =
        job.status === 'pending'
          ? `No worker picked the job up within ${secs(this.ctx.config.WATCHDOG_PENDING_MS)} s, ${stalls} times`
          : `No progress for ${secs(this.ctx.config.WATCHDOG_STALL_MS)} s, ${stalls} times (last committed row ${job.processedRows})`;
      return this.finish(job, 'failed', { kind: 'system', code: 'job_stalled', message: reason });
    }
    const claimed = await this.markHandedBack(job);
    if (!claimed) return 'skipped';
    await republishWorkItem(this.ctx.bus, toJob(claimed), { tenantId: claimed.tenantId, handBack: stalls });
    log.warn({ stalls, checkpoint: claimed.processedRows }, 'stalled job handed back to the workers');
    return 'handed_back';
  }

  /** Still stalled, exactly as seen: the first watchdog to get here acts, the others find nothing. */
  private stillStalled(job: ImportJobRow) {
    const { sql } = this.ctx.db;
    const { WATCHDOG_STALL_MS, WATCHDOG_PENDING_MS } = this.ctx.config;
    return job.status === 'processing'
      ? sql`id = ${job.id} and status = 'processing' and attempt = ${job.attempt} and greatest(heartbeat_at, updated_at) < now() - make_interval(secs => ${secs(WATCHDOG_STALL_MS)})`
      : sql`id = ${job.id} and status = 'pending' and attempt = ${job.attempt} and announced_at < now() - make_interval(secs => ${secs(WATCHDOG_PENDING_MS)})`;
  }

  /**
   * A processing job gets a heartbeat just past the lease, so the next claim takes it over at once, and a
   * fresh updated_at, so watchdogs leave it alone for another stall period; a pending one counts as announced now.
   */
  private async markHandedBack(job: ImportJobRow): Promise<ImportJobRow | undefined> {
    const { sql } = this.ctx.db;
    const set =
      job.status === 'processing'
        ? sql`heartbeat_at = now() - make_interval(secs => ${secs(this.ctx.config.ACK_WAIT_MS + 1000)}), updated_at = now()`
        : sql`announced_at = now()`;
    const [record] = await sql`update import_jobs set ${set} where ${this.stillStalled(job)} returning *`;
    return record ? jobFromSql(record) : undefined;
  }

  private async finish(job: ImportJobRow, status: 'failed' | 'cancelled', error: JobError | null): Promise<WatchdogAction> {
    const { sql } = this.ctx.db;
    const [record] = await sql`
      update import_jobs set status = ${status}, error = ${error ? JSON.stringify(error) : null}::jsonb, finished_at = now(), updated_at = now()
      where ${this.stillStalled(job)}
      returning *`;
    if (!record) return 'skipped';
    const row = jobFromSql(record);
    this.ctx.metrics.jobs.inc({ status });
    this.ctx.logger.warn({ jobId: row.id, status, error }, 'watchdog ended a stalled job');
    await publishEvent(this.ctx.bus, status, toJob(row), { tenantId: row.tenantId }).catch((publishError: unknown) =>
      this.ctx.logger.warn({ err: publishError, jobId: row.id }, 'final event not published; the next delivery of the job repeats it'),
    );
    return status;
  }
}
