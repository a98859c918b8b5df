import type { Logger } from 'pino';
import { heartbeatSilenceMs, type Connection, type ImportJobRow } from '@docprocessor/db';
import type { ProcessorContext } from '../context.js';
import { ProgressReporter } from './progress-reporter.js';
import type { TargetTable } from './write/target-table.js';
import { writeBatch, type Batch, type RunIdentity, type Totals } from './write/write-batch.js';

export interface Lease {
  /** Tells JetStream the job is alive, so it is not handed to another worker. */
  renew(): void;
  /** True once this worker is shutting down: stop at the next batch boundary and hand the job back. */
  stopping(): boolean;
  /** When the claim was sent (this machine's clock): the job's heartbeat in the database is no older. */
  claimedAt: number;
}

/**
 * How long the progress heartbeat may repeat a state without a new commit: half the shortest silence after which
 * the job can be taken from its worker (by another worker's claim, or by the watchdog), so a hung worker falls
 * silent well before.
 */
const quietAfterMs = (ctx: ProcessorContext) => Math.min(heartbeatSilenceMs(ctx.config.ACK_WAIT_MS), ctx.config.WATCHDOG_STALL_MS) / 2;

/**
 * Commits a run's batches in order on the job's own connection. Up to two batches wait on the database while
 * the next is parsed, so one slow commit does not stall parsing; each commit (rows, errors, counters and
 * checkpoint together) renews the lease and feeds the progress events.
 */
export class BatchWriter {
  /** The job as its latest batch committed it. */
  job: ImportJobRow;
  /** A cancel was asked for: seen at a commit, acted on at the next batch boundary. */
  cancelled = false;
  /** Where the time goes, for the benchmark: waiting on the database vs. parsing and validating. */
  private readonly clock = { startedAt: Date.now(), waitingForDatabaseMs: 0 };
  private totals: Totals;
  private inFlight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  // Started once the header is accepted, and always stopped before a final event, which must be the job's last.
  private progress: ProgressReporter | null = null;

  constructor(
    private readonly ctx: ProcessorContext,
    private readonly connection: Connection,
    private readonly table: TargetTable,
    private readonly run: RunIdentity,
    private readonly lease: Lease,
    claimed: ImportJobRow,
  ) {
    this.job = claimed;
    this.totals = {
      processed: claimed.processedRows,
      success: claimed.successRows,
      failed: claimed.failedRows,
      errors: claimed.errorsTotal,
    };
  }

  startProgress(log: Logger): void {
    this.progress = new ProgressReporter(this.ctx.bus, log, this.job, {
      committedAt: this.lease.claimedAt,
      quietAfterMs: quietAfterMs(this.ctx),
    });
  }

  /** Every progress event is out, the latest state included: a final event may follow. */
  async stopProgress(): Promise<void> {
    await this.progress?.stop({ sendLatest: true });
  }

  /** Queues a batch behind the ones already waiting; returns once fewer than two wait. */
  async write(batch: Batch): Promise<void> {
    await this.waitFor(this.queued);
    this.queued = this.inFlight;
    this.inFlight = (this.inFlight ?? Promise.resolve()).then(() => this.commit(batch));
    this.inFlight.catch(() => undefined); // awaited at the next write or at drain(); this only keeps it from being "unhandled"
  }

  /** Waits until every queued batch has committed; throws the first failure. */
  async drain(): Promise<void> {
    await this.waitFor(this.inFlight);
    this.inFlight = null;
  }

  /** After a failure: lets what is in flight settle, whatever its outcome, and stops the progress events. */
  async abandon(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    await this.progress?.stop({ sendLatest: false });
  }

  /** What the completed log line reports. */
  summary(): {
    totals: Totals;
    stages: { totalMs: number; waitingForDatabaseMs: number };
    batches: { straight: number; upserted: number };
  } {
    return {
      totals: this.totals,
      stages: { totalMs: Date.now() - this.clock.startedAt, waitingForDatabaseMs: this.clock.waitingForDatabaseMs },
      batches: { straight: this.run.writes.straight, upserted: this.run.writes.upserted },
    };
  }

  private async commit(batch: Batch): Promise<void> {
    // Taken before BEGIN: the heartbeat the batch commits is stamped with the transaction's start, not its end.
    const began = Date.now();
    const written = await writeBatch(this.connection, this.table, this.run, batch, this.totals);
    batch.rows.recycle();
    this.countRows(written.totals);
    this.totals = written.totals;
    this.job = written.job;
    this.cancelled = written.job.cancelRequested;
    this.lease.renew();
    this.progress?.update(written.job, began);
  }

  /** What this commit added: a resumed job's earlier rows were counted by the attempt that committed them. */
  private countRows(next: Totals): void {
    const template = this.job.template;
    this.ctx.metrics.rows.inc({ outcome: 'success', template }, Math.max(0, next.success - this.totals.success));
    this.ctx.metrics.rows.inc({ outcome: 'failed', template }, Math.max(0, next.failed - this.totals.failed));
  }

  private async waitFor(write: Promise<void> | null): Promise<void> {
    const since = Date.now();
    await write;
    this.clock.waitingForDatabaseMs += Date.now() - since;
  }
}
