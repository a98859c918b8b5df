import type { JsMsg } from '@nats-io/jetstream';
import { dependencyErrorCode, type JobError } from '@docprocessor/contracts';
import { publishChange } from '@docprocessor/bus';
import { findJobRow, giveUpJob, repeatFinal, type JobChangeRow } from '@docprocessor/db';
import { retryDelayMs } from '../config.js';
import type { ProcessorContext } from '../context.js';
import { recordFinished } from '../metrics.js';
import { sendDeadLetter } from './dead-letter.js';
import { settle } from './settle.js';

/** Codes a give-up writes, so a redelivered give-up recognises its own work and only repeats the messages. */
const GIVE_UP_CODES = new Set(['worker_crashed', 'processing_crashed', 'database_unavailable', 'nats_unavailable']);

export interface GiveUpCause {
  /** The attempt this delivery claimed, or null when it never got that far. */
  attempt: number | null;
  /** The last delivery's error, or null when its worker died without one. */
  error: unknown;
}

function jobErrorFor(cause: GiveUpCause, deliveries: number): JobError {
  if (cause.error === null)
    return {
      kind: 'system',
      code: 'worker_crashed',
      message: `Gave up after ${deliveries - 1} deliveries: each time the worker stopped before finishing (killed, crashed or hung)`,
    };
  const reason = cause.error instanceof Error ? cause.error.message : String(cause.error);
  const infrastructure = dependencyErrorCode(cause.error);
  return infrastructure
    ? { kind: 'infrastructure', code: infrastructure, message: `Gave up after ${deliveries} attempts, the last failing with: ${reason}` }
    : { kind: 'system', code: 'processing_crashed', message: `Processing failed ${deliveries} times, the last with: ${reason}` };
}

/**
 * Ends a work item whose deliveries are used up: the job fails (unless a live worker holds it or it is
 * final already), the item goes to the dead letters and is terminated. Every step can be repeated: if NATS
 * or the database is away, the item is redelivered while deliveries remain, and the watchdog covers the rest.
 */
export async function giveUp(ctx: ProcessorContext, message: JsMsg, jobId: string, cause: GiveUpCause): Promise<void> {
  const deliveries = message.info.deliveryCount;
  const log = ctx.logger.child({ jobId, delivery: deliveries });
  const retryLater = () =>
    deliveries <= ctx.config.MAX_DELIVER ? settle(message, 'nak', retryDelayMs(ctx.config, deliveries)) : settle(message, 'term');
  const error = jobErrorFor(cause, deliveries);
  let failed: JobChangeRow | undefined;
  let repeat = false;
  try {
    const fence = cause.attempt === null ? { leaseMs: ctx.config.ACK_WAIT_MS } : { attempt: cause.attempt };
    failed = await giveUpJob(ctx.db, jobId, fence, error);
    if (!failed) {
      const job = await findJobRow(ctx.db.db, jobId, { tenantId: null });
      const final = job && repeatFinal(job);
      if (!job || !final) {
        log.warn({ status: job?.status }, 'deliveries used up, but a live worker holds the job: leaving it to that worker');
        settle(message, 'term');
        return;
      }
      // Final already; if a give-up of this item made it so, its messages may not have gone out: repeat them (deduplicated).
      if (job.status === 'failed' && job.error && GIVE_UP_CODES.has(job.error.code)) [failed, repeat] = [final, true];
      else {
        await publishChange(ctx.bus, final);
        settle(message, 'ack');
        return;
      }
    }
  } catch (dbError) {
    log.error({ err: dbError, cause: cause.error }, 'could not give the work item up yet');
    retryLater();
    return;
  }
  if (!repeat) {
    log.error({ err: cause.error, code: error.code }, 'deliveries used up: job failed, work item sent to the dead letters');
    recordFinished(ctx.metrics, failed.row);
  }
  const lastError = cause.error ?? (repeat && failed.row.error?.code !== 'worker_crashed' ? failed.row.error : null);
  const sent = await sendDeadLetter(ctx.bus, log, message, { reason: 'delivery_limit', jobId, lastError });
  const announced = await publishChange(ctx.bus, failed).then(
    () => true,
    (publishError: unknown) => {
      log.warn({ err: publishError }, 'failed event not published yet');
      return false;
    },
  );
  if (sent && announced) settle(message, 'term');
  else retryLater();
}
