import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, startBackends, startGateway, type Backends, type Gateway } from './helper.js';

let backends: Backends;
let gateway: Gateway;

/** A port nothing listens on any more. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  backends = await startBackends('down');
  gateway = await startGateway(backends, { env: { INGEST_URL: `http://127.0.0.1:${await closedPort()}` } });
});
afterAll(async () => {
  await gateway.app.close();
  await backends.close();
});

const unavailable = { error: { code: 'service_unavailable', message: expect.any(String) } };

describe('ingest is down', () => {
  it('answers 503 service_unavailable to API reads', async () => {
    const response = await fetch(`${gateway.origin}/api/imports`, { headers: { 'x-api-key': API_KEY } });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual(unavailable);
  });

  it('answers 503 to an upload, and to /metrics', async () => {
    const upload = await fetch(`${gateway.origin}/api/imports`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nid\n1\r\n--x--\r\n',
    });
    expect(upload.status).toBe(503);
    expect(await upload.json()).toEqual(unavailable);
    expect((await fetch(`${gateway.origin}/metrics`)).status).toBe(503);
  });

  it('keeps serving its own routes', async () => {
    expect((await fetch(`${gateway.origin}/gateway/health`)).status).toBe(200);
  });

  it('answers malformed requests of its own with the error shape, never a 500', async () => {
    for (const path of ['/gateway/%E0%A4%A', '/nope/%']) {
      const response = await fetch(`${gateway.origin}${path}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
    }
    const { port } = new URL(gateway.origin);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1.1 400 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
