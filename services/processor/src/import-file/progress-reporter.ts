import { publishEvent, type Bus } from '@docprocessor/bus';
import { toJob, type ImportJobRow } from '@docprocessor/db';
import type { Logger } from 'pino';

const MIN_INTERVAL_MS = 100;
const MAX_SILENCE_MS = 1000;

/**
 * Whether the heartbeat repeats the latest state now: after a second of silence, but only while commits keep
 * coming. A worker hung on the database must fall silent before the watchdog can take its job away
 * (`quietAfterMs` is half the watchdog's stall time), or its heartbeats would follow the job's final event.
 */
export function heartbeatDue(now: number, lastSentAt: number, lastCommitAt: number, quietAfterMs: number): boolean {
  return now - lastSentAt >= MAX_SILENCE_MS && now - lastCommitAt < quietAfterMs;
}

/**
 * Progress events from committed state only, at most every 100 ms and at least every second while rows
 * are being committed. Publishes are chained, so events leave in order and counts never go backwards.
 */
export class ProgressReporter {
  private latest: ImportJobRow;
  private lastSent = 0;
  private lastCommit = Date.now();
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly bus: Bus,
    private readonly logger: Logger,
    job: ImportJobRow,
    private readonly quietAfterMs: number,
  ) {
    this.latest = job;
    this.timer = setInterval(() => {
      if (heartbeatDue(Date.now(), this.lastSent, this.lastCommit, this.quietAfterMs)) this.send();
    }, MAX_SILENCE_MS / 4);
    this.timer.unref();
  }

  update(job: ImportJobRow): void {
    this.latest = job;
    this.lastCommit = Date.now();
    if (Date.now() - this.lastSent >= MIN_INTERVAL_MS) this.send();
  }

  /** Stops the heartbeat and waits until every progress event is out, before a final event follows. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
  }

  private send(): void {
    this.lastSent = Date.now();
    const row = this.latest;
    this.chain = this.chain.then(() =>
      publishEvent(this.bus, 'progress', toJob(row), { tenantId: row.tenantId, dedupe: false }).then(
        () => undefined,
        (error: unknown) => this.logger.warn({ err: error, jobId: row.id }, 'progress event not published'),
      ),
    );
  }
}
