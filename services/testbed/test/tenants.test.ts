import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { createApiKey, createDbClient, revokeApiKey, type DbClient } from '@docprocessor/db';
import { call, uploadBytes } from './support/http.js';
import { useStack } from './support/use-stack.js';
import { WsClient } from './support/ws-client.js';

// Tenant isolation end to end: two tenants' keys created with `createApiKey` (what `npm run keys` does), the real
// services as processes, every check over the one origin: HTTP for jobs and errors, /ws for events and snapshots.

const HEADER = 'id,email,first_name,last_name,company,country,signup_date,amount,active,notes';
const GOOD_ROW = '1,a@example.com,Ada,Lovelace,,GB,2024-01-02,10.50,true,';
const BAD_ROW = '2,not-an-email,Grace,Hopper,,US,2024-01-03,1.00,true,';
const WITH_ROW_ERROR = `${HEADER}\n${GOOD_ROW}\n${BAD_ROW}\n`;
const MISSING_COLUMN = `${HEADER.replace('email,', '')}\n${GOOD_ROW.replace('a@example.com,', '')}\n`;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const WAIT_MS = 90_000;

const t = useStack({ label: 'tenants' });
let db: DbClient;
const keys = { a: '', b: '', aSpare: '' };
let aSpareId = '';

/** An HTTP call with one tenant's key, through the one origin. */
const api = (key: string, method: string, path: string) => call(t.stack, path, { method, key });

async function upload(key: string, csv: string, idempotencyKey?: string): Promise<{ status: number; job: Job }> {
  const answer = await uploadBytes(t.stack, csv, { key, filename: 'contacts.csv', ...(idempotencyKey ? { idempotencyKey } : {}) });
  if (answer.status >= 300) throw new Error(`upload answered ${answer.status}: ${answer.text}`);
  return { status: answer.status, job: answer.body };
}

