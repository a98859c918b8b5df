import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPACITY_READING_MS } from '../src/imports/capacity-guard.js';
import { API_KEY, build, contactsCsv, storedObjectNames, upload, type Harness } from './helper.js';

// Backpressure against a real NATS and PostgreSQL: no processor runs, so every accepted upload stays a queued work
// item. A reading of the queue and the store answers for CAPACITY_READING_MS, hence the waits past it.
const pastReading = () => sleep(CAPACITY_READING_MS + 100);
const post = (h: Harness, url: string) => h.app.inject({ method: 'POST', url, headers: { 'x-api-key': API_KEY } });

describe('a full work queue (MAX_QUEUED_JOBS)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await build({ MAX_QUEUED_JOBS: '2', BACKPRESSURE_RETRY_AFTER_SECONDS: '17' });
  });
  afterAll(() => h.close());

  it('answers 503 service_unavailable with Retry-After, keeps nothing of the refused upload, and still answers replays', async () => {
    const first = await upload(h, contactsCsv(1), {}, { 'idempotency-key': 'first' });
    expect(first.statusCode).toBe(202);
    expect((await upload(h, contactsCsv(2))).statusCode).toBe(202);
    await pastReading();
    const objectsBefore = await storedObjectNames(h);

    const refused = await upload(h, contactsCsv(3));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('17');
    expect(refused.json()).toEqual({
      error: { code: 'service_unavailable', message: expect.stringMatching(/2 jobs are queued or running.*\(2\).*try again in 17 s/) },
    });
    expect(await storedObjectNames(h)).toEqual(objectsBefore);
    const list = await h.app.inject({ method: 'GET', url: '/api/imports', headers: { 'x-api-key': API_KEY } });
    expect(list.json().items).toHaveLength(2);

    const replay = await upload(h, contactsCsv(1), {}, { 'idempotency-key': 'first' });
    expect([replay.statusCode, replay.json().id]).toEqual([200, first.json().id]);
  });

  it('refuses a retry too while the queue is full, and takes it once there is room', async () => {
    const { id } = (await h.app.inject({ method: 'GET', url: '/api/imports', headers: { 'x-api-key': API_KEY } })).json().items[0];
    expect((await post(h, `/api/imports/${id}/cancel`)).statusCode).toBe(200);
    await pastReading();
    const refused = await post(h, `/api/imports/${id}/retry`);
    expect([refused.statusCode, refused.json().error.code]).toEqual([503, 'service_unavailable']);

    // A worker takes the two items off the queue (acknowledges them), as a processor would.
    const consumer = await h.ctx.bus.js.consumers.get(h.ctx.bus.names.stream, h.ctx.bus.names.consumer);
    const taken = await consumer.fetch({ max_messages: 2, expires: 2000 });
    for await (const message of taken) message.ack();
    await pastReading();
    expect((await post(h, `/api/imports/${id}/retry`)).statusCode).toBe(202);
  });
});

describe('a full file store (MAX_STORED_BYTES)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await build({ MAX_QUEUED_JOBS: '0', MAX_STORED_BYTES: '1000' });
  });
  afterAll(() => h.close());

  it('takes uploads while the store holds less than the limit, then answers 503 before reading the body', async () => {
    expect((await upload(h, contactsCsv(20))).statusCode).toBe(202);
    await pastReading();
    const stored = await h.ctx.files.storedBytes();
    expect(stored).toBeGreaterThan(1000);

    const refused = await upload(h, contactsCsv(5));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json().error.message).toMatch(new RegExp(`the file store holds ${stored} bytes.*\\(1000\\)`));
    expect(await h.ctx.files.storedBytes()).toBe(stored);
  });
});
