import { z } from 'zod';
import { BaseEnv } from '@docprocessor/contracts';

export const ProcessorEnv = BaseEnv.extend({
  /** Jobs one worker runs at once, so a small file is not stuck behind a big one. */
  PROCESSOR_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * Rows per transaction. Each batch pays a few round trips and a commit: with rows in binary COPY (about
   * 1.8 MB per 10,000 contacts) 10,000 measured an eighth faster than 5,000, for a few MiB more memory.
   */
  PROCESSOR_BATCH_ROWS: z.coerce.number().int().min(1).max(100_000).default(10_000),
  /** Row errors kept with full detail per job; the rest are only counted. */
  MAX_STORED_ERRORS: z.coerce.number().int().min(0).default(10_000),
  /** Columns a header may have. */
  MAX_COLUMNS: z.coerce.number().int().min(1).default(1000),
  /** A row larger than this (in characters) fails the job with field_too_large. */
  MAX_ROW_BYTES: z.coerce.number().int().min(1024).default(8 * 1024 * 1024),
  PROCESSOR_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** A worker silent this long loses its job to another worker. */
  ACK_WAIT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Deliveries of one work item (crashes, retries and hand-backs all count); then it is a dead letter and its job fails. */
  MAX_DELIVER: z.coerce.number().int().min(1).default(5),
  /** First retry delay after a failed attempt; it doubles per delivery up to RETRY_BACKOFF_MAX_MS. */
  RETRY_BACKOFF_MS: z.coerce.number().int().min(0).default(1000),
  RETRY_BACKOFF_MAX_MS: z.coerce.number().int().min(0).default(30_000),
  /** A processing job whose last batch is older than this has stalled (its worker hangs, or its work item is gone). */
  WATCHDOG_STALL_MS: z.coerce.number().int().min(1000).default(120_000),
  /** A pending job announced this long ago whose work item is no longer queued has been lost on the way. */
  WATCHDOG_PENDING_MS: z.coerce.number().int().min(1000).default(600_000),
  /** The watchdog hands a stalled job back this many times minus one; the next stall fails it with job_stalled. */
  WATCHDOG_MAX_STALLS: z.coerce.number().int().min(1).default(3),
  /** How often each worker's watchdog looks; 0 turns it off. */
  WATCHDOG_INTERVAL_MS: z.coerce.number().int().min(0).default(15_000),
}).refine((env) => env.WATCHDOG_STALL_MS > env.ACK_WAIT_MS, {
  message: 'WATCHDOG_STALL_MS must be longer than ACK_WAIT_MS: the watchdog is for jobs that redelivery did not rescue',
  path: ['WATCHDOG_STALL_MS'],
});
export type ProcessorConfig = z.infer<typeof ProcessorEnv>;

export const loadConfig = (env: NodeJS.ProcessEnv): ProcessorConfig => ProcessorEnv.parse(env);

/** The delay before delivery `deliveryCount + 1` after a failed attempt. */
export const retryDelayMs = (config: ProcessorConfig, deliveryCount: number): number =>
  Math.min(config.RETRY_BACKOFF_MAX_MS, config.RETRY_BACKOFF_MS * 2 ** Math.max(0, deliveryCount - 1));
