import { type DeliveryAttempt, SIGNATURE_HEADER, WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER } from '@docprocessor/contracts';
import { type DeliveryOutcome, type DueDelivery, nextDueAt, sendNextDue } from '@docprocessor/db';
import type { ProcessorConfig } from '../config.js';
import type { ProcessorContext } from '../context.js';
import { signWebhook } from './sign-webhook.js';

/** The wait before attempt n + 1: 1 s, 2 s, 4 s … up to WEBHOOK_RETRY_MAX_MS. */
export const retryWaitMs = (config: ProcessorConfig, attemptsMade: number): number =>
  Math.min(config.WEBHOOK_RETRY_MAX_MS, 1000 * 2 ** Math.max(0, attemptsMade - 1));

/** One POST of the event JSON, signed; a 2xx is delivered, anything else (or no answer in time) is tried again. */
export async function postDelivery(config: ProcessorConfig, delivery: DueDelivery, now = new Date()): Promise<DeliveryOutcome> {
  const started = Date.now();
  let responseStatus: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'DocProcessor-Webhooks',
        [SIGNATURE_HEADER]: signWebhook(delivery.secret, delivery.body),
        [WEBHOOK_EVENT_HEADER]: delivery.event,
        [WEBHOOK_DELIVERY_HEADER]: String(delivery.id),
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(config.WEBHOOK_TIMEOUT_MS),
    });
    responseStatus = response.status;
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) error = `answered ${response.status}`;
  } catch (cause) {
    const reason = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    error = `not reached: ${reason}`;
  }
  const attempt: DeliveryAttempt = { at: now.toISOString(), responseStatus, error, durationMs: Date.now() - started };
  if (error === null) return { delivered: true, attempt };
  const retryAt = new Date(now.getTime() + retryWaitMs(config, delivery.attemptCount + 1));
  const tooOld = retryAt.getTime() - delivery.createdAt.getTime() > config.WEBHOOK_GIVE_UP_AFTER_MS;
  return { delivered: false, attempt, retryAt: tooOld ? null : retryAt };
}

/**
 * Sends the recorded deliveries: WEBHOOK_CONCURRENCY lanes, each taking the next due delivery until none is due,
 * then sleeping until the earliest pending one falls due or the recorder wakes it. No polling: a timer is set only
 * for a retry the database says is waiting.
 */
export class DeliverySender {
  private running = false;
  private lanes: Promise<void>[] = [];
  /** Lanes asleep; waking them all is cheap, and the one that finds work takes it. */
  private readonly sleepers = new Set<() => void>();
  private wakeRequested = false;

  constructor(private readonly ctx: ProcessorContext) {}

  start(): void {
    this.running = true;
    this.lanes = Array.from({ length: this.ctx.config.WEBHOOK_CONCURRENCY }, () => this.lane());
  }

  /** Something new was recorded, or a lane found work: look again at once. */
  poke(): void {
    if (this.sleepers.size === 0) this.wakeRequested = true;
    for (const wake of [...this.sleepers]) wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await Promise.all(this.lanes);
  }

  private async lane(): Promise<void> {
    while (this.running) {
      try {
        const sent = await sendNextDue(this.ctx.db.sql, (delivery) => this.send(delivery));
        if (sent) continue;
        await this.sleepUntilDue();
      } catch (error) {
        this.ctx.logger.warn({ err: error }, 'sending webhook deliveries failed; retrying');
        await this.sleep(1000);
      }
    }
  }

  private async send(delivery: DueDelivery): Promise<DeliveryOutcome> {
    const outcome = await postDelivery(this.ctx.config, delivery);
    const label = outcome.delivered ? 'delivered' : outcome.retryAt ? 'retry' : 'dead';
    this.ctx.metrics.webhookAttempts.inc({ outcome: label });
    this.ctx.metrics.webhookAttemptDuration.observe(outcome.attempt.durationMs / 1000);
    if (!outcome.delivered)
      this.ctx.logger[outcome.retryAt ? 'info' : 'warn'](
        { jobId: delivery.jobId, deliveryId: delivery.id, url: delivery.url, error: outcome.attempt.error, retryAt: outcome.retryAt },
        outcome.retryAt ? 'webhook delivery failed; will retry' : 'webhook delivery given up (dead)',
      );
    return outcome;
  }

  private async sleepUntilDue(): Promise<void> {
    const due = await nextDueAt(this.ctx.db.sql);
    // Pending but locked by another lane, or due at once: look again soon rather than spin.
    const ms = due === null ? Number.POSITIVE_INFINITY : Math.max(500, due.getTime() - Date.now());
    await this.sleep(ms);
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested || !this.running) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        if (timer) clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.min(ms, 2 ** 31 - 1)) : null;
      this.sleepers.add(done);
    });
  }
}
