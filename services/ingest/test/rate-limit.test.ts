import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, build, contactsCsv, upload, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build({ UPLOAD_RATE_LIMIT_PER_MINUTE: '2' });
});
afterAll(() => h.close());

describe('per-key upload rate limit', () => {
  it('answers 429 with Retry-After past the limit, and leaves reads alone', async () => {
    expect((await upload(h, contactsCsv(1))).statusCode).toBe(202);
    expect((await upload(h, contactsCsv(1))).statusCode).toBe(202);
    const refused = await upload(h, contactsCsv(1));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('Too many uploads') } });
    const list = await h.app.inject({ method: 'GET', url: '/api/imports', headers: { 'x-api-key': API_KEY } });
    expect(list.statusCode).toBe(200);
  });

  it('answers a repeated Idempotency-Key with its job even past the limit, without counting it', async () => {
    const limited = await build({ UPLOAD_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const headers = { 'idempotency-key': 'nightly-2026-11-29' };
      const first = await upload(limited, contactsCsv(1), {}, headers);
      expect(first.statusCode).toBe(202);
      expect((await upload(limited, contactsCsv(1))).statusCode).toBe(202);
      const again = await upload(limited, contactsCsv(1), {}, headers);
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(first.json().id);
      expect((await upload(limited, contactsCsv(1))).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
