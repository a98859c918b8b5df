import { keyPrincipal } from '@docprocessor/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_SIZE, type Job } from '@docprocessor/contracts';
import { advance, insertJob, isEvent, isSnapshot, publish, startGateway, TestClient, useGateway, waitFor } from './helper.js';

const started = useGateway('snapshot');
const jobs: Job[] = [];

beforeAll(async () => {
  const start = Date.parse('2025-03-01T00:00:00Z');
  for (let i = 0; i < SNAPSHOT_SIZE + 10; i++) jobs.push(await insertJob(started.backends.db, { createdAt: new Date(start + i * 1000) }));
  await insertJob(started.backends.db, { tenantId: 'someone-else', createdAt: new Date(start + 999_000) });
});

describe('subscribe to all jobs', () => {
  it('first sends the 50 newest jobs of the tenant, newest first, then live events', async () => {
    const client = await TestClient.open(started.gateway.wsUrl);
    client.send({ op: 'subscribe' });
    const snapshot = await client.next(isSnapshot, 'the snapshot');
    const newest = [...jobs].reverse().slice(0, SNAPSHOT_SIZE);
    expect(snapshot.jobs.map((j) => j.id)).toEqual(newest.map((j) => j.id));
    expect(snapshot.jobs[0]).toEqual(newest[0]);

    const live = await publish(started.backends.bus, 'started', advance(jobs[0] as Job, { status: 'processing' }));
    const event = await client.next(isEvent, 'a live event');
    expect(event).toEqual(live);
    expect(client.frames.indexOf(snapshot)).toBe(0);
    client.close();
  });

  it('answers every subscribe with a snapshot of its own, in order', async () => {
    const client = await TestClient.open(started.gateway.wsUrl);
    const one = jobs[3] as Job;
    client.send({ op: 'subscribe', jobId: one.id });
    client.send({ op: 'subscribe' });
    const second = await client.next(isSnapshot, 'the second snapshot', 2);
    const first = await client.next(isSnapshot, 'the first snapshot', 1);
    expect(first.jobs.map((j) => j.id)).toEqual([one.id]);
    expect(second.jobs).toHaveLength(SNAPSHOT_SIZE);
    client.close();
  });

  it('gives an empty snapshot to a tenant without jobs', async () => {
    const otherGateway = await startGateway(started.backends, {
      authenticate: async (key) => (key === 'new-tenant-key' ? keyPrincipal('brand-new', 't', 't', 'importer') : null),
    });
    const client = await TestClient.open(otherGateway.wsUrl, { 'x-api-key': 'new-tenant-key' });
    client.send({ op: 'subscribe' });
    expect((await client.next(isSnapshot, 'the snapshot')).jobs).toEqual([]);
    client.close();
    await otherGateway.app.close();
  });

  it('a late joiner sees the terminal state in its snapshot', async () => {
    const done = await insertJob(started.backends.db, { status: 'completed', processedRows: 5, createdAt: new Date() });
    const client = await TestClient.open(started.gateway.wsUrl);
    client.send({ op: 'subscribe' });
    const snapshot = await client.next(isSnapshot, 'the snapshot');
    await waitFor(() => snapshot.jobs.find((j) => j.id === done.id), 'the finished job');
    expect(snapshot.jobs[0]).toMatchObject({ id: done.id, status: 'completed' });
    client.close();
  });
});
