import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  ApiKeysEnv,
  BaseEnv,
  checkApiKeys,
  IngestUrlEnv,
  parseEnv,
  SessionEnv,
  WebOriginEnv,
  withIngestUrl,
} from '@docprocessor/contracts';

/** The repository root, found from this file (src/ or dist/ alike sit two levels below the workspace). */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const GatewayEnv = BaseEnv.extend(ApiKeysEnv.shape)
  .extend(WebOriginEnv.shape)
  .extend(IngestUrlEnv.shape)
  .extend(SessionEnv.shape)
  .extend({
    WEB_DIST: z
      .string()
      .default('web/dist')
      .transform((path) => (isAbsolute(path) ? path : resolve(REPO_ROOT, path)))
      .describe('The built UI the gateway serves (`vite build` output), relative to the repository root or absolute.'),
    WS_MAX_BUFFERED_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024)
      .describe('Bytes queued on a WebSocket before its client gets only the latest event per job until it catches up.'),
    WS_MAX_PENDING_JOBS: z.coerce
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe('A slow WebSocket client holding more distinct jobs than this is closed (`1013`) and must take a fresh snapshot.'),
  })
  .transform(withIngestUrl);
export type GatewayConfig = z.output<typeof GatewayEnv>;

/** Parses the environment once at start. Empty values (`WEB_PORT=` in a .env) count as unset. */
export function loadConfig(env: Record<string, string | undefined>): GatewayConfig {
  const config = parseEnv(GatewayEnv, env, 'gateway');
  checkApiKeys(config);
  return config;
}
