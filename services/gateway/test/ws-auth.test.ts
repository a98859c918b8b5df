import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, refusedUpgrade, startBackends, startGateway, TestClient, type Backends, type Gateway } from './helper.js';

let backends: Backends;
let gateway: Gateway;

beforeAll(async () => {
  backends = await startBackends('auth');
  gateway = await startGateway(backends);
});
afterAll(async () => {
  await gateway.app.close();
  await backends.close();
});

describe('/ws authentication', () => {
  it('refuses the upgrade with 401 and the error body when the key is missing', async () => {
    const refused = await refusedUpgrade(gateway.wsUrl);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('refuses a wrong key in the header', async () => {
    expect((await refusedUpgrade(gateway.wsUrl, { 'x-api-key': 'nope' })).status).toBe(401);
  });

  it('refuses a wrong key in the query', async () => {
    expect((await refusedUpgrade(`${gateway.wsUrl}?apiKey=nope`)).status).toBe(401);
  });

  it('accepts the key in the X-API-Key header', async () => {
    const client = await TestClient.open(gateway.wsUrl);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });

  it('accepts the key as ?apiKey= (browsers cannot set headers)', async () => {
    const client = await TestClient.open(`${gateway.wsUrl}?apiKey=${API_KEY}`, {});
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });

  it('answers a plain GET /ws with a JSON error, 401 first without a key', async () => {
    const anonymous = await fetch(`${gateway.origin}/ws`);
    expect(anonymous.status).toBe(401);
    const plain = await fetch(`${gateway.origin}/ws`, { headers: { 'x-api-key': API_KEY } });
    expect(plain.status).toBe(400);
    expect(await plain.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
