import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has working defaults for local development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      WEB_PORT: 5173,
      HOST: '0.0.0.0',
      INGEST_URL: 'http://127.0.0.1:3001',
      API_KEYS: ['dev-key'],
      WS_MAX_BUFFERED_BYTES: 1024 * 1024,
      WS_MAX_PENDING_JOBS: 10_000,
    });
    // The repository's web/dist, whether this runs from src/ or dist/.
    expect(config.WEB_DIST.endsWith(join('web', 'dist'))).toBe(true);
    expect(existsSync(join(config.WEB_DIST, '..', 'package.json'))).toBe(true);
  });

  it('reads the variables, treating empty ones as unset', () => {
    const config = loadConfig({ WEB_PORT: '8080', API_KEYS: 'a, b', WEB_DIST: 'relative/dist', WS_MAX_PENDING_JOBS: '5', HOST: '' });
    expect(config.WEB_PORT).toBe(8080);
    expect(config.API_KEYS).toEqual(['a', 'b']);
    expect(config.WEB_DIST).toBe(join(process.cwd(), 'relative/dist'));
    expect(config.WS_MAX_PENDING_JOBS).toBe(5);
    expect(config.HOST).toBe('0.0.0.0');
  });

  it('refuses to start in production with the development key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/dev-key/);
    expect(() => loadConfig({ NODE_ENV: 'production', API_KEYS: 'real,dev-key' })).toThrow(/dev-key/);
    expect(loadConfig({ NODE_ENV: 'production', API_KEYS: 'a-real-key' }).API_KEYS).toEqual(['a-real-key']);
  });

  it('names what is wrong', () => {
    expect(() => loadConfig({ WEB_PORT: 'eighty' })).toThrow(/WEB_PORT/);
    expect(() => loadConfig({ INGEST_URL: 'not a url' })).toThrow(/INGEST_URL/);
    expect(() => loadConfig({ API_KEYS: ' , ' })).toThrow(/API_KEYS/);
  });
});
