import { describe, expect, it } from 'vitest';
import { API_KEY, refusedUpgrade, TestClient, useGateway } from './helper.js';

const started = useGateway('auth');

describe('/ws authentication', () => {
  it('refuses the upgrade with 401 and the error body when the key is missing', async () => {
    const refused = await refusedUpgrade(started.gateway.wsUrl);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('refuses a wrong key in the header', async () => {
    expect((await refusedUpgrade(started.gateway.wsUrl, { 'x-api-key': 'nope' })).status).toBe(401);
  });

  it('refuses a wrong key in the query', async () => {
    expect((await refusedUpgrade(`${started.gateway.wsUrl}?apiKey=nope`)).status).toBe(401);
  });

  it('accepts the key in the X-API-Key header', async () => {
    const client = await TestClient.open(started.gateway.wsUrl);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });

  it('accepts the key as ?apiKey= (browsers cannot set headers)', async () => {
    const client = await TestClient.open(`${started.gateway.wsUrl}?apiKey=${API_KEY}`, {});
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });

  it('answers a plain GET /ws with a JSON error, 401 first without a key', async () => {
    const anonymous = await fetch(`${started.gateway.origin}/ws`);
    expect(anonymous.status).toBe(401);
    const plain = await fetch(`${started.gateway.origin}/ws`, { headers: { 'x-api-key': API_KEY } });
    expect(plain.status).toBe(400);
    expect(await plain.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
