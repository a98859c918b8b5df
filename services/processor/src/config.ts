import { z } from 'zod';
import { BaseEnv, parseEnv } from '@docprocessor/contracts';

const count = () => z.coerce.number().int();

export const ProcessorEnv = BaseEnv.extend({
  PROCESSOR_CONCURRENCY: count()
    .min(1)
    .max(64)
    .default(2)
    .describe('Jobs one worker runs at once, so a small file is not stuck behind a big one.'),
  // Each batch pays a few round trips and a commit: with rows in binary COPY (about 1.8 MB per 10,000 contacts)
  // 10,000 measured an eighth faster than 5,000, for a few MiB more memory.
  PROCESSOR_BATCH_ROWS: count()
    .min(1)
    .max(100_000)
    .default(10_000)
    .describe('Rows written to PostgreSQL per transaction (and per progress checkpoint).'),
  MAX_STORED_ERRORS: count().min(0).default(10_000).describe('Row errors kept with full detail per job; the rest are only counted.'),
  MAX_COLUMNS: count().min(1).default(1000).describe('Most columns a header may have.'),
  MAX_ROW_BYTES: count()
    .min(1024)
    .default(8 * 1024 * 1024)
    .describe('Largest row in characters; a bigger one fails the job with `field_too_large`.'),
  PROCESSOR_METRICS_PORT: count()
    .min(0)
    .max(65535)
    .optional()
    .describe("Port of a worker's own Prometheus `/metrics` on 127.0.0.1; unset, none (workers on one machine need different ports)."),
  ACK_WAIT_MS: count().min(1000).default(30_000).describe('How long (ms) a worker may stay silent before its job goes to another worker.'),
  MAX_DELIVER: count()
    .min(1)
    .default(5)
    .describe(
      'Deliveries of one work item (first try, retries and hand-backs) before it becomes a dead letter ' +
        '(stream `<NATS_STREAM>_DEADLETTER`, subject `<prefix>_deadletter.<jobId>`) and its job fails.',
    ),
  RETRY_BACKOFF_MS: count()
    .min(0)
    .default(1000)
    .describe('Delay (ms) before a failed attempt is retried from its checkpoint; it doubles per delivery up to `RETRY_BACKOFF_MAX_MS`.'),
  RETRY_BACKOFF_MAX_MS: count().min(0).default(30_000).describe('Longest delay (ms) between retries of a failed attempt.'),
  WATCHDOG_STALL_MS: count()
    .min(1000)
    .default(120_000)
    .describe('A processing job without a committed batch for this long (ms; more than `ACK_WAIT_MS`) has stalled and is handed back.'),
  WATCHDOG_PENDING_MS: count()
    .min(1000)
    .default(600_000)
    .describe('A pending job announced this long ago (ms) whose work item is no longer queued was lost on the way and is handed back.'),
  WATCHDOG_MAX_STALLS: count()
    .min(1)
    .default(3)
    .describe('Stalls a job may have: the watchdog hands it back after each earlier one, and this one fails it with `job_stalled`.'),
  WATCHDOG_INTERVAL_MS: count().min(0).default(15_000).describe("How often (ms) each worker's watchdog looks; `0` turns it off."),
}).refine((env) => env.WATCHDOG_STALL_MS > env.ACK_WAIT_MS, {
  message: 'WATCHDOG_STALL_MS must be longer than ACK_WAIT_MS: the watchdog is for jobs that redelivery did not rescue',
  path: ['WATCHDOG_STALL_MS'],
});
export type ProcessorConfig = z.output<typeof ProcessorEnv>;

/** Parses the environment once at start. Empty values count as unset. */
export const loadConfig = (env: Record<string, string | undefined>): ProcessorConfig => parseEnv(ProcessorEnv, env, 'processor');

/** The delay before delivery `deliveryCount + 1` after a failed attempt. */
export const retryDelayMs = (config: ProcessorConfig, deliveryCount: number): number =>
  Math.min(config.RETRY_BACKOFF_MAX_MS, config.RETRY_BACKOFF_MS * 2 ** Math.max(0, deliveryCount - 1));
