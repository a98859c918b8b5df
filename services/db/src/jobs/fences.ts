import type { JobStatus } from '@docprocessor/contracts';
import type { Queries, SqlFragment } from '../client.js';

/**
 * Who may change a job. Every write after the claim names one, so a worker that was thought dead and
 * comes back, or a watchdog that looked a moment too early, changes nothing.
 */
export type Fence =
  /** The attempt that holds the job (the fencing token a claim hands out). */
  | { attempt: number }
  /** That attempt, still in the status seen and quiet at least this long: the watchdog acts on what it saw, or not at all. */
  | { attempt: number; status: QuietStatus; quietForMs: number }
  /** No attempt known: the job waits for a worker, or its worker has been silent past heartbeatSilenceMs(leaseMs). */
  | { leaseMs: number };

/**
 * How long a processing job's heartbeat may be silent before its worker counts as dead. A live worker renews it
 * with every batch, far more often than this. It is shorter than the lease on purpose: JetStream redelivers a full
 * lease after the last delivery, and a worker that died right after claiming left a heartbeat only a little younger
 * than that; with the full lease as the bound, that redelivery would find the dead worker "alive" and be spent.
 */
export const heartbeatSilenceMs = (leaseMs: number): number => leaseMs / 2;

const secs = (ms: number) => ms / 1000;

type QuietStatus = Extract<JobStatus, 'pending' | 'processing'>;

/** A job in this status that has shown no sign of life for this long: no committed batch, or no worker taking it. */
export function quietFor(sql: Queries, status: QuietStatus, quietForMs: number): SqlFragment {
  const since = sql`now() - make_interval(secs => ${secs(quietForMs)})`;
  return status === 'processing'
    ? sql`(status = 'processing' and greatest(heartbeat_at, updated_at) < ${since})`
    : sql`(status = 'pending' and announced_at < ${since})`;
}

/** The SQL condition of a fence, on import_jobs. */
export function heldBy(sql: Queries, fence: Fence): SqlFragment {
  if ('leaseMs' in fence)
    return sql`(status = 'pending' or (status = 'processing' and (heartbeat_at is null
      or heartbeat_at < now() - make_interval(secs => ${secs(heartbeatSilenceMs(fence.leaseMs))}))))`;
  if (!('quietForMs' in fence)) return sql`(status = 'processing' and attempt = ${fence.attempt})`;
  return sql`(attempt = ${fence.attempt} and ${quietFor(sql, fence.status, fence.quietForMs)})`;
}
