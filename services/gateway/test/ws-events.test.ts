import { describe, expect, it } from 'vitest';
import { EventType } from '@docprocessor/contracts';
import { advance, insertJob, publish, TestClient, useGateway, waitFor } from './helper.js';

const started = useGateway('events');

describe('/ws live events', () => {
  it('sends every event of the tenant, without subscribing, as exactly the published JSON', async () => {
    const client = await TestClient.open(started.gateway.wsUrl);
    const raw: string[] = [];
    client.socket.on('message', (data) => raw.push(String(data)));
    const job = await insertJob(started.backends.db);
    const published = [];
    for (const [i, type] of EventType.options.entries()) {
      published.push(await publish(started.backends.bus, type, advance(job, { processedRows: i * 10 }, i * 1000)));
    }
    await waitFor(() => raw.length >= published.length || undefined, 'every event');
    expect(raw.map((text) => JSON.parse(text))).toEqual(published);
    expect(Object.keys(JSON.parse(raw[0] ?? '{}')).sort()).toEqual(['at', 'job', 'jobId', 'type']);
    client.close();
  });

  it('gives every connected client the same events', async () => {
    const [a, b] = await Promise.all([TestClient.open(started.gateway.wsUrl), TestClient.open(started.gateway.wsUrl)]);
    const job = await insertJob(started.backends.db);
    const event = await publish(started.backends.bus, 'created', job);
    for (const client of [a, b]) await waitFor(() => client.events().find((e) => e.jobId === job.id), 'the event on each client');
    expect(a.events()).toEqual([event]);
    expect(b.events()).toEqual([event]);
    a.close();
    b.close();
  });

  it('drops messages on the events subject that are not valid events, and keeps going', async () => {
    const client = await TestClient.open(started.gateway.wsUrl);
    started.backends.bus.nc.publish(`${started.backends.bus.names.subjectPrefix}.x.progress`, 'not json');
    started.backends.bus.nc.publish(
      `${started.backends.bus.names.subjectPrefix}.y.progress`,
      JSON.stringify({ type: 'progress', jobId: 'y' }),
    );
    const job = await insertJob(started.backends.db);
    await publish(started.backends.bus, 'started', job);
    await waitFor(() => client.events().find((e) => e.jobId === job.id), 'the valid event');
    expect(client.frames).toHaveLength(1);
    client.close();
  });
});
