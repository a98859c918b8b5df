import { z } from 'zod';
import { Job } from './job.js';

export const EventType = z.enum(['created', 'started', 'progress', 'completed', 'failed', 'cancelled', 'reverted']);
export type EventType = z.infer<typeof EventType>;

export const ImportEvent = z.object({
  type: EventType,
  jobId: z.string(),
  at: z.string(),
  job: Job,
});
export type ImportEvent = z.infer<typeof ImportEvent>;

/** Names of the NATS pieces. Tests give every run its own so runs never collide. */
export interface BusNames {
  /** JetStream stream holding every event. */
  stream: string;
  /** First token of every event subject. */
  subjectPrefix: string;
  /** Object Store bucket for uploaded files. */
  bucket: string;
  /** Durable consumer shared by processor workers. */
  consumer: string;
}

export const DEFAULT_BUS_NAMES: BusNames = {
  stream: 'IMPORTS',
  subjectPrefix: 'imports',
  bucket: 'import-files',
  consumer: 'processors',
};

export const eventSubject = (names: BusNames, jobId: string, type: EventType): string => `${names.subjectPrefix}.${jobId}.${type}`;

export const allEventsSubject = (names: BusNames): string => `${names.subjectPrefix}.>`;

export const workItemSubject = (names: BusNames): string => `${names.subjectPrefix}.*.created`;

/** Deduplication id of an event: one `created` per attempt, so a republish never makes a second work item. */
export const eventMessageId = (jobId: string, type: EventType, attempt: number): string => `${jobId}.${type}.${attempt}`;

/**
 * Work items a worker gave up on. The subject sits outside the event prefix, so `imports.>` never shows it
 * and no worker consumes it again; a stream of its own keeps every dead letter for a person to inspect or replay.
 */
export const deadLetterSubject = (names: BusNames, jobId: string): string => `${names.subjectPrefix}_deadletter.${jobId}`;

export const allDeadLettersSubject = (names: BusNames): string => `${names.subjectPrefix}_deadletter.>`;

export const deadLetterStream = (names: BusNames): string => `${names.stream}_DEADLETTER`;

/** Work on a finished job: take it back (revert), or import a correction of its failed rows (fix). */
export const RepairKind = z.enum(['revert', 'fix']);
export type RepairKind = z.infer<typeof RepairKind>;

/**
 * A repair work item. Its subject sits outside the event prefix (`nats sub 'imports.>'` shows the job's events,
 * not the work), in the same stream, read by a durable consumer of its own (NATS 2.9 filters one subject each).
 */
export const RepairItem = z.object({
  kind: RepairKind,
  jobId: z.string(),
  /** The fix to import (its id in the job's fixes), for kind fix. */
  fixId: z.string().nullable(),
  at: z.string(),
});
export type RepairItem = z.infer<typeof RepairItem>;

export const repairSubject = (names: BusNames, jobId: string, kind: RepairKind): string => `${names.subjectPrefix}_work.${jobId}.${kind}`;

export const allRepairsSubject = (names: BusNames): string => `${names.subjectPrefix}_work.>`;

export const repairConsumer = (names: BusNames): string => `${names.consumer}_repairs`;

/**
 * The small-file lane: a second durable consumer of the same work items, read by a bounded extra slot of each
 * worker, so a small file queued behind large ones starts at once (docs/operations.md, "Fairness").
 */
export const smallFileConsumer = (names: BusNames): string => `${names.consumer}_small`;

/** Why a work item was given up: its deliveries ran out, or it is not a job event at all. */
export const DeadLetterReason = z.enum(['delivery_limit', 'unreadable_work_item']);
export type DeadLetterReason = z.infer<typeof DeadLetterReason>;

/** One dead letter: the original work item, unchanged, with what is known about its end. */
export const DeadLetter = z.object({
  reason: DeadLetterReason,
  /** Null when the payload does not name a job. */
  jobId: z.string().nullable(),
  /** Subject and stream sequence of the original work item. */
  subject: z.string(),
  streamSequence: z.number().int(),
  deliveryCount: z.number().int(),
  /** The error of the last delivery, or null when its worker died without reporting one. */
  lastError: z.object({ name: z.string(), message: z.string() }).nullable(),
  /** The original message body, byte for byte (UTF-8): republish it to the work subject to run the job again. */
  payload: z.string(),
  at: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;
