// The environment every script runs with: the real environment first, then `.env`, and nothing else. Defaults
// are the zod schemas' (services/contracts/src/config.ts, services/*/src/config.ts): the services apply them,
// and a script that needs a value itself reads it through them (script-config.mjs). Children inherit the result.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Fills `env` (process.env) in place from the `.env` file, never over what is set; `force` wins over both (the
 * tests force NODE_ENV=test).
 */
export function loadEnv(force = {}, { env = process.env, file = path.join(ROOT, '.env') } = {}) {
  // util.parseEnv arrived with Node 20.12; a named import would fail before this message could be printed.
  if (typeof util.parseEnv !== 'function') {
    console.error(`DocProcessor needs Node.js 20.12 or newer (this is ${process.version}); see .nvmrc.`);
    process.exit(1);
  }
  const fromFile = existsSync(file) ? util.parseEnv(readFileSync(file, 'utf8')) : {};
  Object.assign(env, force);
  for (const [key, value] of Object.entries(fromFile)) env[key] ??= value;
  return env;
}
