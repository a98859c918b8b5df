import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditRecord,
  cancelJob,
  cliActor,
  createApiKey,
  createDbClient,
  createJob,
  createUser,
  type DbClient,
  disableUser,
  hashPassword,
  InvalidUserInputError,
  listUsers,
  revokeApiKey,
  verifyPassword,
  withAudit,
} from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

let testDb: TestDatabase;
let db: DbClient;

beforeAll(async () => {
  testDb = await createTestDatabase('people');
  db = createDbClient(testDb.url, { max: 4 });
});
afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

const entriesFor = (target: string) =>
  db.sql<{ actor: string; action: string; outcome: string }[]>`
    select actor, action, outcome from audit_log where target = ${target} order by id`;

const jobValues = (id: string) => ({
  id,
  tenantId: 'acme',
  template: 'contacts',
  filename: 'a.csv',
  sizeBytes: 1,
  sha256: 'x',
  objectName: id,
  idempotencyKey: null,
});

const entry = (target: string, outcome: string): AuditRecord =>
  ({ actor: cliActor('acme'), action: 'import.create', target, outcome }) as AuditRecord;

// scrypt is slow on purpose; a loaded machine needs more than the 5 s default (a limit on hanging, not on speed).
const SLOW = { timeout: 60_000 };

describe('passwords', SLOW, () => {
  it('are hashed with scrypt and a salt of their own, and verified in constant form', async () => {
    const [a, b] = await Promise.all([hashPassword('pässword one'), hashPassword('pässword one')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('pässword one', a)).toBe(true);
    expect(await verifyPassword('password one', a)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
  });
});

describe('an action and its audit entry', () => {
  it('commit together: the job and its entry', async () => {
    const id = randomUUID();
    await createJob(db, jobValues(id), entry(`job:${id}`, 'ok'));
    expect(await entriesFor(`job:${id}`)).toEqual([{ actor: 'cli', action: 'import.create', outcome: 'ok' }]);
  });

  it('fail together: an entry that cannot be written takes the change back', async () => {
    const id = randomUUID();
    // drizzle wraps the database's error: its cause names the constraint.
    const refused = await createJob(db, jobValues(id), entry(`job:${id}`, 'bogus')).catch((error: Error) => error);
    expect(String((refused as Error).cause ?? refused)).toMatch(/audit_log_outcome_check/);
    expect(await db.sql`select 1 from import_jobs where id = ${id}`).toHaveLength(0);

    const pending = randomUUID();
    await createJob(db, jobValues(pending));
    await expect(cancelJob(db, pending, 'acme', entry(`job:${pending}`, 'bogus'))).rejects.toThrow(/audit_log_outcome_check/);
    expect((await db.sql`select status from import_jobs where id = ${pending}`)[0]).toEqual({ status: 'pending' });
  });

  it('is not written when nothing changed', async () => {
    const id = randomUUID();
    await createJob(db, jobValues(id));
    await cancelJob(db, id, 'acme');
    expect(await cancelJob(db, id, 'acme', entry(`job:${id}`, 'ok'))).toBeUndefined();
    expect(await entriesFor(`job:${id}`)).toEqual([]);
  });

  it('takes its target from what the change made, when the entry is a function of it', async () => {
    const made = await withAudit(
      db.sql,
      (row: { id: string }) => entry(`job:${row.id}`, 'ok'),
      async (sql) => (await sql<{ id: string }[]>`select gen_random_uuid()::text as id`)[0],
    );
    expect(await entriesFor(`job:${made?.id}`)).toEqual([{ actor: 'cli', action: 'import.create', outcome: 'ok' }]);
  });
});

describe('accounts and keys from the command line', SLOW, () => {
  it('create and disable accounts, each with its entry; a taken email is refused', async () => {
    const created = await createUser(db, { tenantId: 'acme', email: ' Eve@Example.com', role: 'importer' });
    expect(created).toMatchObject({ email: 'eve@example.com', role: 'importer', generatedPassword: expect.stringMatching(/^\w{20}$/) });
    await expect(createUser(db, { tenantId: 'other', email: 'eve@example.com', role: 'viewer' })).rejects.toThrow(InvalidUserInputError);
    await expect(createUser(db, { tenantId: 'acme', email: 'x@y', role: 'owner' as 'admin' })).rejects.toThrow(/role/);
    await expect(createUser(db, { tenantId: 'acme', email: 'z@y', role: 'admin', password: 'short' })).rejects.toThrow(/12 characters/);
    expect(await disableUser(db, 'EVE@example.com')).toBe(true);
    expect(await disableUser(db, created.id)).toBe(false);
    expect((await listUsers(db, 'acme')).find((u) => u.id === created.id)?.disabledAt).toBeInstanceOf(Date);
    expect(await entriesFor('user:eve@example.com')).toEqual([
      { actor: 'cli', action: 'user.create', outcome: 'ok' },
      { actor: 'cli', action: 'user.disable', outcome: 'ok' },
    ]);
  });

  it('create and revoke keys, each with its entry', async () => {
    const key = await createApiKey(db.db, { tenantId: 'acme', name: 'ci', role: 'viewer' });
    expect(await revokeApiKey(db.db, key.id)).toBe(true);
    expect(await entriesFor(`key:${key.id}`)).toEqual([
      { actor: 'cli', action: 'key.create', outcome: 'ok' },
      { actor: 'cli', action: 'key.revoke', outcome: 'ok' },
    ]);
  });
});
