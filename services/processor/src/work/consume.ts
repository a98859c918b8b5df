import type { Consumer, JsMsg } from '@nats-io/jetstream';
import { dependencyErrorCode, ImportEvent } from '@docprocessor/contracts';
import { publishChange, repeatChange } from '@docprocessor/bus';
import { releaseJob, repeatFinal, stopJob } from '@docprocessor/db';
import { leaseRenewalMs, retryDelayMs } from '../config.js';
import type { ProcessorContext } from '../context.js';
import { recordStarted } from '../metrics.js';
import { sendDeadLetter } from './dead-letter.js';
import { giveUp } from './give-up.js';
import { claimJob } from './claim.js';
import { runImport } from '../import-file/run-import.js';
import { LeaseLostError } from '../import-file/write/write-batch.js';
import { settle } from './settle.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A durable consumer of work items and the slots of this worker that pull from it. */
export interface WorkLane {
  name: string;
  consumer: string;
  slots: number;
  /**
   * Whether this lane runs the item's job; an item it passes over is acknowledged at once, the job being another
   * consumer's to run. Unset: every item.
   */
  accepts?: (event: ImportEvent, message: JsMsg) => Promise<boolean>;
}

/**
 * The worker loop: a lane's slots, each pulling one work item only when it is free, so nothing waits in a
 * local buffer while its lease runs out. Ack on a final state, nak with backoff on a retryable failure; once
 * the deliveries are used up the item becomes a dead letter and its job fails.
 */
export class WorkConsumer {
  private running = false;
  private slots: Promise<void>[] = [];
  private consumer: Consumer | null = null;
  /** Work handed back while stopping, released only once no pull of this worker is open any more. */
  private handedBack: JsMsg[] = [];

  constructor(
    private readonly ctx: ProcessorContext,
    private readonly lane: WorkLane = { name: 'shared', consumer: ctx.bus.names.consumer, slots: ctx.config.PROCESSOR_CONCURRENCY },
  ) {}

  async start(): Promise<void> {
    this.consumer = await this.ctx.bus.js.consumers.get(this.ctx.bus.names.stream, this.lane.consumer);
    this.running = true;
    this.slots = Array.from({ length: this.lane.slots }, (_, i) => this.slot(i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.slots);
    // Nak only now: a pull still open in this worker would otherwise be handed the item straight back.
    for (const message of this.handedBack.splice(0)) settle(message, 'nak');
  }

  private async slot(index: number): Promise<void> {
    while (this.running) {
      try {
        const message = await this.consumer!.next({ expires: 2000 });
        if (message) await this.handle(message);
      } catch (error) {
        this.ctx.logger.warn({ err: error, lane: this.lane.name, slot: index }, 'pulling work failed; retrying');
        await sleep(1000);
      }
    }
  }

  async handle(message: JsMsg): Promise<void> {
    if (!this.running) {
      this.handedBack.push(message); // pulled while stopping: leave it for another worker
      return;
    }
    const parsed = ImportEvent.safeParse(safeJson(message));
    if (!parsed.success) {
      this.ctx.logger.error({ subject: message.subject, issues: parsed.error?.issues.slice(0, 3) }, 'work item is not a job event');
      await sendDeadLetter(this.ctx.bus, this.ctx.logger, message, { reason: 'unreadable_work_item', jobId: null, lastError: null });
      settle(message, 'term');
      return;
    }
    const jobId = parsed.data.jobId;
    const log = this.ctx.logger.child({ jobId, delivery: message.info.deliveryCount, lane: this.lane.name });
    if (message.info.deliveryCount > 1) this.ctx.metrics.redeliveries.inc();
    if (this.lane.accepts && !(await this.lane.accepts(parsed.data, message))) return settle(message, 'ack');
    // One delivery more than MAX_DELIVER is configured on the consumer: it arrives only when every earlier one
    // ended without an outcome (its worker died or hung), and it is never run, so a poison item cannot kill it.
    if (message.info.deliveryCount > this.ctx.config.MAX_DELIVER) return giveUp(this.ctx, message, jobId, { attempt: null, error: null });

    const renew = () => settle(message, 'working');
    const leaseTimer = setInterval(renew, leaseRenewalMs(this.ctx.config));
    this.ctx.metrics.running.inc();
    let attempt: number | null = null;
    try {
      const claimedAt = Date.now();
      const claim = await claimJob(this.ctx.db, jobId, this.ctx.config.ACK_WAIT_MS);
      if (claim.kind === 'busy') {
        log.info({ status: claim.job.status }, 'job is held by a live worker; looking again later');
        settle(message, 'nak', this.ctx.config.ACK_WAIT_MS);
        return;
      }
      if (claim.kind === 'done') {
        // A worker may have died between the final commit and its event: say it again (deduplicated).
        const repeat = claim.job && repeatFinal(claim.job);
        if (repeat) await repeatChange(this.ctx.bus, repeat);
        settle(message, 'ack');
        return;
      }
      if (claim.kind === 'cancel') {
        const stopped = await stopJob(this.ctx.db, jobId, { attempt: claim.job.attempt });
        if (stopped) await publishChange(this.ctx.bus, stopped);
        settle(message, 'ack');
        return;
      }
      attempt = claim.change.row.attempt;
      recordStarted(this.ctx.metrics, claim.change.row);
      log.info({ attempt, resumeAfter: claim.change.row.processedRows, sizeBytes: claim.change.row.sizeBytes }, 'job claimed');
      const outcome = await runImport(this.ctx, claim.change, { renew, stopping: () => !this.running, claimedAt });
      if (outcome === 'released') {
        log.info('shutting down: job handed back at its last checkpoint');
        this.handedBack.push(message);
      } else settle(message, 'ack');
    } catch (error) {
      await this.handleFailure(message, jobId, attempt, error);
    } finally {
      clearInterval(leaseTimer);
      this.ctx.metrics.running.dec();
    }
  }

  private async handleFailure(message: JsMsg, jobId: string, attempt: number | null, error: unknown): Promise<void> {
    const log = this.ctx.logger.child({ jobId, delivery: message.info.deliveryCount, lane: this.lane.name });
    if (error instanceof LeaseLostError) {
      // The newer attempt may hold this same work item (a redelivery): leave it alone, it will ack it.
      log.warn('another attempt took this job over; stopping without committing');
      return;
    }
    if (message.info.deliveryCount >= this.ctx.config.MAX_DELIVER) {
      await giveUp(this.ctx, message, jobId, { attempt, error });
      return;
    }
    // Hand the job back at its checkpoint so the retry can claim it at once; if the database is away for that
    // too, the retry comes only once the lease has run out, or it would find the job "held" and waste a delivery.
    const released =
      attempt === null ||
      (await releaseJob(this.ctx.db, jobId, attempt).then(
        () => true,
        () => false,
      ));
    const backoff = retryDelayMs(this.ctx.config, message.info.deliveryCount);
    const delay = released ? backoff : Math.max(backoff, this.ctx.config.ACK_WAIT_MS + 500);
    log.warn({ err: error, dependency: dependencyErrorCode(error), retryInMs: delay }, 'import attempt failed; will retry');
    settle(message, 'nak', delay);
  }
}

function safeJson(message: JsMsg): unknown {
  try {
    return message.json();
  } catch {
    return undefined;
  }
}
