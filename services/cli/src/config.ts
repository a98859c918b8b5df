import { z } from 'zod';
import { ApiKeysEnv, parseEnv, WebOriginEnv } from '@docprocessor/contracts';

/** What `npm run import` reads from the environment (and the .env npm start uses). */
export const ImportEnv = WebOriginEnv.pick({ WEB_PORT: true })
  .extend(ApiKeysEnv.shape)
  .extend({
    DOCPROCESSOR_URL: z.string().url().optional().meta({
      description: 'Where `npm run import` sends files: the one origin of a running DocProcessor.',
      derivedDefault: 'http://localhost:$WEB_PORT',
    }),
    DOCPROCESSOR_KEY: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'The API key `npm run import` sends.', derivedDefault: 'the first of API_KEYS' }),
  });

export interface ImportConfig {
  /** The origin, without a trailing slash. */
  url: string;
  key: string;
}

export function readImportConfig(env: Record<string, string | undefined>): ImportConfig {
  const parsed = parseEnv(ImportEnv, env, 'npm run import');
  const url = parsed.DOCPROCESSOR_URL ?? `http://localhost:${parsed.WEB_PORT}`;
  return { url: url.replace(/\/+$/, ''), key: parsed.DOCPROCESSOR_KEY ?? parsed.API_KEYS[0] ?? '' };
}
