import { z } from 'zod';
import {
  ApiKeysEnv,
  BaseEnv,
  checkApiKeys,
  DEFAULT_MAX_UPLOAD_BYTES,
  IngestAddressEnv,
  parseEnv,
  SessionEnv,
} from '@docprocessor/contracts';
import { OidcEnv, oidcSettingsOf } from './sso/sso-config.js';

export const IngestEnv = BaseEnv.extend(ApiKeysEnv.shape)
  .extend(IngestAddressEnv.shape)
  .extend(SessionEnv.shape)
  .extend(OidcEnv.shape)
  .extend({
    SIGN_IN_MAX_FAILURES: z.coerce
      .number()
      .int()
      .positive()
      .default(5)
      .describe('Failed sign-ins for one email (an account or not) within `SIGN_IN_WINDOW_MINUTES` past which sign-in gets `429`.'),
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: z.coerce
      .number()
      .int()
      .positive()
      .default(50)
      .describe('Failed sign-ins from one client address within `SIGN_IN_WINDOW_MINUTES` past which sign-in gets `429`.'),
    SIGN_IN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15).describe('The window the two sign-in limits count in.'),
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(DEFAULT_MAX_UPLOAD_BYTES)
      .describe('Largest accepted upload in bytes; a larger one gets `413` and nothing of it is kept.'),
    OUTBOX_SWEEP_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(5000)
      .describe('How often (ms) ingest looks for jobs whose `created` event has not reached NATS yet, and publishes it.'),
    UPLOAD_RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .positive()
      .default(60)
      .describe('Uploads one API key may start per minute (`429` with `Retry-After` beyond it).'),
    // Past these limits new work is refused with 503 rather than accepted and left to wait (docs/operations.md, "Backpressure").
    MAX_QUEUED_JOBS: z.coerce
      .number()
      .int()
      .min(0)
      .default(10_000)
      .describe('Work items waiting for or held by a worker past which uploads, retries, commits and fixes get `503`; `0`: no limit.'),
    // Stored files are kept for retries, fixes and dry-run commits and never removed on their own, so a default cap
    // would one day refuse every upload of a long-lived install: the operator sets it from the disk JetStream stores on.
    MAX_STORED_BYTES: z.coerce
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Bytes in the file store past which uploads, retries, commits and fixes get `503`; `0`: no limit.'),
    BACKPRESSURE_RETRY_AFTER_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(30)
      .describe('`Retry-After` (seconds) of a `503` refused for `MAX_QUEUED_JOBS` or `MAX_STORED_BYTES`.'),
  });
export type IngestConfig = z.output<typeof IngestEnv>;

/** Parses the environment once at start. Empty values count as unset. */
export function loadConfig(env: Record<string, string | undefined>): IngestConfig {
  const config = parseEnv(IngestEnv, env, 'ingest');
  checkApiKeys(config);
  oidcSettingsOf(config);
  return config;
}
