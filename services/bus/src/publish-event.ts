import { headers } from '@nats-io/nats-core';
import {
  eventMessageId,
  eventSubject,
  repairSubject,
  type ImportEvent,
  type Job,
  type JobChange,
  type RepairItem,
} from '@docprocessor/contracts';
import type { Bus } from './connect.js';

export const TENANT_HEADER = 'Tenant-Id';

/**
 * Publishes one job event to the stream and waits for JetStream's ack. Lifecycle events carry a
 * message id so that a republish (sweeper, redelivered worker) is dropped by the stream's dedupe window.
 */
export async function publishEvent(
  bus: Bus,
  type: ImportEvent['type'],
  job: Job,
  /** `timeoutMs`: how long to wait for the ack (the connection's JetStream timeout, 10 s, unless given). */
  options: { tenantId: string; dedupe?: boolean; timeoutMs?: number },
): Promise<ImportEvent> {
  const event: ImportEvent = { type, jobId: job.id, at: new Date().toISOString(), job };
  const h = headers();
  h.set(TENANT_HEADER, options.tenantId);
  await bus.js.publish(eventSubject(bus.names, job.id, type), JSON.stringify(event), {
    headers: h,
    ...(options.dedupe === false ? {} : { msgID: eventMessageId(job.id, type, job.attempt) }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
  return event;
}

/** Publishes what a lifecycle transition produced (services/db jobs/lifecycle.ts): the one way a status change is announced. */
export const publishChange = (bus: Bus, change: JobChange): Promise<ImportEvent> =>
  publishEvent(bus, change.event, change.job, { tenantId: change.tenantId });

/**
 * Says a final state again (a worker may have died between its commit and its event) unless the stream holds that
 * event already: a work item delivered long after its job finished (a second consumer's copy, a hand-back) would
 * otherwise show live subscribers and webhooks the final event again once the dedupe window has passed.
 */
export async function repeatChange(bus: Bus, change: JobChange): Promise<void> {
  const stored = await bus.jsm.streams.getMessage(bus.names.stream, { last_by_subj: eventSubject(bus.names, change.job.id, change.event) });
  if (stored?.header?.get('Nats-Msg-Id') === eventMessageId(change.job.id, change.event, change.job.attempt)) return;
  await publishChange(bus, change);
}

/** Queues a repair of a job for the processors; `requestId` makes a republish of the same request harmless. */
export async function publishRepair(bus: Bus, item: RepairItem, requestId: string): Promise<void> {
  await bus.js.publish(repairSubject(bus.names, item.jobId, item.kind), JSON.stringify(item), {
    msgID: `${item.jobId}.${item.kind}.${requestId}`,
  });
}
