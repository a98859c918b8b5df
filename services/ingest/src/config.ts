import { z } from 'zod';
import { ApiKeysEnv, BaseEnv, DEFAULT_MAX_UPLOAD_BYTES } from '@docprocessor/contracts';

export const IngestEnv = BaseEnv.extend(ApiKeysEnv.shape).extend({
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_UPLOAD_BYTES),
  INGEST_HOST: z.string().default('127.0.0.1'),
  INGEST_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** How often unannounced jobs are looked for (the outbox sweeper). */
  OUTBOX_SWEEP_MS: z.coerce.number().int().positive().default(5000),
  /** Uploads one API key may start per minute (429 with Retry-After past it). */
  UPLOAD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
});
export type IngestConfig = z.infer<typeof IngestEnv>;

export function loadConfig(env: NodeJS.ProcessEnv): IngestConfig {
  const config = IngestEnv.parse(env);
  if (config.NODE_ENV === 'production' && config.API_KEYS.includes('dev-key'))
    throw new Error('API_KEYS contains the development key "dev-key": set real keys before running with NODE_ENV=production');
  return config;
}
