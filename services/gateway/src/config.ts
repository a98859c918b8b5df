import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ApiKeysEnv, BaseEnv } from '@docprocessor/contracts';

/** The repository's built UI, found from this file (src/ or dist/ alike sit two levels below the workspace). */
const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export const GatewayEnv = BaseEnv.extend(ApiKeysEnv.shape).extend({
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(5173),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where /api/* and /metrics are proxied to. */
  INGEST_URL: z.string().url().default('http://127.0.0.1:3001'),
  WEB_DIST: z
    .string()
    .default(DEFAULT_WEB_DIST)
    .transform((path) => (isAbsolute(path) ? path : resolve(path))),
  /** Above this many bytes queued on a socket, a client only gets the latest event per job until it catches up. */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** A slow client holding more distinct jobs than this is closed with 1013 and must take a fresh snapshot. */
  WS_MAX_PENDING_JOBS: z.coerce.number().int().positive().default(10_000),
});
export type GatewayConfig = z.infer<typeof GatewayEnv>;

/** Parses the environment once at start. Empty values (`WEB_PORT=` in a .env) count as unset. */
export function loadConfig(env: Record<string, string | undefined>): GatewayConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = GatewayEnv.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid gateway configuration: ${problems}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && config.API_KEYS.includes('dev-key'))
    throw new Error('API_KEYS contains the development key "dev-key": set real keys before running with NODE_ENV=production');
  if (config.API_KEYS.length === 0) throw new Error('API_KEYS is empty: give at least one key');
  return config;
}
