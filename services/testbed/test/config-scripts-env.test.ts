import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StartEnv, TestEnv, parseEnv } from '@docprocessor/contracts';
import { REPO_ROOT } from '../src/stack.js';

// The scripts pass on what is set and nothing more: every default is the schemas' (services/*/src/config.ts).
const { loadEnv } = (await import(pathToFileURL(join(REPO_ROOT, 'scripts/lib/env.mjs')).href)) as {
  loadEnv: (force?: Record<string, string>, options?: { env: Record<string, string>; file: string }) => Record<string, string>;
};

describe("the scripts' environment (scripts/lib/env.mjs)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'docprocessor-env-'));

  it('adds nothing to an empty environment without a .env file', () => {
    expect(loadEnv({}, { env: {}, file: join(dir, 'missing.env') })).toEqual({});
  });

  it('takes .env under what is set, and what is forced over both', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'WEB_PORT=5200\nDATABASE_URL=postgres://x@db:5432/app\nNODE_ENV=production\n');
    const env = loadEnv({ NODE_ENV: 'test' }, { env: { WEB_PORT: '5300' }, file });
    expect(env).toEqual({ WEB_PORT: '5300', DATABASE_URL: 'postgres://x@db:5432/app', NODE_ENV: 'test' });
  });
});

describe("the scripts' own settings, read through the schemas", () => {
  it("give npm start's one worker a metrics port, and the gateway's address the services' default", () => {
    expect(parseEnv(StartEnv, {}, 'test')).toMatchObject({ PROCESSOR_METRICS_PORT: 3002, HOST: '127.0.0.1', WEB_PORT: 5173 });
    expect(parseEnv(StartEnv, { PROCESSOR_METRICS_PORT: '3010' }, 'test').PROCESSOR_METRICS_PORT).toBe(3010);
  });

  it('put the test databases on the DATABASE_URL server unless TEST_DATABASE_URL says otherwise', () => {
    const databaseUrl = 'postgres://u@db.example:5433/app';
    expect(parseEnv(TestEnv, { DATABASE_URL: databaseUrl }, 'test').TEST_DATABASE_URL).toBe(databaseUrl);
    expect(parseEnv(TestEnv, {}, 'test').TEST_DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/docprocessor');
    expect(parseEnv(TestEnv, { TEST_DATABASE_URL: 'postgres://t@h/x' }, 'test').TEST_DATABASE_URL).toBe('postgres://t@h/x');
  });
});
