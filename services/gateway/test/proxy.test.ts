import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, startBackends, startGateway, type Backends, type Gateway } from './helper.js';

let backends: Backends;
let upstream: FastifyInstance;
let gateway: Gateway;
/** Resolved by the upstream when the first bytes of a body arrive. */
let firstBytes: () => void = () => {};

/** A stand-in for ingest: echoes what reached it, and hashes bodies as they stream in. */
async function startUpstream(): Promise<FastifyInstance> {
  const app = Fastify();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  app.get('/api/echo', async (request) => ({ url: request.url, headers: request.headers }));
  app.get('/api/missing', async (_request, reply) => reply.code(404).send({ error: { code: 'not_found', message: 'no such job' } }));
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4').send('ingest_up 1\n'));
  app.post('/api/imports', async (request, reply) => {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of request.body as Readable) {
      if (bytes === 0) firstBytes();
      bytes += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
    return reply.code(202).send({
      bytes,
      sha256: hash.digest('hex'),
      apiKey: request.headers['x-api-key'],
      idempotencyKey: request.headers['idempotency-key'],
      contentType: request.headers['content-type'],
      forwardedFor: request.headers['x-forwarded-for'],
    });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

beforeAll(async () => {
  backends = await startBackends('proxy');
  upstream = await startUpstream();
  const { port } = upstream.server.address() as AddressInfo;
  gateway = await startGateway(backends, { env: { INGEST_URL: `http://127.0.0.1:${port}` } });
});
afterAll(async () => {
  await gateway.app.close();
  await upstream.close();
  await backends.close();
});

describe('/api/* and /metrics go to ingest', () => {
  it('keeps the path, the query and the headers', async () => {
    const response = await fetch(`${gateway.origin}/api/echo?status=pending&limit=5`, {
      headers: { 'x-api-key': API_KEY, 'x-request-id': 'r-1' },
    });
    expect(response.status).toBe(200);
    const echoed = (await response.json()) as { url: string; headers: Record<string, string> };
    expect(echoed.url).toBe('/api/echo?status=pending&limit=5');
    expect(echoed.headers['x-api-key']).toBe(API_KEY);
    expect(echoed.headers['x-request-id']).toBe('r-1');
  });

  it('passes upstream answers through, errors included', async () => {
    const response = await fetch(`${gateway.origin}/api/missing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'no such job' } });
  });

  it('proxies /metrics', async () => {
    const response = await fetch(`${gateway.origin}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ingest_up 1\n');
  });

  it('streams a multipart upload through as it arrives, with X-API-Key and Idempotency-Key intact', async () => {
    const boundary = `----gw${randomUUID()}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    );
    const chunks = Array.from({ length: 24 }, () => randomBytes(1024 * 1024));
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const expected = createHash('sha256');
    for (const part of [head, ...chunks, tail]) expected.update(part);
    const arrived = new Promise<void>((resolve) => (firstBytes = resolve));

    const answer = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest(`${gateway.origin}/api/imports`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-api-key': API_KEY, 'idempotency-key': 'upload-1' },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.write(head);
      req.write(chunks[0]);
      // The rest is written only once ingest has the first bytes: a gateway that buffered bodies would never get there.
      void arrived.then(() => {
        for (const chunk of chunks.slice(1)) req.write(chunk);
        req.end(tail);
      });
    });
    const { status, body } = await answer;
    expect(status).toBe(202);
    expect(body).toMatchObject({
      bytes: head.length + 24 * 1024 * 1024 + tail.length,
      sha256: expected.digest('hex'),
      apiKey: API_KEY,
      idempotencyKey: 'upload-1',
      contentType: `multipart/form-data; boundary=${boundary}`,
    });
    expect(body.forwardedFor).toBe('127.0.0.1');
  });

  it('takes an upload sent with Expect: 100-continue, as curl does for large files', async () => {
    const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nid\n1\n\r\n--b--\r\n');
    const { status, json } = await new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest(`${gateway.origin}/api/imports`, {
        method: 'POST',
        headers: {
          'content-type': 'multipart/form-data; boundary=b',
          'content-length': body.length,
          expect: '100-continue',
          'x-api-key': API_KEY,
        },
      });
      req.on('continue', () => req.end(body));
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      });
      req.on('error', reject);
    });
    expect(status).toBe(202);
    expect(json).toMatchObject({ bytes: body.length, apiKey: API_KEY });
  });

  it('serves its own health and metrics under /gateway', async () => {
    expect(await (await fetch(`${gateway.origin}/gateway/health`)).json()).toEqual({ status: 'ok' });
    const metrics = await (await fetch(`${gateway.origin}/gateway/metrics`)).text();
    for (const name of ['ws_clients', 'ws_frames_sent_total', 'ws_frames_coalesced_total', 'ws_slow_client_disconnects_total'])
      expect(metrics).toContain(`docprocessor_gateway_${name}`);
  });
});
