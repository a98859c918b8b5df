import { z } from 'zod';
import { BaseEnv, parseEnv } from '@docprocessor/contracts';

const count = () => z.coerce.number().int();

export const ProcessorEnv = BaseEnv.extend({
  PROCESSOR_CONCURRENCY: count()
    .min(1)
    .max(64)
    .default(2)
    .describe('Jobs one worker runs at once, so a small file is not stuck behind a big one.'),
  SMALL_FILE_SLOTS: count()
    .min(0)
    .max(16)
    .default(1)
    .describe(
      'Extra jobs one worker runs from the small-file lane: files up to `SMALL_FILE_MAX_BYTES` still queued behind others start ' +
        'at once in one of these slots; `0` turns the lane off.',
    ),
  // About 70,000 contacts rows: a few seconds of work, so a lane slot is soon free for the next small file.
  SMALL_FILE_MAX_BYTES: count()
    .min(1)
    .default(8 * 1024 * 1024)
    .describe('Largest stored file (bytes, as unpacked) the small-file lane takes.'),
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
  // A killed worker's job resumes on another within this time; a live one renews its lease four times as often, so
  // only a pause of several seconds (far past any GC pause measured) could cost it the job, and fences keep even that exact.
  ACK_WAIT_MS: count()
    .min(1000)
    .default(4_000)
    .describe('How long (ms) a worker may stay silent before its job goes to another worker (it renews its lease every quarter of it).'),
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
  BEFORE_IMAGE_RETENTION_DAYS: count()
    .min(1)
    .max(3650)
    .default(7)
    .describe(
      'Days the earlier values of rows an import overwrote are kept for a revert; then they are dropped (hourly) and a revert ' +
        'of an import that finished before that answers `409 revert_expired`.',
    ),
  WATCHDOG_INTERVAL_MS: count().min(0).default(15_000).describe("How often (ms) each worker's watchdog looks; `0` turns it off."),
  WEBHOOK_TIMEOUT_MS: count().min(100).default(10_000).describe('How long (ms) a webhook receiver has to answer one delivery.'),
  WEBHOOK_RETRY_MAX_MS: count()
    .min(100)
    .default(60_000)
    .describe('Longest wait (ms) between attempts of a webhook delivery; the wait starts at 1 s and doubles.'),
  WEBHOOK_GIVE_UP_AFTER_MS: count()
    .min(1000)
    .default(24 * 3600 * 1000)
    .describe("A webhook delivery still failing this long (ms) after its event is `dead`, and the job's next events go on."),
  WEBHOOK_CONCURRENCY: count().min(1).max(64).default(4).describe('Webhook deliveries one worker sends at once.'),
}).refine((env) => env.WATCHDOG_STALL_MS > env.ACK_WAIT_MS, {
  message: 'WATCHDOG_STALL_MS must be longer than ACK_WAIT_MS: the watchdog is for jobs that redelivery did not rescue',
  path: ['WATCHDOG_STALL_MS'],
});
export type ProcessorConfig = z.output<typeof ProcessorEnv>;

/** Parses the environment once at start. Empty values count as unset. */
export const loadConfig = (env: Record<string, string | undefined>): ProcessorConfig => parseEnv(ProcessorEnv, env, 'processor');

/** How often a worker renews the lease of the work it holds: four chances before the lease runs out. */
export const leaseRenewalMs = (config: ProcessorConfig): number => Math.max(250, config.ACK_WAIT_MS / 4);

/** The delay before delivery `deliveryCount + 1` after a failed attempt. */
export const retryDelayMs = (config: ProcessorConfig, deliveryCount: number): number =>
  Math.min(config.RETRY_BACKOFF_MAX_MS, config.RETRY_BACKOFF_MS * 2 ** Math.max(0, deliveryCount - 1));
