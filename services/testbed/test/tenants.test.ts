import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiKey, createDbClient, revokeApiKey, type DbClient } from '@docprocessor/db';
import { useStack } from './support/use-stack.js';

// Tenant isolation end to end: two tenants' keys created with `createApiKey` (what `npm run keys` does), the real
// services as processes, every check over the one origin: HTTP for jobs and errors, /ws for events and snapshots.

const HEADER = 'id,email,first_name,last_name,company,country,signup_date,amount,active,notes';
const GOOD_ROW = '1,a@example.com,Ada,Lovelace,,GB,2024-01-02,10.50,true,';
const BAD_ROW = '2,not-an-email,Grace,Hopper,,US,2024-01-03,1.00,true,';
const WITH_ROW_ERROR = `${HEADER}\n${GOOD_ROW}\n${BAD_ROW}\n`;
const MISSING_COLUMN = `${HEADER.replace('email,', '')}\n${GOOD_ROW.replace('a@example.com,', '')}\n`;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const WAIT_MS = 90_000;

interface Job {
  id: string;
  status: string;
  duplicateOf: string | null;
  failedRows: number;
  finishedAt: string | null;
  updatedAt: string;
  [field: string]: unknown;
}

const t = useStack({ label: 'tenants' });
let db: DbClient;
const keys = { a: '', b: '', aSpare: '' };
let aSpareId = '';

async function api(key: string, method: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${t.stack.url}${path}`, { method, headers: { 'X-API-Key': key } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // errors.csv and other non-JSON answers stay text
  }
  return { status: res.status, body };
}

async function upload(key: string, csv: string, headers: Record<string, string> = {}): Promise<{ status: number; job: Job }> {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
  const res = await fetch(`${t.stack.url}/api/imports`, { method: 'POST', headers: { 'X-API-Key': key, ...headers }, body: form });
  const job = (await res.json()) as Job;
  if (res.status >= 300) throw new Error(`upload answered ${res.status}: ${JSON.stringify(job)}`);
  return { status: res.status, job };
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

/** A /ws client that keeps every frame it receives, raw and parsed. */
class WsRecorder {
  readonly raw: string[] = [];
  readonly frames: Record<string, unknown>[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      this.frames.push(JSON.parse(text) as Record<string, unknown>);
    });
  }

  static async open(key: string): Promise<WsRecorder> {
    const socket = new WebSocket(`${t.stack.url.replace(/^http/, 'ws')}/ws?apiKey=${encodeURIComponent(key)}`);
    const recorder = new WsRecorder(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`/ws upgrade answered ${res.statusCode}`)));
    });
    return recorder;
  }

  snapshots(): { jobs: Job[] }[] {
    return this.frames.filter((f) => f.type === 'snapshot') as unknown as { jobs: Job[] }[];
  }

  /** Sends a subscribe and resolves with the snapshot that answers it. */
  async subscribe(jobId?: string): Promise<Job[]> {
    const before = this.snapshots().length;
    this.socket.send(JSON.stringify(jobId ? { op: 'subscribe', jobId } : { op: 'subscribe' }));
    const snapshots = await until(
      'a snapshot',
      () => this.snapshots(),
      (all) => all.length > before,
    );
    return snapshots[before]!.jobs;
  }

  eventsOf(jobId: string): { type: string }[] {
    return this.frames.filter((f) => f.jobId === jobId) as { type: string }[];
  }

  close(): void {
    this.socket.terminate();
  }
}

/** The status code a /ws upgrade with this key gets (101 when accepted). */
function upgradeStatus(key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${t.stack.url.replace(/^http/, 'ws')}/ws?apiKey=${encodeURIComponent(key)}`);
    socket.once('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      socket.terminate();
      resolve(res.statusCode ?? 0);
    });
    socket.once('error', (error) => reject(error));
  });
}

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
  let wsA: WsRecorder;
  let wsB: WsRecorder;

  beforeAll(async () => {
    wsA = await WsRecorder.open(keys.a);
    wsB = await WsRecorder.open(keys.b);
    await wsA.subscribe();
    await wsB.subscribe();
    const bWithErrors = await upload(keys.b, WITH_ROW_ERROR, { 'Idempotency-Key': 'shared-idempotency-key' });
    const bFailed = await upload(keys.b, MISSING_COLUMN);
    // Same bytes and the same Idempotency-Key as tenant B's upload: still a new job of A's own.
    const a = await upload(keys.a, WITH_ROW_ERROR, { 'Idempotency-Key': 'shared-idempotency-key' });
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

  afterAll(() => {
    wsA?.close();
    wsB?.close();
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
    for (const id of [jobs.bWithErrors, jobs.bFailed]) expect(wsA.raw.filter((frame) => frame.includes(id))).toEqual([]);
    expect(wsB.raw.filter((frame) => frame.includes(jobs.a))).toEqual([]);
  });

  it("a snapshot never holds another tenant's jobs, even when subscribing to one by id", async () => {
    const late = await WsRecorder.open(keys.a);
    try {
      expect((await late.subscribe()).map((j) => j.id)).toEqual([jobs.a]);
      expect(await late.subscribe(jobs.bWithErrors)).toEqual([]);
      expect(await late.subscribe(jobs.bFailed)).toEqual([]);
      expect((await late.subscribe(jobs.a)).map((j) => j.id)).toEqual([jobs.a]);
      for (const id of [jobs.bWithErrors, jobs.bFailed]) expect(late.raw.filter((frame) => frame.includes(id))).toEqual([]);
    } finally {
      late.close();
    }
    const lateB = await WsRecorder.open(keys.b);
    try {
      expect((await lateB.subscribe()).map((j) => j.id).sort()).toEqual([jobs.bWithErrors, jobs.bFailed].sort());
    } finally {
      lateB.close();
    }
  });

  it('a revoked key is refused over HTTP and WebSocket (within the cache window), and its open socket is closed', async () => {
    expect((await api(keys.aSpare, 'GET', '/api/imports')).status).toBe(200);
    expect(await upgradeStatus(keys.aSpare)).toBe(101);
    const open = await WsRecorder.open(keys.aSpare);
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
