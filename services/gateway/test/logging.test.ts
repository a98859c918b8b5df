import { keyPrincipal } from '@docprocessor/db';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedUpgrade, startBackends, startGateway, TestClient, type Backends, type Gateway } from './helper.js';

const SECRET = 'secret-key-0123456789';
const WRONG = 'wrong-key-9876543210';
const lines: string[] = [];
let backends: Backends;
let gateway: Gateway;

beforeAll(async () => {
  backends = await startBackends('logging');
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  gateway = await startGateway(backends, {
    env: { API_KEYS: SECRET },
    authenticate: async (key) => (key === SECRET ? keyPrincipal('default', 'k', 'k', 'importer') : null),
    logger: pino({ level: 'trace' }, sink),
  });
});
afterAll(async () => {
  await gateway.app.close();
  await backends.close();
});

describe('logs', () => {
  it('never contain an API key, from the header or from ?apiKey=', async () => {
    const client = await TestClient.open(`${gateway.wsUrl}?apiKey=${SECRET}`, {});
    client.send({ op: 'subscribe' });
    await client.next((f): f is never => f.type === 'snapshot', 'the snapshot');
    client.close();
    expect((await refusedUpgrade(`${gateway.wsUrl}?apiKey=${WRONG}`)).status).toBe(401);
    expect((await refusedUpgrade(gateway.wsUrl, { 'x-api-key': WRONG })).status).toBe(401);
    await fetch(`${gateway.origin}/api/imports?apiKey=${SECRET}`, { headers: { 'x-api-key': SECRET } });
    await fetch(`${gateway.origin}/nowhere?apiKey=${SECRET}`);

    const text = lines.join('');
    expect(text).toContain('"path":"/ws"');
    expect(text).toContain('"path":"/api/imports"');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(WRONG);
    expect(text).not.toMatch(/apiKey=\w/);
  });
});
