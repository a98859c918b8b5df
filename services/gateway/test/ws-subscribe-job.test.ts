import { describe, expect, it } from 'vitest';
import { advance, insertJob, isEvent, isSnapshot, publish, TestClient, useGateway, waitFor } from './helper.js';

const started = useGateway('subjob');

describe('subscribe to one job', () => {
  it('sends that job as the snapshot, then only its events', async () => {
    const [mine, other] = [await insertJob(started.backends.db), await insertJob(started.backends.db)];
    const client = await TestClient.open(started.gateway.wsUrl);
    client.send({ op: 'subscribe', jobId: mine.id });
    expect((await client.next(isSnapshot, 'the snapshot')).jobs).toEqual([mine]);

    await publish(started.backends.bus, 'started', advance(other, { status: 'processing' }));
    const wanted = await publish(started.backends.bus, 'started', advance(mine, { status: 'processing' }));
    await publish(started.backends.bus, 'progress', advance(other, { processedRows: 5 }, 2000));
    await client.next(isEvent, 'the subscribed job event');
    // A later event of the subscribed job proves the other job's events were passed over, not just slow.
    const last = await publish(started.backends.bus, 'completed', advance(mine, { status: 'completed' }, 3000));
    await client.next(isEvent, 'the last event', 2);
    expect(client.events()).toEqual([wanted, last]);
    client.close();
  });

  it('answers an empty snapshot for an unknown, malformed or foreign job id', async () => {
    const foreign = await insertJob(started.backends.db, { tenantId: 'acme' });
    const client = await TestClient.open(started.gateway.wsUrl);
    for (const jobId of ['9b2f1a52-4c8e-4d8f-9f0e-1f2e3d4c5b6a', 'not-a-uuid', foreign.id]) client.send({ op: 'subscribe', jobId });
    await client.next(isSnapshot, 'the third snapshot', 3);
    expect(client.frames.filter(isSnapshot).map((s) => s.jobs)).toEqual([[], [], []]);
    client.close();
  });

  it('goes back to every job after {"op":"subscribe"}', async () => {
    const [a, b] = [await insertJob(started.backends.db), await insertJob(started.backends.db)];
    const client = await TestClient.open(started.gateway.wsUrl);
    client.send({ op: 'subscribe', jobId: a.id });
    client.send({ op: 'subscribe' });
    await client.next(isSnapshot, 'the second snapshot', 2);
    const event = await publish(started.backends.bus, 'started', advance(b, { status: 'processing' }));
    await waitFor(() => client.events().find((e) => e.jobId === b.id), 'the other job event');
    expect(client.events()).toEqual([event]);
    client.close();
  });
});
