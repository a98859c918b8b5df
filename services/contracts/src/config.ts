import { z } from 'zod';
import { DEFAULT_BUS_NAMES, type BusNames } from './events.js';

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );

/** Variables every service reads (see .env.example). Each service extends this and parses `process.env` once at start. */
export const BaseEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/docprocessor'),
  NATS_URL: csv('nats://127.0.0.1:4222'),
  NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/).default(DEFAULT_BUS_NAMES.stream),
  NATS_SUBJECT_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default(DEFAULT_BUS_NAMES.subjectPrefix),
  NATS_OBJECT_BUCKET: z.string().regex(/^[A-Za-z0-9_-]+$/).default(DEFAULT_BUS_NAMES.bucket),
  NATS_CONSUMER: z.string().regex(/^[A-Za-z0-9_-]+$/).default(DEFAULT_BUS_NAMES.consumer),
});
export type BaseEnv = z.infer<typeof BaseEnv>;

export const busNamesFromEnv = (env: BaseEnv): BusNames => ({
  stream: env.NATS_STREAM,
  subjectPrefix: env.NATS_SUBJECT_PREFIX,
  bucket: env.NATS_OBJECT_BUCKET,
  consumer: env.NATS_CONSUMER,
});

export const ApiKeysEnv = z.object({ API_KEYS: csv('dev-key') });

export const parseByteSize = z.coerce.number().int().positive();
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
