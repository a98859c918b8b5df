import { describe, expect, it } from 'vitest';
import { createDbClient } from '@docprocessor/db';
import { insertJob, isError, isSnapshot, publish, startGateway, TestClient, useGateway, waitFor } from './helper.js';

const started = useGateway('frames');

describe('frames a client should not send', () => {
  it('answer an invalid_request error frame each, and the connection stays open and useful', async () => {
    const client = await TestClient.open(started.gateway.wsUrl);
    const bad = ['not json', '{"op":"unsubscribe"}', '[]', '42', '{"op":"subscribe","jobId":7}', '{"op":"subscribe","jobId":""}'];
    for (const frame of bad) client.send(frame);
    client.socket.send(Buffer.from('{"nope":1}'), { binary: true });
    await client.next(isError, 'every error frame', bad.length + 1);
    for (const frame of client.frames)
      expect(frame).toEqual({ type: 'error', error: { code: 'invalid_request', message: expect.any(String) } });

    client.send({ op: 'subscribe' });
    await client.next(isSnapshot, 'a snapshot after the errors');
    const event = await publish(started.backends.bus, 'created', await insertJob(started.backends.db));
    await waitFor(() => client.events()[0], 'a live event');
    expect(client.events()).toEqual([event]);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });

  it('answers a WebSocket ping with a pong', async () => {
    const client = await TestClient.open(started.gateway.wsUrl);
    const pong = new Promise<string>((resolve) => client.socket.once('pong', (data) => resolve(String(data))));
    client.socket.ping('are you there');
    expect(await pong).toBe('are you there');
    client.close();
  });
});

describe('a database that is down', () => {
  it('turns a subscribe into a service_unavailable error frame; the socket and live events keep working', async () => {
    const deadDb = createDbClient('postgres://postgres@127.0.0.1:1/nowhere', { max: 1 });
    const downGateway = await startGateway(started.backends, { db: deadDb });
    const client = await TestClient.open(downGateway.wsUrl);
    client.send({ op: 'subscribe' });
    const error = await client.next(isError, 'the error frame');
    expect(error).toEqual({ type: 'error', error: { code: 'service_unavailable', message: expect.any(String) } });
    const event = await publish(started.backends.bus, 'created', await insertJob(started.backends.db));
    await waitFor(() => client.events()[0], 'a live event');
    expect(client.events()).toEqual([event]);
    expect((await fetch(`${downGateway.origin}/gateway/health`)).status).toBe(200);
    client.close();
    await downGateway.app.close();
    await deadDb.close();
  });
});
