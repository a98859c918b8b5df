import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeys,
  createApiKey,
  createDbClient,
  createKeyAuthenticator,
  DEFAULT_TENANT,
  hashApiKey,
  InvalidApiKeyInputError,
  keyPrincipal,
  listApiKeys,
  revokeApiKey,
  type DbClient,
} from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

let testDb: TestDatabase;
let client: DbClient;

beforeAll(async () => {
  testDb = await createTestDatabase('api_keys');
  client = createDbClient(testDb.url, { max: 4 });
});
afterAll(async () => {
  await client.close();
  await testDb.drop();
});

/** A clock the test moves by hand, so cache windows are exact instead of slept through. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const rowOf = async (id: string) => (await client.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0]!;

describe('createApiKey', () => {
  it('returns a dp_ key once and stores only its sha256', async () => {
    const created = await createApiKey(client.db, { tenantId: 'acme', name: 'ci' });
    expect(created.key).toMatch(/^dp_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ tenantId: 'acme', name: 'ci', prefix: created.key.slice(0, 8) });
    const row = await rowOf(created.id);
    expect(row.keyHash).toBe(hashApiKey(created.key));
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.keyPrefix).toBe(created.prefix);
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(row.revokedAt).toBeNull();
    expect(row.lastUsedAt).toBeNull();
  });

  it('makes a different key every time', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => createApiKey(client.db, { tenantId: 'acme', name: 'twin' })));
    expect(a!.key).not.toBe(b!.key);
  });

  it.each(['', 'a b', 'a/b', 'ünïcode', 'x'.repeat(65), "acme'; drop table api_keys; --"])('refuses the tenant %j', async (tenantId) => {
    const before = (await listApiKeys(client.db)).length;
    await expect(createApiKey(client.db, { tenantId, name: 'ci' })).rejects.toThrow(InvalidApiKeyInputError);
    expect(await listApiKeys(client.db)).toHaveLength(before);
  });

  it('accepts tenants of 1 to 64 letters, digits, - and _', async () => {
    for (const tenantId of ['a', 'A-z_0-9', 'x'.repeat(64)])
      await expect(createApiKey(client.db, { tenantId, name: 'ok' })).resolves.toMatchObject({ tenantId });
  });

  it.each(['', '   ', 'x'.repeat(101), 'line\nbreak'])('refuses the name %j', async (name) => {
    await expect(createApiKey(client.db, { tenantId: 'acme', name })).rejects.toThrow(InvalidApiKeyInputError);
  });
});

describe('listApiKeys', () => {
  it('shows id, tenant, name and prefix, never the hash or the key', async () => {
    const created = await createApiKey(client.db, { tenantId: 'listed', name: 'reporting' });
    const keys = await listApiKeys(client.db);
    const listed = keys.find((key) => key.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      tenantId: 'listed',
      name: 'reporting',
      prefix: created.prefix,
      role: 'importer',
      createdAt: expect.any(Date),
      lastUsedAt: null,
      revokedAt: null,
    });
    const text = JSON.stringify(keys);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(hashApiKey(created.key));
  });
});

describe('revokeApiKey', () => {
  it('revokes an active key once', async () => {
    const created = await createApiKey(client.db, { tenantId: 'acme', name: 'old' });
    expect(await revokeApiKey(client.db, created.id)).toBe(true);
    expect(await revokeApiKey(client.db, created.id)).toBe(false);
    expect((await listApiKeys(client.db)).find((key) => key.id === created.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it('answers false for unknown and malformed ids', async () => {
    expect(await revokeApiKey(client.db, '00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(await revokeApiKey(client.db, 'not-an-id')).toBe(false);
  });
});

describe('createKeyAuthenticator with a database', () => {
  it('maps a stored key to its tenant and name', async () => {
    const created = await createApiKey(client.db, { tenantId: 'acme', name: 'uploader' });
    const authenticate = createKeyAuthenticator([], { db: client.db });
    expect(await authenticate(created.key)).toEqual(keyPrincipal('acme', created.id, 'uploader', 'importer'));
    const admin = await createApiKey(client.db, { tenantId: 'acme', name: 'ops', role: 'admin' });
    expect(await authenticate(admin.key)).toMatchObject({ role: 'admin', actor: 'key:ops', kind: 'key', email: null });
  });

  it('refuses missing, malformed and unknown keys', async () => {
    const authenticate = createKeyAuthenticator(['dev-key'], { db: client.db });
    for (const key of [undefined, '', 'nope', 'dp_', `dp_${'A'.repeat(43)}`, `dp_${'A'.repeat(10_000)}`])
      expect(await authenticate(key)).toBeNull();
  });

  it('still maps static API_KEYS to the default tenant, with or without a database', async () => {
    expect(await createKeyAuthenticator(['dev-key', 'other'])('other')).toEqual(keyPrincipal(DEFAULT_TENANT, 'env-2', 'env-2', 'admin'));
    expect(await createKeyAuthenticator(['dev-key'], { db: client.db })('dev-key')).toEqual(
      keyPrincipal('default', 'env-1', 'env-1', 'admin'),
    );
    expect(await createKeyAuthenticator(['dev-key'])('dev-key2')).toBeNull();
  });

  it('refuses a revoked key once the cache window ends', async () => {
    const clock = manualClock();
    const created = await createApiKey(client.db, { tenantId: 'acme', name: 'leaked' });
    const authenticate = createKeyAuthenticator([], { db: client.db, cacheMs: 2000, now: clock.now });
    expect(await authenticate(created.key)).not.toBeNull();
    await revokeApiKey(client.db, created.id);
    clock.advance(1999);
    expect(await authenticate(created.key)).not.toBeNull(); // the cached answer, at most cacheMs old
    clock.advance(1);
    expect(await authenticate(created.key)).toBeNull();
    expect(await createKeyAuthenticator([], { db: client.db })(created.key)).toBeNull();
  });

  it('refuses a revoked key within 2 s by default (real clock)', async () => {
    const created = await createApiKey(client.db, { tenantId: 'acme', name: 'leaked-too' });
    const authenticate = createKeyAuthenticator([], { db: client.db });
    expect(await authenticate(created.key)).not.toBeNull();
    await revokeApiKey(client.db, created.id);
    await new Promise((r) => setTimeout(r, 2050));
    expect(await authenticate(created.key)).toBeNull();
  });

  it('caches a miss for the same window, then sees a key added meanwhile', async () => {
    const clock = manualClock();
    const key = `dp_${'B'.repeat(43)}`;
    const authenticate = createKeyAuthenticator([], { db: client.db, cacheMs: 2000, now: clock.now });
    expect(await authenticate(key)).toBeNull();
    await client.db.insert(apiKeys).values({ tenantId: 'late', name: 'inserted', keyHash: hashApiKey(key), keyPrefix: key.slice(0, 8) });
    expect(await authenticate(key)).toBeNull();
    clock.advance(2000);
    expect(await authenticate(key)).toMatchObject({ tenantId: 'late', keyName: 'inserted' });
  });

  it('answers many concurrent requests for one key with one result', async () => {
    const created = await createApiKey(client.db, { tenantId: 'busy', name: 'burst' });
    const authenticate = createKeyAuthenticator([], { db: client.db });
    const answers = await Promise.all(Array.from({ length: 50 }, () => authenticate(created.key)));
    expect(new Set(answers.map((a) => `${a?.tenantId}/${a?.keyName}`))).toEqual(new Set(['busy/burst']));
  });

  it('records last use at most once a minute per key, in the background', async () => {
    const clock = manualClock();
    const created = await createApiKey(client.db, { tenantId: 'acme', name: 'tracked' });
    const authenticate = createKeyAuthenticator([], { db: client.db, cacheMs: 2000, now: clock.now });
    await authenticate(created.key);
    const first = await eventually(
      () => rowOf(created.id),
      (row) => row.lastUsedAt !== null,
    );
    expect(first.lastUsedAt).toBeInstanceOf(Date);

    await client.db
      .update(apiKeys)
      .set({ lastUsedAt: new Date('2000-01-01T00:00:00Z') })
      .where(eq(apiKeys.id, created.id));
    clock.advance(30_000); // past the answer cache, within the minute
    await authenticate(created.key);
    await new Promise((r) => setTimeout(r, 300));
    expect((await rowOf(created.id)).lastUsedAt?.toISOString()).toBe('2000-01-01T00:00:00.000Z');

    clock.advance(30_000);
    await authenticate(created.key);
    const later = await eventually(
      () => rowOf(created.id),
      (row) => (row.lastUsedAt?.getUTCFullYear() ?? 0) > 2000,
    );
    expect(later.lastUsedAt?.getUTCFullYear()).toBeGreaterThan(2000);
  });

  it('throws database errors (callers answer 503) without the key in them, while static keys keep working', async () => {
    const broken = createDbClient('postgres://postgres@127.0.0.1:1/none', { max: 1 });
    try {
      const authenticate = createKeyAuthenticator(['dev-key'], { db: broken.db });
      expect(await authenticate('dev-key')).toEqual(keyPrincipal('default', 'env-1', 'env-1', 'admin'));
      const error = await authenticate(`dp_${'C'.repeat(43)}`).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect(String((error as Error).message)).not.toContain('C'.repeat(43));
    } finally {
      await broken.close();
    }
  });
});
