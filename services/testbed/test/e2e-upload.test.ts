import { createHash, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportEvent, Job } from '@docprocessor/contracts';
import { expectJobInvariants, expectMonotonic, expectStackAlive, sequenceOf } from './support/checks.js';
import { contactsFixture, type ContactsFixture } from './support/contacts.js';
import { expectImportedContacts } from './support/db.js';
import { call, errorCodeOf, finalJob, uploadBytes, uploadJob } from './support/http.js';
import { useStack } from './support/use-stack.js';
import { eventually } from './support/wait.js';
import { WsClient } from './support/ws-client.js';

/**
 * The whole pipeline as a person and their scripts use it, through the one origin only: upload over HTTP,
 * live events over a real WebSocket and a plain NATS subscriber, rows in PostgreSQL, every read route.
 */
describe('upload over HTTP, live over /ws and NATS, rows in PostgreSQL', { timeout: 120_000 }, () => {
  // No processor yet: the first test subscribes to its job while it is still pending.
  const t = useStack({ label: 'e2e_upload', processors: 0, env: { PROCESSOR_BATCH_ROWS: '500' }, natsLog: true });
  let wsAll: WsClient;
  const sockets: WsClient[] = [];
  // The main import, shared by the read-route tests below it.
  let fixture: ContactsFixture;
  let job: Job;
  let completed: ImportEvent;

  const openSocket = async (): Promise<WsClient> => {
    const client = await WsClient.open(t.stack);
    sockets.push(client);
    return client;
  };

  /** A processor, started late by the first test so a per-job subscriber sees the job before it starts. */
  const ensureProcessor = async (): Promise<void> => {
    if (!t.stack.services.some((s) => s.name === 'processor' && s.child.exitCode === null)) t.stack.spawn('processor');
    await t.stack.processorsReady();
  };

  beforeAll(async () => {
    wsAll = await openSocket();
    wsAll.subscribe();
    await wsAll.waitForFrame((f) => f.type === 'snapshot', 'the first snapshot');
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(sockets.map((s) => s.close()));
  }, 60_000);

  it('imports a file with invalid rows and repeated keys; WebSocket and NATS see the same events with exact counts', async () => {
    expect(wsAll.snapshots()[0]).toEqual({ type: 'snapshot', jobs: [] });
    fixture = contactsFixture({ rows: 20_000, brokenEvery: 487, duplicateIds: [5, 1000, 15_000] });
    const bytes = Buffer.from(fixture.csv, 'utf8');
    const failed = fixture.broken.length + fixture.duplicateRows.length;

    const answer = await uploadBytes(t.stack, bytes, { filename: 'people.csv', fields: { template: 'contacts' } });
    expect(answer.status, answer.text).toBe(202);
    job = answer.body;
    expect(job).toMatchObject({
      status: 'pending',
      template: 'contacts',
      filename: 'people.csv',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      totalRows: null,
      processedRows: 0,
      successRows: 0,
      failedRows: 0,
      error: null,
      duplicateOf: null,
      startedAt: null,
      finishedAt: null,
    });
    expect(Number.isNaN(Date.parse(job.createdAt))).toBe(false);

    // A client that subscribes to this one job gets its snapshot (pending: no processor runs yet) ...
    await eventually(() => t.nats.eventsOf(job.id).some((e) => e.type === 'created'), 'the created event on NATS');
    const wsJob = await openSocket();
    wsJob.subscribe(job.id);
    const snapshot = await wsJob.waitForFrame((f) => f.type === 'snapshot', 'the job snapshot');
    expect(snapshot).toMatchObject({ type: 'snapshot', jobs: [{ id: job.id, status: 'pending' }] });

    // ... then everything the processor does.
    await ensureProcessor();
    completed = await wsJob.waitForTerminal(job.id, 90_000);
    await wsAll.waitForTerminal(job.id);
    await t.nats.waitForTerminal(job.id);

    expect(completed.type, JSON.stringify(completed.job.error)).toBe('completed');
    expect(completed.job).toMatchObject({
      status: 'completed',
      totalRows: fixture.rows,
      processedRows: fixture.rows,
      successRows: fixture.rows - failed,
      failedRows: failed,
      bytesProcessed: bytes.length,
      progress: 1,
      error: null,
    });
    expect(completed.job.startedAt).not.toBeNull();
    expect(completed.job.finishedAt).not.toBeNull();

    // The per-job client: snapshot first, then started, progress..., completed, and only this job.
    const jobFrames = wsJob.frames;
    expect(jobFrames[0]?.type).toBe('snapshot');
    expect(jobFrames.slice(1).every((f) => f.type !== 'snapshot' && f.type !== 'error' && f.jobId === job.id)).toBe(true);
    // The `created` event may reach the gateway just after the subscribe; then it follows the snapshot, else not at all.
    const allJobEvents = wsJob.eventsOf(job.id);
    expect(allJobEvents.filter((e) => e.type === 'created').length).toBeLessThanOrEqual(1);
    if (allJobEvents.some((e) => e.type === 'created')) expect(allJobEvents[0]?.type).toBe('created');
    const jobEvents = allJobEvents.filter((e) => e.type !== 'created');
    expect(jobEvents[0]?.type).toBe('started');
    expect(jobEvents.at(-1)?.type).toBe('completed');
    expect(jobEvents.slice(1, -1).every((e) => e.type === 'progress')).toBe(true);
    expect(jobEvents.filter((e) => e.type === 'progress').length).toBeGreaterThanOrEqual(1);

    // NATS, `nats sub '<prefix>.>'`: created, started, progress..., completed on imports.<id>.<type>, full job each.
    const natsMessages = t.nats.messages.filter((m) => m.event.jobId === job.id);
    for (const { subject, event } of natsMessages) {
      expect(subject).toBe(`${t.stack.names.subjectPrefix}.${job.id}.${event.type}`);
      expect(Object.keys(event).sort()).toEqual(['at', 'job', 'jobId', 'type']);
      expect(event.job.id).toBe(job.id);
      expect(Number.isNaN(Date.parse(event.at))).toBe(false);
      expectJobInvariants(event.job);
    }
    const natsEvents = natsMessages.map((m) => m.event);
    expect(natsEvents.map((e) => e.type)[0]).toBe('created');
    expect(natsEvents.filter((e) => ['completed', 'failed', 'cancelled'].includes(e.type))).toHaveLength(1);
    expectMonotonic(natsEvents.map((e) => e.job));

    // The same sequence everywhere: the all-jobs socket sees exactly what NATS carried, the per-job one all after `created`.
    expect(sequenceOf(wsAll.eventsOf(job.id))).toEqual(sequenceOf(natsEvents));
    expect(wsAll.eventsOf(job.id)).toEqual(natsEvents);
    expect(jobEvents).toEqual(natsEvents.filter((e) => e.type !== 'created'));
    expectMonotonic(jobEvents.map((e) => e.job));

    await expectImportedContacts(t.sql, fixture, job.id);
  });

  it('GET /api/imports/:id answers the final job; unknown ids are 404 with the error shape', async () => {
    const one = await call<Job>(t.stack, `/api/imports/${job.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(completed.job);
    expectJobInvariants(one.body);

    for (const path of [
      `/api/imports/${randomUUID()}`,
      `/api/imports/not-a-uuid`,
      `/api/imports/${randomUUID()}/errors`,
      `/api/imports/${randomUUID()}/errors.csv`,
    ]) {
      const missing = await call(t.stack, path);
      expect(missing.status, `${path}: ${missing.text}`).toBe(404);
      expect(errorCodeOf(missing), missing.text).toBe('not_found');
    }
  });

  it('GET /api/imports/:id/errors pages through every row error in file order with a total', async () => {
    const expected = [
      ...fixture.broken.map((b) => ({ row: b.row, column: b.column, code: b.code })),
      ...fixture.duplicateRows.map((d) => ({ row: d.row, column: 'id', code: 'duplicate_key' })),
    ].sort((a, b) => a.row - b.row);

    const first = await call<{ items: unknown[]; total: number; nextCursor: string | null }>(t.stack, `/api/imports/${job.id}/errors`);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(expected.length);
    expect(first.body.items).toHaveLength(expected.length); // default page (100) holds them all
    expect(first.body.nextCursor).toBeNull();

    const seen: Array<{ row: number; column: string | null; value: string | null; code: string; message: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof call<{ items: typeof seen; total: number; nextCursor: string | null }>>> = await call(
        t.stack,
        `/api/imports/${job.id}/errors?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status, page.text).toBe(200);
      expect(page.body.total).toBe(expected.length);
      expect(page.body.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(pages).toBe(Math.ceil(expected.length / 7));
    expect(seen.map(({ row, column, code }) => ({ row, column, code }))).toEqual(expected);
    for (const error of seen) {
      expect(Object.keys(error).sort()).toEqual(['code', 'column', 'message', 'row', 'value']);
      expect(error.message.length).toBeGreaterThan(0);
    }
    const formula = seen.find((e) => e.value?.startsWith('=HYPERLINK'));
    expect(formula, 'the formula-looking email is kept as its value').toBeDefined();

    for (const query of ['limit=0', 'limit=abc', 'limit=100000', 'cursor=not-a-cursor']) {
      const bad = await call(t.stack, `/api/imports/${job.id}/errors?${query}`);
      expect(bad.status, `${query}: ${bad.text}`).toBe(400);
      expect(errorCodeOf(bad), bad.text).toBe('invalid_request');
    }
  });

  it('GET /api/imports/:id/errors.csv downloads every row error, safe to open in a spreadsheet', async () => {
    const answer = await call<string>(t.stack, `/api/imports/${job.id}/errors.csv`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    const records = parse(answer.text, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(records[0]!)).toEqual(['row', 'column', 'value', 'code', 'message']);
    expect(records).toHaveLength(completed.job.failedRows);
    const api = (await call<{ items: Array<{ row: number; code: string }> }>(t.stack, `/api/imports/${job.id}/errors?limit=1000`)).body
      .items;
    expect(records.map((r) => `${r.row}:${r.code}`)).toEqual(api.map((e) => `${e.row}:${e.code}`));
    // No cell starts with a formula character: =, +, -, @ are defused with a leading quote.
    for (const record of records)
      for (const cell of Object.values(record)) expect(cell, `cell ${JSON.stringify(cell)}`).not.toMatch(/^[=+\-@]/);
    expect(records.find((r) => r.code === 'invalid_email' && r.value?.includes('HYPERLINK'))?.value).toBe(
      `'=HYPERLINK("http://evil.example","x")`,
    );
    expect(records.find((r) => r.code === 'out_of_range')?.value).toBe(`'-4.5`);
  });

  it('GET /api/imports lists newest first, pages with a cursor and filters by status', async () => {
    await ensureProcessor();
    const second = await uploadJob(
      t.stack,
      'id,email,first_name,last_name,country,signup_date,amount,active\n900001,a@example.com,A,B,GB,2020-01-01,1,true\n',
      {
        filename: 'second.csv',
      },
    );
    await finalJob(t.stack, second.id);

    const list = await call<{ items: Job[]; nextCursor: string | null }>(t.stack, '/api/imports');
    expect(list.status).toBe(200);
    expect(Object.keys(list.body).sort()).toEqual(['items', 'nextCursor']);
    expect(list.body.items.map((j) => j.id).slice(0, 2)).toEqual([second.id, job.id]);
    list.body.items.forEach(expectJobInvariants);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof call<{ items: Job[]; nextCursor: string | null }>>> = await call(
        t.stack,
        `/api/imports?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status, page.text).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      paged.push(...page.body.items.map((j) => j.id));
      cursor = page.body.nextCursor;
    } while (cursor && paged.length < 100);
    expect(paged).toEqual(list.body.items.map((j) => j.id));

    const completedOnly = await call<{ items: Job[] }>(t.stack, '/api/imports?status=completed');
    expect(completedOnly.body.items.length).toBeGreaterThanOrEqual(2);
    expect(completedOnly.body.items.every((j) => j.status === 'completed')).toBe(true);
    expect((await call<{ items: Job[] }>(t.stack, '/api/imports?status=pending')).body.items).toEqual([]);

    for (const query of ['status=done', 'limit=-1', 'limit=x', 'cursor=%00%01garbage']) {
      const bad = await call(t.stack, `/api/imports?${query}`);
      expect(bad.status, `${query}: ${bad.text}`).toBe(400);
      expect(errorCodeOf(bad), bad.text).toBe('invalid_request');
    }
  });

  it('a WebSocket client that joins after the end gets the terminal state in its snapshot', async () => {
    const late = await openSocket();
    late.subscribe(job.id);
    const one = await late.waitForFrame((f) => f.type === 'snapshot', 'the late snapshot');
    expect(one).toEqual({ type: 'snapshot', jobs: [completed.job] });

    late.subscribe();
    await eventually(() => late.snapshots().length === 2, 'the all-jobs snapshot');
    const all = late.snapshots()[1]!.jobs;
    const listed = (await call<{ items: Job[] }>(t.stack, '/api/imports?limit=50')).body.items;
    expect(all.map((j) => j.id)).toEqual(listed.map((j) => j.id));
    expect(all.find((j) => j.id === job.id)).toEqual(completed.job);
    all.forEach(expectJobInvariants);

    // An unknown job: an empty snapshot, not an error; a malformed frame: an error frame, and the socket stays open.
    late.subscribe(randomUUID());
    await eventually(() => late.snapshots().length === 3, 'the unknown-job snapshot');
    expect(late.snapshots()[2]!.jobs).toEqual([]);
    late.socket.send('this is not json');
    late.send({ op: 'unsubscribe-everything' });
    await eventually(() => late.frames.filter((f) => f.type === 'error').length === 2, 'two error frames');
    for (const frame of late.frames.filter((f) => f.type === 'error'))
      expect(frame).toMatchObject({ error: { code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) } });
    expect(late.closed).toBeNull();
  });

  it('leaves every process running', async () => {
    await expectStackAlive(t.stack);
  });
});
