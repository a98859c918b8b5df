import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('parses an empty environment to the documented defaults', () => {
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
      API_KEYS: ['dev-key'],
      INGEST_HOST: '127.0.0.1',
      INGEST_PORT: 3001,
      MAX_UPLOAD_BYTES: 1024 * 1024 * 1024,
      OUTBOX_SWEEP_MS: 5000,
      UPLOAD_RATE_LIMIT_PER_MINUTE: 60,
      SESSION_IDLE_MINUTES: 60,
      SESSION_MAX_HOURS: 12,
      SESSION_ROTATE_MINUTES: 15,
      OIDC_LABEL: 'single sign-on',
      OIDC_EMAIL_DOMAINS: [],
      OIDC_DEFAULT_ROLE: 'viewer',
      OIDC_TENANT: 'default',
      SIGN_IN_MAX_FAILURES: 5,
      SIGN_IN_MAX_FAILURES_PER_ADDRESS: 50,
      SIGN_IN_WINDOW_MINUTES: 15,
      MAX_QUEUED_JOBS: 10_000,
      MAX_STORED_BYTES: 0,
      BACKPRESSURE_RETRY_AFTER_SECONDS: 30,
    });
  });

  it('treats empty values as unset, so `INGEST_PORT=` in a .env is not port 0', () => {
    expect(loadConfig({ INGEST_PORT: '', MAX_UPLOAD_BYTES: '' })).toMatchObject({ INGEST_PORT: 3001, MAX_UPLOAD_BYTES: 1024 ** 3 });
  });

  it('refuses the development key in production; API_KEYS=none means no static keys (people sign in)', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/dev-key/);
    expect(loadConfig({ NODE_ENV: 'production', API_KEYS: 'none' }).API_KEYS).toEqual([]);
    expect(loadConfig({ API_KEYS: 'a, b' }).API_KEYS).toEqual(['a', 'b']);
  });

  it('turns single sign-on on with OIDC_ISSUER, and then needs its client id and secret', () => {
    const sso = { OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'dp', OIDC_CLIENT_SECRET: 's3cret' };
    expect(loadConfig({ ...sso, OIDC_EMAIL_DOMAINS: ' Example.com, @example.org ,' })).toMatchObject({
      OIDC_ISSUER: 'https://id.example.com',
      OIDC_EMAIL_DOMAINS: ['example.com', 'example.org'],
    });
    expect(() => loadConfig({ OIDC_ISSUER: sso.OIDC_ISSUER })).toThrow(/OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be/);
    expect(() => loadConfig({ ...sso, OIDC_CLIENT_SECRET: '' })).toThrow(/OIDC_CLIENT_SECRET must be/);
    expect(() => loadConfig({ ...sso, OIDC_DEFAULT_ROLE: 'owner' })).toThrow(/OIDC_DEFAULT_ROLE/);
    expect(() => loadConfig({ ...sso, OIDC_TENANT: 'a tenant' })).toThrow(/OIDC_TENANT/);
    expect(() => loadConfig({ ...sso, OIDC_REDIRECT_URL: 'https://imports.example.com/callback' })).toThrow(/OIDC_REDIRECT_URL/);
    const http = { ...sso, OIDC_ISSUER: 'http://127.0.0.1:9000' };
    expect(loadConfig(http).OIDC_ISSUER).toBe('http://127.0.0.1:9000');
    expect(() => loadConfig({ ...http, NODE_ENV: 'production', API_KEYS: 'none' })).toThrow(/https/);
  });

  it('names what is wrong', () => {
    expect(() => loadConfig({ INGEST_PORT: '70000' })).toThrow(/Invalid ingest configuration: INGEST_PORT/);
  });
});
