import type { JsMsg } from '@nats-io/jetstream';
import type { JobError } from '@docprocessor/contracts';
import { publishEvent } from '@docprocessor/bus';
import { findJobRow, toJob, type ImportJobRow } from '@docprocessor/db';
import { retryDelayMs } from './config.js';
import type { ProcessorContext } from './context.js';
import { sendDeadLetter } from './dead-letter.js';
import { giveUpJob } from './import-file/finish-job.js';
import { settle } from './settle.js';

const DATABASE = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|CONNECTION_(CLOSED|ENDED|DESTROYED)|CONNECT_TIMEOUT|57P0[1-3]|53300|08\d\d\d|not currently accepting connections|the database system is/i;
const NATS = /nats|jetstream|consumer not found|stream not found|server shutdown|no responders|timeout/i;

const describeError = (error: unknown): string => {
  const { code, message, name } = (error ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
  return `${String(code ?? '')} ${String(name ?? '')} ${String(message ?? '')}`;
};

/** Which dependency an error came from, if it came from one: decides retry wording and the failure's kind and code. */
export function infrastructureCode(error: unknown): 'database_unavailable' | 'nats_unavailable' | null {
  const text = describeError(error);
  if (DATABASE.test(text)) return 'database_unavailable';
  if (NATS.test(text)) return 'nats_unavailable';
  return null;
}

export const isInfrastructureError = (error: unknown): boolean => infrastructureCode(error) !== null;

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
  const infrastructure = infrastructureCode(cause.error);
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
  let failed: ImportJobRow | undefined;
  let repeat = false;
  try {
    failed = await giveUpJob(ctx.db, jobId, cause.attempt, error, ctx.config.ACK_WAIT_MS);
    if (!failed) {
      const job = await findJobRow(ctx.db.db, jobId, { tenantId: null });
      if (job && (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled')) {
        // Final already; if a give-up of this item made it so, its messages may not have gone out: repeat them (deduplicated).
        if (job.status === 'failed' && job.error && GIVE_UP_CODES.has(job.error.code)) [failed, repeat] = [job, true];
        else {
          await publishEvent(ctx.bus, job.status, toJob(job), { tenantId: job.tenantId });
          settle(message, 'ack');
          return;
        }
      } else {
        log.warn({ status: job?.status }, 'deliveries used up, but a live worker holds the job: leaving it to that worker');
        settle(message, 'term');
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
    ctx.metrics.jobs.inc({ status: 'failed' });
  }
  const lastError = cause.error ?? (repeat && failed.error?.code !== 'worker_crashed' ? failed.error : null);
  const sent = await sendDeadLetter(ctx.bus, log, message, { reason: 'delivery_limit', jobId, lastError });
  const announced = await publishEvent(ctx.bus, 'failed', toJob(failed), { tenantId: failed.tenantId }).then(
    () => true,
    (publishError: unknown) => (log.warn({ err: publishError }, 'failed event not published yet'), false),
  );
  if (sent && announced) settle(message, 'term');
  else retryLater();
}
