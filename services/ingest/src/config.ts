import { z } from 'zod';
import { ApiKeysEnv, BaseEnv, checkApiKeys, DEFAULT_MAX_UPLOAD_BYTES, IngestAddressEnv, parseEnv } from '@docprocessor/contracts';

export const IngestEnv = BaseEnv.extend(ApiKeysEnv.shape)
  .extend(IngestAddressEnv.shape)
  .extend({
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
  });
export type IngestConfig = z.output<typeof IngestEnv>;

/** Parses the environment once at start. Empty values count as unset. */
export function loadConfig(env: Record<string, string | undefined>): IngestConfig {
  const config = parseEnv(IngestEnv, env, 'ingest');
  checkApiKeys(config);
  return config;
}
