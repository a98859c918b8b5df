import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has working defaults for local development, listening on loopback only', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      WEB_PORT: 5173,
      HOST: '127.0.0.1',
      INGEST_URL: 'http://127.0.0.1:3001',
      API_KEYS: ['dev-key'],
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/docprocessor',
      NATS_URL: ['nats://127.0.0.1:4222'],
      WS_MAX_BUFFERED_BYTES: 1024 * 1024,
      WS_MAX_PENDING_JOBS: 10_000,
    });
    // The repository's web/dist, whether this runs from src/ or dist/.
    expect(config.WEB_DIST.endsWith(join('web', 'dist'))).toBe(true);
    expect(existsSync(join(config.WEB_DIST, '..', 'package.json'))).toBe(true);
  });

  it('reads the variables, treating empty ones as unset', () => {
    const config = loadConfig({ WEB_PORT: '8080', API_KEYS: 'a, b', WS_MAX_PENDING_JOBS: '5', HOST: '', INGEST_PORT: '' });
    expect(config.WEB_PORT).toBe(8080);
    expect(config.API_KEYS).toEqual(['a', 'b']);
    expect(config.WS_MAX_PENDING_JOBS).toBe(5);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.INGEST_URL).toBe('http://127.0.0.1:3001');
  });

  it('resolves a relative WEB_DIST against the repository root, wherever it is started from', () => {
    const root = loadConfig({ WEB_DIST: 'web' }).WEB_DIST;
    expect(loadConfig({ WEB_DIST: 'relative/dist' }).WEB_DIST).toBe(join(root, '..', 'relative', 'dist'));
    expect(existsSync(join(root, 'package.json'))).toBe(true);
    expect(loadConfig({ WEB_DIST: '/srv/ui' }).WEB_DIST).toBe('/srv/ui');
  });

  it('derives INGEST_URL from INGEST_HOST and INGEST_PORT unless it is set', () => {
    expect(loadConfig({ INGEST_PORT: '4100' }).INGEST_URL).toBe('http://127.0.0.1:4100');
    expect(loadConfig({ INGEST_HOST: '0.0.0.0', INGEST_PORT: '4100' }).INGEST_URL).toBe('http://127.0.0.1:4100');
    expect(loadConfig({ INGEST_HOST: '::1' }).INGEST_URL).toBe('http://[::1]:3001');
    expect(loadConfig({ INGEST_PORT: '4100', INGEST_URL: 'http://ingest:3001' }).INGEST_URL).toBe('http://ingest:3001');
  });

  it('refuses to start in production with the development key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/dev-key/);
    expect(() => loadConfig({ NODE_ENV: 'production', API_KEYS: 'real,dev-key' })).toThrow(/dev-key/);
    expect(loadConfig({ NODE_ENV: 'production', API_KEYS: 'a-real-key' }).API_KEYS).toEqual(['a-real-key']);
  });

  it('names what is wrong', () => {
    expect(() => loadConfig({ WEB_PORT: 'eighty' })).toThrow(/WEB_PORT/);
    expect(() => loadConfig({ INGEST_URL: 'not a url' })).toThrow(/INGEST_URL/);
  });
});
