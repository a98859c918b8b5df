import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('parses an empty environment to the documented defaults (the batch size npm start and the bench use)', () => {
    expect(loadConfig({})).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/docprocessor',
      NATS_URL: ['nats://127.0.0.1:4222'],
      NATS_STREAM: 'IMPORTS',
      NATS_SUBJECT_PREFIX: 'imports',
      NATS_OBJECT_BUCKET: 'import-files',
      NATS_CONSUMER: 'processors',
      NATS_REPLICAS: 'auto',
      PROCESSOR_CONCURRENCY: 2,
      SMALL_FILE_SLOTS: 1,
      SMALL_FILE_MAX_BYTES: 8 * 1024 * 1024,
      PROCESSOR_BATCH_ROWS: 10_000,
      MAX_STORED_ERRORS: 10_000,
      MAX_COLUMNS: 1000,
      MAX_ROW_BYTES: 8 * 1024 * 1024,
      ACK_WAIT_MS: 4_000,
      MAX_DELIVER: 5,
      RETRY_BACKOFF_MS: 1000,
      RETRY_BACKOFF_MAX_MS: 30_000,
      WATCHDOG_STALL_MS: 120_000,
      WATCHDOG_PENDING_MS: 600_000,
      WATCHDOG_MAX_STALLS: 3,
      BEFORE_IMAGE_RETENTION_DAYS: 7,
      WATCHDOG_INTERVAL_MS: 15_000,
      WEBHOOK_TIMEOUT_MS: 10_000,
      WEBHOOK_RETRY_MAX_MS: 60_000,
      WEBHOOK_GIVE_UP_AFTER_MS: 86_400_000,
      WEBHOOK_CONCURRENCY: 4,
    });
  });

  it('opens no metrics port unless PROCESSOR_METRICS_PORT is set', () => {
    expect(loadConfig({}).PROCESSOR_METRICS_PORT).toBeUndefined();
    expect(loadConfig({ PROCESSOR_METRICS_PORT: '' }).PROCESSOR_METRICS_PORT).toBeUndefined();
    expect(loadConfig({ PROCESSOR_METRICS_PORT: '3002' }).PROCESSOR_METRICS_PORT).toBe(3002);
  });

  it('names what is wrong', () => {
    expect(() => loadConfig({ PROCESSOR_BATCH_ROWS: '0' })).toThrow(/Invalid processor configuration: PROCESSOR_BATCH_ROWS/);
  });
});
