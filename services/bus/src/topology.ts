import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type ConsumerConfig } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import {
  allDeadLettersSubject,
  allEventsSubject,
  allRepairsSubject,
  deadLetterStream,
  eventSubject,
  repairConsumer,
  smallFileConsumer,
  webhookConsumer,
  workItemSubject,
  type ImportEvent,
  type Job,
} from '@docprocessor/contracts';
import type { Bus } from './connect.js';
import { TENANT_HEADER } from './publish-event.js';
import { ensureStream } from './replicas.js';

const nanos = (ms: number) => ms * 1_000_000;

export interface TopologyOptions {
  /** How long a worker may stay silent on a job before JetStream gives it to another worker. */
  ackWaitMs: number;
  /** Deliveries of one work item before it is a dead letter. */
  maxDeliver: number;
  /** How long events stay in the stream for replay. */
  eventRetentionMs: number;
  /** Copies of each consumer: set by ensureTopology to the events stream's (NATS_REPLICAS, replicas.ts). */
  replicas?: number;
}

export const DEFAULT_TOPOLOGY: TopologyOptions = {
  ackWaitMs: 30_000,
  maxDeliver: 5,
  eventRetentionMs: 7 * 24 * 3600 * 1000,
};

export function workConsumerConfig(bus: Bus, options: TopologyOptions): Partial<ConsumerConfig> {
  return {
    durable_name: bus.names.consumer,
    filter_subject: workItemSubject(bus.names),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(options.ackWaitMs),
    max_deliver: options.maxDeliver,
    max_ack_pending: 1000,
    num_replicas: options.replicas ?? 0,
  };
}

/**
 * Every service calls it at start (options not given keep their defaults): creates or updates the events
 * stream and the shared work consumer. Only the processor owns the consumer's delivery settings (ack wait,
 * max deliver from its config); ingest and gateway pass `updateConsumer: false`, so starting them never
 * resets what the processor set.
 */
export async function ensureTopology(bus: Bus, given: Partial<TopologyOptions> & { updateConsumer?: boolean } = {}): Promise<void> {
  const { updateConsumer = true, ...overrides } = given;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const options: TopologyOptions = { ...DEFAULT_TOPOLOGY, ...defined };
  // The consumers keep as many copies as their stream: a consumer whose only copy was on a dead node stops delivering.
  const replicas = await ensureStream(bus, {
    name: bus.names.stream,
    subjects: [allEventsSubject(bus.names), allRepairsSubject(bus.names)],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(options.eventRetentionMs),
    duplicate_window: nanos(120_000),
  });
  const scaled = { ...options, replicas };
  await ensureConsumer(bus, workConsumerConfig(bus, scaled), updateConsumer);
  await ensureConsumer(bus, repairConsumerConfig(bus, scaled), updateConsumer);
  await ensureConsumer(bus, webhookConsumerConfig(bus, scaled), updateConsumer);
  await ensureConsumer(bus, smallFileConsumerConfig(bus, scaled), updateConsumer);
}

/**
 * The small-file lane: every work item a second time, with the same lease and delivery limit, from the consumer's
 * creation on. The worker's lane slot runs only small jobs that the shared consumer has not handed out yet; the job's
 * claim in PostgreSQL keeps each job to one worker whichever consumer delivers it first.
 */
export function smallFileConsumerConfig(bus: Bus, options: TopologyOptions): Partial<ConsumerConfig> {
  return { ...workConsumerConfig(bus, options), durable_name: smallFileConsumer(bus.names), deliver_policy: DeliverPolicy.New };
}

/** Work items not yet acknowledged by the shared consumer: waiting for a worker, or held by one. */
export async function workQueueDepth(bus: Bus): Promise<number> {
  const info = await bus.jsm.consumers.info(bus.names.stream, bus.names.consumer);
  return info.num_pending + info.num_ack_pending;
}

/**
 * Every job event, for recording webhook deliveries: durable, so none is missed while no processor runs; from the
 * consumer's creation on (a new install does not replay the stream's history); redelivered without limit, since
 * recording only waits for the database.
 */
export function webhookConsumerConfig(bus: Bus, options: TopologyOptions): Partial<ConsumerConfig> {
  return {
    durable_name: webhookConsumer(bus.names),
    filter_subject: allEventsSubject(bus.names),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
    ack_wait: nanos(options.ackWaitMs),
    max_deliver: -1,
    max_ack_pending: 1000,
    num_replicas: options.replicas ?? 0,
  };
}

