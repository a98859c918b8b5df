// Configuration for every script: the real environment first, then `.env`, then the documented defaults
// (see .env.example). Children inherit the complete result, so every process sees the same values.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const DEFAULTS = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/docprocessor',
  NATS_URL: 'nats://127.0.0.1:4222',
  API_KEYS: 'dev-key',
  MAX_UPLOAD_BYTES: '1073741824',
  WEB_PORT: '5173',
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  INGEST_HOST: '127.0.0.1',
  INGEST_PORT: '3001',
  HOST: '0.0.0.0',
  WEB_DIST: 'web/dist',
  PROCESSOR_CONCURRENCY: '2',
  PROCESSOR_BATCH_ROWS: '5000',
  ACK_WAIT_MS: '30000',
  MAX_DELIVER: '5',
  OUTBOX_SWEEP_MS: '5000',
  NATS_STREAM: 'IMPORTS',
  NATS_SUBJECT_PREFIX: 'imports',
  NATS_OBJECT_BUCKET: 'import-files',
  NATS_CONSUMER: 'processors',
};

/** Fills process.env in place; `force` wins over everything (the tests force NODE_ENV=test). */
export function loadEnv(force = {}) {
  // util.parseEnv arrived with Node 20.12; a named import would fail before this message could be printed.
  if (typeof util.parseEnv !== 'function') {
    console.error(`DocProcessor needs Node.js 20.12 or newer (this is ${process.version}); see .nvmrc.`);
    process.exit(1);
  }
  const file = path.join(ROOT, '.env');
  const fromFile = existsSync(file) ? util.parseEnv(readFileSync(file, 'utf8')) : {};
  const env = process.env;
  Object.assign(env, force);
  for (const [key, value] of Object.entries(fromFile)) env[key] ??= value;
  for (const [key, value] of Object.entries(DEFAULTS)) env[key] ??= value;
  // Derived defaults follow the variables they come from, so changing INGEST_PORT alone is enough.
  const ingestHost = ['0.0.0.0', '::'].includes(env.INGEST_HOST) ? '127.0.0.1' : env.INGEST_HOST;
  env.INGEST_URL ??= `http://${ingestHost.includes(':') ? `[${ingestHost}]` : ingestHost}:${env.INGEST_PORT}`;
  env.TEST_DATABASE_URL ??= env.DATABASE_URL;
  return env;
}
