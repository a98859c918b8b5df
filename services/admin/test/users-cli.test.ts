import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient, signIn, type DbClient } from '@docprocessor/db';
import { createTestDatabase, type TestDatabase } from '@docprocessor/db/testing';
import { runUsersCli } from '../src/users/run-users.js';

let testDb: TestDatabase;
let client: DbClient;

beforeAll(async () => {
  testDb = await createTestDatabase('users_cli');
  client = createDbClient(testDb.url, { max: 2 });
});
afterAll(async () => {
  await client.close();
  await testDb.drop();
});

async function users(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    env: { DATABASE_URL: testDb.url },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  };
  const code = await runUsersCli(args, io);
  return { code, stdout, stderr };
}

const session = { idleMinutes: 60, maxHours: 12, rotateMinutes: 15 };
const limits = { maxFailuresPerEmail: 5, maxFailuresPerAddress: 50, windowMinutes: 15 };
const tryPassword = (email: string, password: string) => signIn(client, { email, password, address: '127.0.0.1' }, session, limits);

describe('users CLI', { timeout: 30_000 }, () => {
  it('create prints a generated password once, and it signs in', async () => {
    const run = await users(['create', '--tenant', 'acme', '--email', 'Ann@Example.com', '--role', 'importer']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const password = run.stdout.match(/password\s+(\S{20})/)?.[1];
    expect(password).toBeDefined();
    expect(await tryPassword('ann@example.com', password!)).toMatchObject({ ok: true, tenantId: 'acme', role: 'importer' });
    const listed = await users(['list', '--tenant', 'acme']);
    expect(listed.stdout).toMatch(/^ID\s+TENANT\s+EMAIL\s+ROLE\s+CREATED\s+LAST SIGN-IN\s+DISABLED$/m);
    expect(listed.stdout).toMatch(/acme\s+ann@example\.com\s+importer/);
    expect(listed.stdout).not.toContain(password);
  });

  it('create takes a given password; disable ends sign-in; a second disable fails', async () => {
    const given = 'a long enough password';
    expect((await users(['create', '-t', 'acme', '-e', 'bob@example.com', '-r', 'viewer', '-p', given, '--json'])).code).toBe(0);
    expect(await tryPassword('bob@example.com', given)).toMatchObject({ ok: true });
    expect((await users(['disable', 'bob@example.com'])).code).toBe(0);
    expect(await tryPassword('bob@example.com', given)).toEqual({ ok: false, reason: 'unauthorized' });
    const again = await users(['disable', 'bob@example.com']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no enabled account/);
  });

  it.each([
    [['create', '--tenant', 'acme', '--email', 'c@example.com'], /--role/],
    [['create', '--tenant', 'acme', '--email', 'not an email', '--role', 'viewer'], /email/],
    [['create', '--tenant', 'acme', '--email', 'c@example.com', '--role', 'owner'], /role is viewer, importer or admin/],
    [['create', '--tenant', 'acme', '--email', 'c@example.com', '--role', 'viewer', '--password', 'short'], /12 characters/],
    [['frobnicate'], /unknown command/],
    [['disable'], /one account/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const run = await users(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses an email that already has an account, with exit 2', async () => {
    const run = await users(['create', '--tenant', 'other', '--email', 'ann@example.com', '--role', 'admin']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/already has an account/);
  });
});
