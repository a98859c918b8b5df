import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient, createKeyAuthenticator, hashApiKey, type DbClient } from '@docprocessor/db';
import { createTestDatabase, type TestDatabase } from '@docprocessor/db/testing';

// The built program, as `npm run keys` runs it (turbo builds before testing).
const CLI = fileURLToPath(new URL('../dist/keys.js', import.meta.url));

let testDb: TestDatabase;
let client: DbClient;

beforeAll(async () => {
  testDb = await createTestDatabase('keys_cli');
  client = createDbClient(testDb.url, { max: 2 });
});
afterAll(async () => {
  await client.close();
  await testDb.drop();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function keys(args: string[], databaseUrl = testDb.url): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const keyIn = (text: string) => text.match(/dp_[A-Za-z0-9_-]{43}/g) ?? [];
const idIn = (text: string) => text.match(/id\s+([0-9a-f-]{36})/)?.[1];

describe('keys CLI', { timeout: 30_000 }, () => {
  it('create prints a working key once, with its id, tenant and name', async () => {
    const run = await keys(['create', '--tenant', 'acme', '--name', 'ci']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const found = keyIn(run.stdout);
    expect(found).toHaveLength(1);
    expect(run.stdout).toMatch(/tenant\s+acme/);
    expect(run.stdout).toMatch(/name\s+ci/);
    expect(run.stdout).toMatch(/role\s+importer/);
    expect(run.stdout).toContain('X-API-Key');
    expect(idIn(run.stdout)).toBeDefined();
    expect(await createKeyAuthenticator([], { db: client.db })(found[0])).toMatchObject({
      tenantId: 'acme',
      keyName: 'ci',
      keyId: expect.any(String),
      role: 'importer',
    });
    const admin = await keys(['create', '--tenant', 'acme', '--name', 'ops', '--role', 'admin']);
    expect(await createKeyAuthenticator([], { db: client.db })(keyIn(admin.stdout)[0])).toMatchObject({ role: 'admin' });
  });

  it('list shows the keys without any secret, revoke ends one', async () => {
    const created = JSON.parse((await keys(['create', '-t', 'beta', '-n', 'nightly export', '--json'])).stdout) as {
      id: string;
      key: string;
      prefix: string;
    };
    const listed = await keys(['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+TENANT\s+NAME\s+ROLE\s+PREFIX\s+CREATED\s+LAST USED\s+REVOKED$/);
    const line = listed.stdout.split('\n').find((l) => l.startsWith(created.id));
    expect(line).toMatch(
      new RegExp(
        `^${created.id}\\s+beta\\s+nightly export\\s+importer\\s+${created.prefix}\\s+` +
          `\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+-\\s+-$`,
      ),
    );
    expect(keyIn(listed.stdout)).toEqual([]);
    expect(listed.stdout).not.toContain(hashApiKey(created.key));

    const revoked = await keys(['revoke', created.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(created.id);
    const after = JSON.parse((await keys(['list', '--tenant', 'beta', '--json'])).stdout) as { id: string; revokedAt: string | null }[];
    expect(after).toEqual([expect.objectContaining({ id: created.id, revokedAt: expect.any(String) })]);
    expect(await createKeyAuthenticator([], { db: client.db, cacheMs: 0 })(created.key)).toBeNull();

    const again = await keys(['revoke', created.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no active API key/);
  });

  it.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['create', '--name', 'ci'], /--tenant/],
    [['create', '--tenant', 'acme'], /--name/],
    [['create', '--tenant', 'not ok!', '--name', 'ci'], /tenant must be 1 to 64 characters/],
    [['create', '--tenant', 'acme', '--name', ''], /name cannot be empty/],
    [['create', '--tenant', 'acme', '--name', 'ci', '--role', 'owner'], /role is viewer, importer or admin/],
    [['create', '--tenant', 'acme', '--name', 'ci', '--colour'], /Unknown option '--colour'/],
    [['revoke'], /needs the id/],
    [['revoke', 'not-an-id'], /API key id looks like/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const run = await keys(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('--help');
    expect(run.stdout).toBe('');
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await keys(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('create --tenant T --name N');
    expect(run.stdout).toContain('revoke ID');
  });

  it('creates and migrates the database when it does not exist yet', async () => {
    const url = new URL(testDb.url);
    url.pathname = `/dp_keys_cli_new_${randomBytes(4).toString('hex')}`;
    try {
      const run = await keys(['list', '--json'], url.toString());
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([]);
      expect(run.stderr).toContain('created database');
    } finally {
      const admin = new URL(testDb.url);
      admin.pathname = '/postgres';
      const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${url.pathname.slice(1)}" with (force)`);
      await sql.end();
    }
  });

  it('exits 1 naming the database, without its password, when PostgreSQL is unreachable', async () => {
    const run = await keys(['list'], 'postgres://someone:s3cret@127.0.0.1:1/docprocessor');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('127.0.0.1:1/docprocessor');
    expect(run.stderr).not.toContain('s3cret');
  });
});
