import type { EventType } from './events.js';
import type { Job, JobStatus } from './job.js';

/** One allowed change of a job's status, and the event every subscriber sees when it happens. */
export interface JobTransition {
  /** Statuses the job may be in; empty for the transition that creates it. */
  from: readonly JobStatus[];
  to: JobStatus;
  event: EventType;
  /** Who makes the change, for a person reading the table (docs/architecture.md shows it). */
  by: string;
}

/**
 * The job's lifecycle, read top to bottom. Nothing else writes a status: each transition has one fenced
 * function in services/db (jobs/lifecycle.ts) that checks `from` in the same UPDATE that sets `to`, and its
 * event is published from what that function returns. A new state is one line here plus one function there.
 */
export const JOB_TRANSITIONS = {
  create: { from: [], to: 'pending', event: 'created', by: 'ingest: an upload is stored and its job committed' },
  retry: { from: ['failed', 'cancelled'], to: 'pending', event: 'created', by: 'ingest: POST /api/imports/:id/retry' },
  cancel: {
    from: ['pending'],
    to: 'cancelled',
    event: 'cancelled',
    by: 'ingest: POST /api/imports/:id/cancel of a job no worker took yet',
  },
  start: { from: ['pending'], to: 'processing', event: 'started', by: 'processor: a worker claims the work item' },
  resume: { from: ['processing'], to: 'processing', event: 'started', by: 'processor: a worker takes over from one that went silent' },
  complete: { from: ['processing'], to: 'completed', event: 'completed', by: 'processor: the last batch is committed' },
  fail: { from: ['processing'], to: 'failed', event: 'failed', by: 'processor: the file cannot be imported (header, quoting, template)' },
  stop: {
    from: ['processing'],
    to: 'cancelled',
    event: 'cancelled',
    by: 'processor or watchdog: a cancel asked for while processing, at a batch boundary',
  },
  giveUp: { from: ['pending', 'processing'], to: 'failed', event: 'failed', by: 'processor: every delivery of the work item failed' },
  stall: { from: ['pending', 'processing'], to: 'failed', event: 'failed', by: 'watchdog: the job stalled WATCHDOG_MAX_STALLS times' },
  revert: {
    from: ['completed', 'failed', 'cancelled'],
    to: 'reverted',
    event: 'reverted',
    by: 'processor: every row the import wrote is deleted or restored (POST /api/imports/:id/revert)',
  },
} as const satisfies Record<string, JobTransition>;

export type JobTransitionName = keyof typeof JOB_TRANSITIONS;

/** A status no transition leaves on its own: the job's last event has been published (retry starts a new attempt). */
export const FINAL_STATUSES = ['completed', 'failed', 'cancelled', 'reverted'] as const satisfies readonly JobStatus[];
export type FinalStatus = (typeof FINAL_STATUSES)[number];

export const isTerminal = (status: JobStatus): status is FinalStatus => (FINAL_STATUSES as readonly JobStatus[]).includes(status);

/** The event that announces a final status, for repeating it when a worker died between the commit and the event. */
export const finalEvent = (status: FinalStatus): EventType => status;

/** What a transition produced: the job after it and the event that tells everyone. */
export interface JobChange {
  event: EventType;
  job: Job;
  tenantId: string;
}
