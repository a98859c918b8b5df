import { dropOldBeforeImages, type RetentionSweep } from '@docprocessor/db';
import type { ProcessorContext } from '../context.js';

/** How often each worker drops expired before-images: retention is counted in days, an hour late is nothing. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** The first sweep waits a little, so a worker's start is about its jobs. */
const FIRST_SWEEP_MS = 60 * 1000;

/**
 * Keeps the before-images table bounded: drops images older than BEFORE_IMAGE_RETENTION_DAYS and marks the jobs
 * whose revert they took away (revert_expired). Every worker runs one; a lock makes one sweep at a time do the work.
 */
export class BeforeImageSweep {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;

  constructor(private readonly ctx: ProcessorContext) {}

  start(): void {
    const run = () => {
      this.sweeping ??= this.sweep()
        .catch((error: unknown) => this.ctx.logger.warn({ err: error }, 'before-image retention sweep failed; trying again later'))
        .finally(() => (this.sweeping = null));
    };
    this.timer = setTimeout(() => {
      run();
      this.timer = setInterval(run, SWEEP_EVERY_MS);
      this.timer.unref();
    }, FIRST_SWEEP_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer); // clears an interval too
    await this.sweeping;
  }

  async sweep(): Promise<RetentionSweep> {
    const done = await dropOldBeforeImages(this.ctx.db, this.ctx.config.BEFORE_IMAGE_RETENTION_DAYS);
    if (done.droppedImages > 0 || done.expiredJobs.length > 0)
      this.ctx.logger.info(
        {
          droppedImages: done.droppedImages,
          expiredJobs: done.expiredJobs.length,
          retentionDays: this.ctx.config.BEFORE_IMAGE_RETENTION_DAYS,
        },
        'before-images past retention dropped; those imports can no longer be reverted',
      );
    return done;
  }
}
