import type { Logger } from 'pino';
import { publishEvent } from '@docprocessor/bus';
import { toJob, type ImportJobRow } from '@docprocessor/db';
import type { ProcessorContext } from '../context.js';

const MIN_INTERVAL_MS = 100;

/**
 * A fix's `progress` events (the job stays `completed`): the committed state, at most every 100 ms, the latest always
 * sent in the end. Published in order without a message id, so the stream's dedupe window never drops one.
 */
export class FixProgress {
  private chain: Promise<void> = Promise.resolve();
  private lastSentAt = 0;
  private latest: ImportJobRow | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: Pick<ProcessorContext, 'bus'>,
    private readonly log: Logger,
  ) {}

  publish(job: ImportJobRow): void {
    this.latest = job;
    if (this.timer) return;
    const wait = this.lastSentAt + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) this.send();
    else this.timer = setTimeout(() => this.send(), wait);
  }

  /** Sends what is still waiting, once its 100 ms have passed, and returns when every event is out. */
  async stop(): Promise<void> {
    if (this.timer) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, this.lastSentAt + MIN_INTERVAL_MS - Date.now())));
      this.send();
    }
    await this.chain;
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const row = this.latest;
    if (!row) return;
    this.latest = null;
    this.lastSentAt = Date.now();
    this.chain = this.chain.then(() =>
      publishEvent(this.ctx.bus, 'progress', toJob(row), { tenantId: row.tenantId, dedupe: false }).then(
        () => undefined,
        (error: unknown) => this.log.warn({ err: error, jobId: row.id }, 'fix progress event not published'),
      ),
    );
  }
}
