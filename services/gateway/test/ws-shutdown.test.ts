import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_RECONNECT } from '@docprocessor/contracts';
import { startBackends, startGateway, TestClient, type Backends } from './helper.js';

let backends: Backends;

beforeAll(async () => {
  backends = await startBackends('shutdown');
});
afterAll(async () => {
  await backends.close();
});

describe('closing the gateway', () => {
  it('tells every client to reconnect with 1012, even one that stopped reading', async () => {
    const gateway = await startGateway(backends);
    const clients = await Promise.all([TestClient.open(gateway.wsUrl), TestClient.open(`${gateway.wsUrl}?apiKey=test-key`, {})]);
    clients[0]?.send({ op: 'subscribe' });
    const stuck = await TestClient.open(gateway.wsUrl);
    (stuck.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    await gateway.app.close();
    for (const client of clients) expect(await client.closed).toEqual({ code: CLOSE_RECONNECT, reason: 'server restarting, reconnect' });
    // The one that does not answer the closing handshake is cut after a short grace (close() above returned);
    // once it reads again it finds the same goodbye.
    (stuck.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await stuck.closed).code).toBe(CLOSE_RECONNECT);
    const refused = await fetch(`${gateway.origin}/gateway/health`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');
  });

  it('unsubscribes from the events subject', async () => {
    // nats.js keeps no public count of subscriptions; its protocol handler does.
    const subscriptions = () =>
      (backends.bus.nc as unknown as { protocol: { subscriptions: { size(): number } } }).protocol.subscriptions.size();
    const before = subscriptions();
    const gateway = await startGateway(backends);
    expect(subscriptions()).toBe(before + 1);
    await gateway.app.close();
    expect(subscriptions()).toBe(before);
  });
});
