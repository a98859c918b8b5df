import type { JsMsg } from '@nats-io/jetstream';
import { deadLetterSubject, type DeadLetter, type DeadLetterReason } from '@docprocessor/contracts';
import { ensureDeadLetterStream, type Bus } from '@docprocessor/bus';
import type { Logger } from 'pino';

// Made on the first dead letter, not at start: a worker that never gives up leaves nothing behind on the server.
const streams = new WeakMap<Bus, Promise<string>>();

function ensureStream(bus: Bus): Promise<string> {
  let made = streams.get(bus);
  if (!made) {
    made = ensureDeadLetterStream(bus);
    made.catch(() => streams.delete(bus));
    streams.set(bus, made);
  }
  return made;
}

export interface DeadLetterDetails {
  reason: DeadLetterReason;
  jobId: string | null;
  lastError: unknown;
}

function describe(error: unknown): DeadLetter['lastError'] {
  if (error === null || error === undefined) return null;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  if (typeof message !== 'string') return { name: 'Error', message: String(error) };
  return { name: typeof name === 'string' ? name : typeof code === 'string' ? code : 'Error', message };
}

/**
 * Publishes a work item that is being given up to its dead-letter subject, with its original payload, how
 * often it was delivered and the last error. Returns false (and logs) when NATS would not take it: the
 * caller goes on ending the job either way, since the job row is the source of truth.
 */
export async function sendDeadLetter(bus: Bus, logger: Logger, message: JsMsg, details: DeadLetterDetails): Promise<boolean> {
  const letter: DeadLetter = {
    reason: details.reason,
    jobId: details.jobId,
    subject: message.subject,
    streamSequence: message.info.streamSequence,
    deliveryCount: message.info.deliveryCount,
    lastError: describe(details.lastError),
    payload: message.string(),
    at: new Date().toISOString(),
  };
  const subject = deadLetterSubject(bus.names, details.jobId ?? `seq-${message.info.streamSequence}`);
  try {
    await ensureStream(bus);
    // One dead letter per work item, even if two workers give the same one up.
    await bus.js.publish(subject, JSON.stringify(letter), { msgID: `${bus.names.stream}.${message.info.streamSequence}` });
    logger.warn(
      { subject, jobId: details.jobId, deliveries: letter.deliveryCount, reason: letter.reason },
      'work item sent to the dead letters',
    );
    return true;
  } catch (error) {
    logger.error({ err: error, subject, jobId: details.jobId }, 'dead letter not published');
    return false;
  }
}