/** Repairs (revert, fix) are read by a consumer of their own, with the same lease and delivery limit as imports. */
export function repairConsumerConfig(bus: Bus, options: TopologyOptions): Partial<ConsumerConfig> {
  return { ...workConsumerConfig(bus, options), durable_name: repairConsumer(bus.names), filter_subject: allRepairsSubject(bus.names) };
}

/**
 * Creates the consumer, or brings its copies to the stream's (whoever starts: replicas are topology) and, when
 * `update`, its delivery settings to this service's.
 */
async function ensureConsumer(bus: Bus, consumer: Partial<ConsumerConfig>, update: boolean): Promise<void> {
  const name = consumer.durable_name!;
  try {
    const existing = await bus.jsm.consumers.info(bus.names.stream, name);
    // 0 (as consumers made before NATS_REPLICAS were) follows the stream, which ensureStream has just scaled.
    const rescale = (existing.config.num_replicas || consumer.num_replicas) !== consumer.num_replicas;
    if (!update && !rescale) return;
    const delivery = update ? { ack_wait: consumer.ack_wait, max_deliver: consumer.max_deliver } : {};
    await bus.jsm.consumers.update(bus.names.stream, name, { ...delivery, num_replicas: consumer.num_replicas });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await bus.jsm.consumers.add(bus.names.stream, consumer);
  }
}

export const isNotFound = (error: unknown): boolean => error instanceof Error && /not found/i.test(error.message);

/** How long dead letters are kept: long enough for a person to notice, inspect and replay them. */
export const DEAD_LETTER_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** Creates the small stream that keeps dead letters (see `deadLetterSubject`), or brings its copies to NATS_REPLICAS. */
export async function ensureDeadLetterStream(bus: Bus): Promise<string> {
  const name = deadLetterStream(bus.names);
  await ensureStream(bus, {
    name,
    subjects: [allDeadLettersSubject(bus.names)],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(DEAD_LETTER_RETENTION_MS),
  });
  return name;
}

/** Header of a work item published again by the stuck-job watchdog: how many times the job was handed back. */
export const HAND_BACK_HEADER = 'Work-Item-Hand-Backs';

/**
 * Publishes a job's work item again, for a job whose own item no longer brings a worker (the watchdog's
 * hand-back). Deduplicated per hand-back number, so two workers' watchdogs cannot make two items.
 */
export async function republishWorkItem(bus: Bus, job: Job, options: { tenantId: string; handBack: number }): Promise<void> {
  const event: ImportEvent = { type: 'created', jobId: job.id, at: new Date().toISOString(), job };
  const h = headers();
  h.set(TENANT_HEADER, options.tenantId);
  h.set(HAND_BACK_HEADER, String(options.handBack));
  await bus.js.publish(eventSubject(bus.names, job.id, 'created'), JSON.stringify(event), {
    headers: h,
    msgID: `${job.id}.created.${job.attempt}.handback${options.handBack}`,
  });
}

/** The job's latest work item in the stream and the hand-backs it carries, or null when the stream has none. */
export async function lastWorkItem(bus: Bus, jobId: string): Promise<{ sequence: number; handBacks: number } | null> {
  const stored = await bus.jsm.streams.getMessage(bus.names.stream, { last_by_subj: eventSubject(bus.names, jobId, 'created') });
  if (!stored) return null;
  return { sequence: stored.seq, handBacks: Number(stored.header?.get(HAND_BACK_HEADER) || 0) };
}

/** True while the stream sequence has not yet been delivered to any worker (it waits behind others). */
export async function isWorkItemQueued(bus: Bus, sequence: number): Promise<boolean> {
  const info = await bus.jsm.consumers.info(bus.names.stream, bus.names.consumer);
  return sequence > info.delivered.stream_seq;
}

/**
 * True while the shared consumer has not delivered this stream sequence and no worker waits for work on it: the
 * item sits in the queue behind others (an idle worker would be handed it at once).
 */
export async function isWorkItemWaiting(bus: Bus, sequence: number): Promise<boolean> {
  const info = await bus.jsm.consumers.info(bus.names.stream, bus.names.consumer);
  return sequence > info.delivered.stream_seq && info.num_waiting === 0;
}