async function until<T>(what: string, read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last: ${JSON.stringify(value)}\n${t.stack.logs()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const finished = (key: string, id: string) =>
  until(
    `job ${id} to finish`,
    async () => (await api(key, 'GET', `/api/imports/${id}`)).body as Job,
    (job) => TERMINAL.has(job.status),
  );

/** Sends a subscribe and resolves with the jobs of the snapshot that answers it. */
async function subscribed(client: WsClient, jobId?: string): Promise<Job[]> {
  const before = client.snapshots().length;
  client.subscribe(jobId);
  const snapshots = await until(
    'a snapshot',
    () => client.snapshots(),
    (all) => all.length > before,
  );
  return snapshots[before]!.jobs;
}

/** Every frame the client got that names this id anywhere: a leak, if the id is another tenant's. */
const framesNaming = (client: WsClient, id: string) => client.frames.filter((frame) => JSON.stringify(frame).includes(id));

const openWs = (key: string) => WsClient.open(t.stack, key);
const upgradeStatus = async (key: string) => (await WsClient.upgradeStatus(t.stack, key)).status;

beforeAll(async () => {
  db = createDbClient(t.stack.databaseUrl, { max: 2 });
  keys.a = (await createApiKey(db.db, { tenantId: 'tenant-a', name: 'a-main' })).key;
  keys.b = (await createApiKey(db.db, { tenantId: 'tenant-b', name: 'b-main' })).key;
  const spare = await createApiKey(db.db, { tenantId: 'tenant-a', name: 'a-spare' });
  keys.aSpare = spare.key;
  aSpareId = spare.id;
  const probe = await api(keys.a, 'GET', '/api/imports');
  if (probe.status === 401)
    throw new Error(
      'ingest refuses a key from the api_keys table: services/ingest/src/main.ts and services/gateway/src/main.ts ' +
        'must call createKeyAuthenticator(config.API_KEYS, { db: db.db })',
    );
  expect(probe.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await db?.close();
}, 60_000);

describe('two tenants', { timeout: 180_000 }, () => {
  const jobs = { a: '', bWithErrors: '', bFailed: '' };
  let wsA: WsClient;
  let wsB: WsClient;

  beforeAll(async () => {
    wsA = await openWs(keys.a);
    wsB = await openWs(keys.b);
    await subscribed(wsA);
    await subscribed(wsB);
    const bWithErrors = await upload(keys.b, WITH_ROW_ERROR, 'shared-idempotency-key');
    const bFailed = await upload(keys.b, MISSING_COLUMN);
    // Same bytes and the same Idempotency-Key as tenant B's upload: still a new job of A's own.
    const a = await upload(keys.a, WITH_ROW_ERROR, 'shared-idempotency-key');
    expect([bWithErrors.status, bFailed.status, a.status]).toEqual([202, 202, 202]);
    jobs.a = a.job.id;
    jobs.bWithErrors = bWithErrors.job.id;
    jobs.bFailed = bFailed.job.id;
    expect(a.job.id).not.toBe(bWithErrors.job.id);
    expect(a.job.duplicateOf).toBeNull();
    const [doneA, doneB1, doneB2] = await Promise.all([
      finished(keys.a, jobs.a),
      finished(keys.b, jobs.bWithErrors),
      finished(keys.b, jobs.bFailed),
    ]);
    expect([doneA.status, doneB1.status, doneB2.status]).toEqual(['completed', 'completed', 'failed']);
    // A job is final in the database a moment before its last event is out: wait for the events too.
    await until(
      "A's client to get its job's completed event",
      () => wsA.eventsOf(jobs.a).map((e) => e.type),
      (types) => types.includes('completed'),
    );
    await until(
      "B's client to get its jobs' final events",
      () => [...wsB.eventsOf(jobs.bWithErrors), ...wsB.eventsOf(jobs.bFailed)].map((e) => e.type),
      (types) => types.includes('completed') && types.includes('failed'),
    );
  }, 180_000);

  afterAll(async () => {
    await wsA?.close();
    await wsB?.close();
  });

  it('each tenant reads its own jobs and errors', async () => {
    expect((await api(keys.a, 'GET', `/api/imports/${jobs.a}`)).status).toBe(200);
    expect((await api(keys.b, 'GET', `/api/imports/${jobs.bWithErrors}`)).status).toBe(200);
    const errors = await api(keys.b, 'GET', `/api/imports/${jobs.bWithErrors}/errors`);
    expect(errors).toMatchObject({ status: 200, body: { total: 1 } });
    expect((await api(keys.b, 'GET', `/api/imports/${jobs.bWithErrors}/errors.csv`)).status).toBe(200);
    // Another key of the same tenant sees the same jobs.
    expect((await api(keys.aSpare, 'GET', `/api/imports/${jobs.a}`)).status).toBe(200);
  });

  it("a key gets 404 for another tenant's job, its errors and errors.csv", async () => {
    for (const id of [jobs.bWithErrors, jobs.bFailed])
      for (const path of [`/api/imports/${id}`, `/api/imports/${id}/errors`, `/api/imports/${id}/errors.csv`]) {
        const answer = await api(keys.a, 'GET', path);
        expect({ path, status: answer.status }).toEqual({ path, status: 404 });
        expect(answer.body).toMatchObject({ error: { code: 'not_found' } });
      }
    for (const path of [`/api/imports/${jobs.a}`, `/api/imports/${jobs.a}/errors`, `/api/imports/${jobs.a}/errors.csv`])
      expect((await api(keys.b, 'GET', path)).status).toBe(404);
  });

  it("another tenant's jobs are absent from the list, whatever the filter", async () => {
    for (const query of ['', '?status=completed', '?status=failed', '?limit=100']) {
      const listA = (await api(keys.a, 'GET', `/api/imports${query}`)).body as { items: Job[] };
      const listB = (await api(keys.b, 'GET', `/api/imports${query}`)).body as { items: Job[] };
      const idsA = listA.items.map((j) => j.id);
      const idsB = listB.items.map((j) => j.id);
      expect(idsA).not.toContain(jobs.bWithErrors);
      expect(idsA).not.toContain(jobs.bFailed);
      expect(idsB).not.toContain(jobs.a);
    }
    expect(((await api(keys.a, 'GET', '/api/imports')).body as { items: Job[] }).items.map((j) => j.id)).toEqual([jobs.a]);
    // The development key of API_KEYS is the default tenant: it sees neither.
    expect(((await api(t.stack.apiKey, 'GET', '/api/imports')).body as { items: Job[] }).items).toEqual([]);
  });

  it("a key cannot cancel or retry another tenant's job, and the job is left as it was", async () => {
    const before = await Promise.all(
      [jobs.bWithErrors, jobs.bFailed].map(async (id) => (await api(keys.b, 'GET', `/api/imports/${id}`)).body as Job),
    );
    const seenBefore = new Set([...wsB.eventsOf(jobs.bWithErrors), ...wsB.eventsOf(jobs.bFailed)]);
    for (const id of [jobs.bWithErrors, jobs.bFailed])
      for (const action of ['cancel', 'retry']) {
        const answer = await api(keys.a, 'POST', `/api/imports/${id}/${action}`);
        expect({ id, action, status: answer.status }).toEqual({ id, action, status: 404 });
      }
    await new Promise((r) => setTimeout(r, 1000));
    const after = await Promise.all(
      [jobs.bWithErrors, jobs.bFailed].map(async (id) => (await api(keys.b, 'GET', `/api/imports/${id}`)).body as Job),
    );
    expect(after).toEqual(before);
    // A cancel or a retry would have been announced to tenant B's client (a retry starts with a new `created`).
    const newTypes = [...wsB.eventsOf(jobs.bWithErrors), ...wsB.eventsOf(jobs.bFailed)]
      .filter((e) => !seenBefore.has(e))
      .map((e) => e.type);
    expect(newTypes.filter((type) => ['created', 'started', 'cancelled'].includes(type))).toEqual([]);
  });

  it("a WebSocket client never receives another tenant's events", async () => {
    // Both clients got their own jobs' final events (waited for above); give a stray frame room to arrive, if there were one.
    await new Promise((r) => setTimeout(r, 1000));
    expect(wsA.eventsOf(jobs.a).length).toBeGreaterThan(0);
    for (const id of [jobs.bWithErrors, jobs.bFailed]) expect(framesNaming(wsA, id)).toEqual([]);
    expect(framesNaming(wsB, jobs.a)).toEqual([]);
  });

  it("a snapshot never holds another tenant's jobs, even when subscribing to one by id", async () => {
    const late = await openWs(keys.a);
    try {
      expect((await subscribed(late)).map((j) => j.id)).toEqual([jobs.a]);
      expect(await subscribed(late, jobs.bWithErrors)).toEqual([]);
      expect(await subscribed(late, jobs.bFailed)).toEqual([]);
      expect((await subscribed(late, jobs.a)).map((j) => j.id)).toEqual([jobs.a]);
      for (const id of [jobs.bWithErrors, jobs.bFailed]) expect(framesNaming(late, id)).toEqual([]);
    } finally {
      await late.close();
    }
    const lateB = await openWs(keys.b);
    try {
      expect((await subscribed(lateB)).map((j) => j.id).sort()).toEqual([jobs.bWithErrors, jobs.bFailed].sort());
    } finally {
      await lateB.close();
    }
  });

  it('a revoked key is refused over HTTP and WebSocket (within the cache window), and its open socket is closed', async () => {
    expect((await api(keys.aSpare, 'GET', '/api/imports')).status).toBe(200);
    expect(await upgradeStatus(keys.aSpare)).toBe(101);
    const open = await openWs(keys.aSpare);
    const closed = new Promise<number>((resolve) => open.socket.once('close', (code) => resolve(code)));
    expect(await revokeApiKey(db.db, aSpareId)).toBe(true);
    expect(await closed).toBe(1008);
    expect(open.frames.at(-1)).toMatchObject({ type: 'error', error: { code: 'unauthorized' } });
    await until(
      'ingest to refuse the revoked key',
      async () => (await api(keys.aSpare, 'GET', '/api/imports')).status,
      (status) => status === 401,
      30_000,
    );
    await until(
      'the gateway to refuse the revoked key',
      () => upgradeStatus(keys.aSpare),
      (status) => status === 401,
      30_000,
    );
    // The tenant's other key is untouched.
    expect((await api(keys.a, 'GET', `/api/imports/${jobs.a}`)).status).toBe(200);
  });
});
