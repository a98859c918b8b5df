import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '@docprocessor/db';
import { build, type Harness } from './helper.js';
import { asBrowser, HOST, ORIGIN, PASSWORD, personWithSession, sessionTokenOf, signIn } from './people-support.js';

let h: Harness;
const me = (headers: Record<string, string>) => h.app.inject({ method: 'GET', url: '/api/me', headers });
const sessionRow = async (token: string) =>
  (await h.ctx.db.sql`select * from user_sessions where token_hash = ${hashToken(token)} or previous_token_hash = ${hashToken(token)}`)[0];

beforeAll(async () => {
  h = await build({ SIGN_IN_MAX_FAILURES: '3', SIGN_IN_MAX_FAILURES_PER_ADDRESS: '8' });
});
afterAll(async () => h?.close());

describe('browser sessions', () => {
  it('signs in with a cookie that is HttpOnly, SameSite=Lax, for the whole site, and answers /api/me with it', async () => {
    await personWithSession(h, { tenantId: 'acme', email: 'Ann@Example.com', role: 'admin' });
    const response = await signIn(h, ' ANN@example.com ');
    expect(response.statusCode).toBe(204);
    const cookie = response.cookies.find((c) => c.name === 'dp_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect((await me(asBrowser(cookie!.value))).json()).toEqual({
      email: 'ann@example.com',
      tenant: 'acme',
      role: 'admin',
      via: 'session',
      actor: 'ann@example.com',
    });
  });

  it('marks the cookie Secure when the gateway was reached over HTTPS', async () => {
    const response = await signIn(h, 'ann@example.com', PASSWORD, { 'x-forwarded-proto': 'https', origin: `https://${HOST}` });
    expect(response.statusCode).toBe(204);
    expect(response.cookies.find((c) => c.name === 'dp_session')?.secure).toBe(true);
  });

  it('answers a wrong password and an unknown account alike: 401, same message', async () => {
    await personWithSession(h, { tenantId: 'acme', email: 'bob@example.com', role: 'viewer' });
    const wrong = await signIn(h, 'bob@example.com', 'not the password');
    const unknown = await signIn(h, 'nobody@example.com', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(sessionTokenOf(wrong)).toBeUndefined();
  });

  it('signs out: the session ends on the server, the cookie is cleared, /api/me is 401 again', async () => {
    const token = await personWithSession(h, { tenantId: 'acme', email: 'carol@example.com', role: 'importer' });
    const out = await h.app.inject({ method: 'DELETE', url: '/api/session', headers: asBrowser(token) });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'dp_session')?.value).toBe('');
    expect((await me(asBrowser(token))).statusCode).toBe(401);
    expect((await sessionRow(token))?.ended_at).not.toBeNull();
  });

  it('ends a session idle for longer than SESSION_IDLE_MINUTES, and any session past SESSION_MAX_HOURS', async () => {
    const idle = await personWithSession(h, { tenantId: 'acme', email: 'idle@example.com', role: 'viewer' });
    expect((await me(asBrowser(idle))).statusCode).toBe(200);
    await h.ctx.db.sql`update user_sessions set last_seen_at = now() - interval '61 minutes' where token_hash = ${hashToken(idle)}`;
    expect((await me(asBrowser(idle))).statusCode).toBe(401);

    const old = await personWithSession(h, { tenantId: 'acme', email: 'old@example.com', role: 'viewer' });
    await h.ctx.db.sql`update user_sessions set expires_at = now() - interval '1 second' where token_hash = ${hashToken(old)}`;
    const refused = await me(asBrowser(old));
    expect(refused.statusCode).toBe(401);
    expect(refused.cookies.find((c) => c.name === 'dp_session')?.value).toBe('');
  });

  it('rotates the token after SESSION_ROTATE_MINUTES; the old one works for a grace minute, then not', async () => {
    const first = await personWithSession(h, { tenantId: 'acme', email: 'rota@example.com', role: 'viewer' });
    await h.ctx.db.sql`update user_sessions set rotated_at = now() - interval '16 minutes' where token_hash = ${hashToken(first)}`;
    const rotating = await me(asBrowser(first));
    expect(rotating.statusCode).toBe(200);
    const second = sessionTokenOf(rotating);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await me(asBrowser(first))).statusCode).toBe(200);
    expect(sessionTokenOf(await me(asBrowser(first)))).toBeUndefined();
    await h.ctx.db
      .sql`update user_sessions set previous_valid_until = now() - interval '1 second' where token_hash = ${hashToken(second!)}`;
    expect((await me(asBrowser(first))).statusCode).toBe(401);
    expect((await me(asBrowser(second!))).json()).toMatchObject({ email: 'rota@example.com' });
  });

  it('signs out every session of a disabled account at once', async () => {
    const token = await personWithSession(h, { tenantId: 'acme', email: 'gone@example.com', role: 'admin' });
    await h.ctx.db.sql`update users set disabled_at = now() where email = 'gone@example.com'`;
    expect((await me(asBrowser(token))).statusCode).toBe(401);
    expect((await signIn(h, 'gone@example.com')).statusCode).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a change signed in by cookie without the Origin of the one origin, and lets reads through', async () => {
    const token = await personWithSession(h, { tenantId: 'acme', email: 'csrf@example.com', role: 'importer' });
    const cancel = (origin: string | null) =>
      h.app.inject({ method: 'POST', url: '/api/imports/00000000-0000-4000-8000-000000000009/cancel', headers: asBrowser(token, origin) });
    for (const origin of [null, 'http://evil.test', 'null', `${ORIGIN}:8080`]) {
      const refused = await cancel(origin);
      expect(refused.statusCode, String(origin)).toBe(403);
      expect(refused.json().error.code).toBe('forbidden');
    }
    expect((await cancel(ORIGIN)).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/api/imports', headers: asBrowser(token, null) })).statusCode).toBe(200);
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    await personWithSession(h, { tenantId: 'acme', email: 'login-csrf@example.com', role: 'viewer' });
    const refused = await signIn(h, 'login-csrf@example.com', PASSWORD, { origin: 'http://evil.test' });
    expect(refused.statusCode).toBe(403);
    expect(sessionTokenOf(refused)).toBeUndefined();
  });

  it('does not ask API keys for an Origin: scripts send none', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/imports/00000000-0000-4000-8000-000000000009/cancel',
      headers: { 'x-api-key': 'test-key' },
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('sign-in limits', () => {
  it('refuses an email after SIGN_IN_MAX_FAILURES failures, even with the right password, and an unknown email alike', async () => {
    await personWithSession(h, { tenantId: 'acme', email: 'target@example.com', role: 'admin' });
    const from = { 'x-forwarded-for': '192.0.2.10' };
    for (let i = 0; i < 3; i++) expect((await signIn(h, 'target@example.com', `guess ${i}`, from)).statusCode).toBe(401);
    const limited = await signIn(h, 'target@example.com', PASSWORD, from);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('900');
    expect(sessionTokenOf(limited)).toBeUndefined();
    // From another address too: the limit is the account's, not the address's.
    expect((await signIn(h, 'target@example.com', PASSWORD, { 'x-forwarded-for': '192.0.2.11' })).statusCode).toBe(429);

    for (let i = 0; i < 3; i++) expect((await signIn(h, 'ghost@example.com', `guess ${i}`, from)).statusCode).toBe(401);
    const ghost = await signIn(h, 'ghost@example.com', 'guess 4', from);
    expect(ghost.statusCode).toBe(429);
    expect(ghost.json()).toEqual(limited.json());
  });

  it('refuses an address after SIGN_IN_MAX_FAILURES_PER_ADDRESS failures across emails', async () => {
    await personWithSession(h, { tenantId: 'acme', email: 'other@example.com', role: 'admin' });
    // The gateway forwards the client's address (X-Forwarded-For from loopback is trusted): limits count by it.
    const from = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 8; i++) expect((await signIn(h, `spray${i}@example.com`, 'guess', from)).statusCode).toBe(401);
    const limited = await signIn(h, 'other@example.com', PASSWORD, from);
    expect((await signIn(h, 'other@example.com', PASSWORD, { 'x-forwarded-for': '198.51.100.2' })).statusCode).toBe(204);
    expect(limited.statusCode).toBe(429);
  });
});
