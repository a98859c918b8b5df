import type { JsMsg } from '@nats-io/jetstream';

/**
 * Acks and lease renewals must never throw into a timer or past a finished job (e.g. once the connection is
 * closed). `term` goes without a reason: NATS 2.9 ignores a `+TERM <reason>` and would redeliver the item.
 */
export function settle(message: JsMsg, how: 'ack' | 'nak' | 'term' | 'working', delayMs?: number): void {
  try {
    if (how === 'ack') message.ack();
    else if (how === 'working') message.working();
    else if (how === 'nak') message.nak(delayMs);
    else message.term();
  } catch {
    // Nothing reached JetStream: it redelivers after the ack wait, which is the safe outcome.
  }
}
