import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSO_CALLBACK_PATH, SSO_FAILED_LOCATION, SSO_START_PATH } from '@docprocessor/contracts';
import { createUser, disableUser } from '@docprocessor/db';
import { CookieBrowser, type Hop } from './cookie-browser.js';
import { build, type Harness } from './helper.js';
import { CLIENT_ID, CLIENT_SECRET, type LocalOidcProvider, type ProviderPerson, startLocalOidcProvider } from './local-oidc-provider.js';

let provider: LocalOidcProvider;
let h: Harness;
let app: string;

beforeAll(async () => {
  provider = await startLocalOidcProvider();
  h = await build({
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_LABEL: 'Corp login',
    OIDC_EMAIL_DOMAINS: 'corp.test, @Other.Corp.Test',
    OIDC_DEFAULT_ROLE: 'importer',
    OIDC_TENANT: 'corp',
  });
  // A real port, not inject: the flow is a chain of redirects between two servers.
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  app = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  provider.start(`${app}${SSO_CALLBACK_PATH}`);
});
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

/** Where the chain landed on the app outside /api (the UI): `/` or `/?signin=failed`. */
const isLanding = (next: URL) => next.origin === app && !next.pathname.startsWith('/api/');
const landing = (hops: Hop[]) => {
  const last = hops.at(-1)?.location;
  return last ? `${last.pathname}${last.search}` : null;
};

/** A new browser clicks "Sign in with …" and the provider vouches for `person`. */
async function signInAtProvider(person: ProviderPerson): Promise<{ browser: CookieBrowser; hops: Hop[] }> {
  provider.signInAs(person);
  const browser = new CookieBrowser();
  return { browser, hops: await browser.navigate(`${app}${SSO_START_PATH}`, isLanding) };
}

const me = async (browser: CookieBrowser) => {
  const response = await browser.get(`${app}/api/me`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const userRows = (email: string) => h.ctx.db.sql<{ id: string; tenant_id: string; role: string; password_hash: string | null }[]>`
  select id, tenant_id, role, password_hash from users where email = ${email}`;
const auditRows = (actor: string) => h.ctx.db.sql<
  { action: string; outcome: string; actor_kind: string; tenant_id: string | null; detail: unknown }[]
>`
  select action, outcome, actor_kind, tenant_id, detail from audit_log where actor = ${actor} or target = ${`user:${actor}`} order by id`;

describe('single sign-on against a local OpenID provider', () => {
  it('offers the button with its label and start URL', async () => {
    const options = await h.app.inject({ url: '/api/session/options' });
    expect(options.json().sso).toEqual({ label: 'Corp login', url: SSO_START_PATH });
  });

  it('sends the browser to the provider with PKCE, state and nonce, and a signed HttpOnly flow cookie', async () => {
    const start = await new CookieBrowser().get(`${app}${SSO_START_PATH}`);
    expect(start.status).toBe(302);
    const to = new URL(start.headers.get('location') ?? '');
    expect(to.origin).toBe(provider.issuer);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: `${app}${SSO_CALLBACK_PATH}`,
      response_type: 'code',
      code_challenge_method: 'S256',
    });
    for (const name of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(name)).toMatch(/^[\w-]{20,}$/);
    const cookie = start.headers.getSetCookie().find((line) => line.startsWith('dp_oidc='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/api\/session\/oidc/);
    expect(cookie).not.toContain(to.searchParams.get('state') ?? 'no state');
  });

  it('creates the account at a first sign-in (default role and tenant, no password) and starts a session /api/me accepts', async () => {
    const { browser, hops } = await signInAtProvider({ email: 'Dana@Corp.test', emailVerified: true });
    expect(landing(hops)).toBe('/');
    expect(hops.some((hop) => hop.url.pathname === SSO_CALLBACK_PATH && hop.status === 302)).toBe(true);
    expect(browser.cookie(app, 'dp_oidc')).toBeUndefined();
    expect(await me(browser)).toEqual({
      status: 200,
      body: { email: 'dana@corp.test', tenant: 'corp', role: 'importer', via: 'session', actor: 'dana@corp.test' },
    });
    const [user] = await userRows('dana@corp.test');
    expect(user).toMatchObject({ tenant_id: 'corp', role: 'importer', password_hash: null });
    expect(await auditRows('dana@corp.test')).toEqual([
      { action: 'user.create', outcome: 'ok', actor_kind: 'user', tenant_id: 'corp', detail: { role: 'importer', via: 'sso' } },
      { action: 'session.sign_in', outcome: 'ok', actor_kind: 'user', tenant_id: 'corp', detail: { via: 'sso' } },
    ]);
  });

  it('reuses the account at the next sign-in: a new session, no second account', async () => {
    const first = await signInAtProvider({ email: 'eli@other.corp.test', emailVerified: true });
    const second = await signInAtProvider({ email: 'eli@other.corp.test', emailVerified: true });
    expect(landing(second.hops)).toBe('/');
    expect(second.browser.cookie(app, 'dp_session')).not.toBe(first.browser.cookie(app, 'dp_session'));
    expect((await me(second.browser)).body).toMatchObject({ email: 'eli@other.corp.test', role: 'importer' });
    expect(await userRows('eli@other.corp.test')).toHaveLength(1);
    const entries = await auditRows('eli@other.corp.test');
    expect(entries.map((e) => `${e.action} ${e.outcome}`)).toEqual(['user.create ok', 'session.sign_in ok', 'session.sign_in ok']);
  });

  it('signs in an account made beforehand whatever its domain, with its own role and tenant', async () => {
    await createUser(h.ctx.db, { tenantId: 'acme', email: 'fay@partner.test', role: 'admin', password: 'a long enough password' });
    const { browser, hops } = await signInAtProvider({ email: 'fay@partner.test', emailVerified: true });
    expect(landing(hops)).toBe('/');
    expect((await me(browser)).body).toMatchObject({ email: 'fay@partner.test', tenant: 'acme', role: 'admin' });
  });

  it('refuses an email outside OIDC_EMAIL_DOMAINS: back to the sign-in page, no account, no session, a refused entry', async () => {
    const { browser, hops } = await signInAtProvider({ email: 'gus@elsewhere.test', emailVerified: true });
    expect(landing(hops)).toBe(SSO_FAILED_LOCATION);
    expect(browser.cookie(app, 'dp_session')).toBeUndefined();
    expect((await me(browser)).status).toBe(401);
    expect(await userRows('gus@elsewhere.test')).toEqual([]);
    expect(await auditRows('gus@elsewhere.test')).toEqual([
      {
        action: 'session.sign_in',
        outcome: 'refused',
        actor_kind: 'anonymous',
        tenant_id: null,
        detail: { code: 'unknown_domain', via: 'sso' },
      },
    ]);
  });

  it('refuses a disabled account, recording the refusal in its tenant', async () => {
    await createUser(h.ctx.db, { tenantId: 'corp', email: 'hal@corp.test', role: 'viewer', password: 'a long enough password' });
    await disableUser(h.ctx.db, 'hal@corp.test');
    const { browser, hops } = await signInAtProvider({ email: 'hal@corp.test', emailVerified: true });
    expect(landing(hops)).toBe(SSO_FAILED_LOCATION);
    expect(browser.cookie(app, 'dp_session')).toBeUndefined();
    expect((await auditRows('hal@corp.test')).at(-1)).toMatchObject({
      action: 'session.sign_in',
      outcome: 'refused',
      tenant_id: 'corp',
      detail: { code: 'account_disabled', via: 'sso' },
    });
  });

  it('refuses an email the provider says is not verified, and creates nothing', async () => {
    const { browser, hops } = await signInAtProvider({ email: 'ivy@corp.test', emailVerified: false });
    expect(landing(hops)).toBe(SSO_FAILED_LOCATION);
    expect(browser.cookie(app, 'dp_session')).toBeUndefined();
    expect(await userRows('ivy@corp.test')).toEqual([]);
  });

  it('refuses a callback whose state was tampered with, before any code is exchanged', async () => {
    provider.signInAs({ email: 'jo@corp.test', emailVerified: true });
    const browser = new CookieBrowser();
    const toCallback = await browser.navigate(`${app}${SSO_START_PATH}`, (next) => next.pathname === SSO_CALLBACK_PATH);
    const callback = toCallback.at(-1)?.location;
    expect(callback?.pathname).toBe(SSO_CALLBACK_PATH);
    callback!.searchParams.set('state', `${callback!.searchParams.get('state')}x`);
    const hops = await browser.navigate(callback!, isLanding);
    expect(landing(hops)).toBe(SSO_FAILED_LOCATION);
    expect(browser.cookie(app, 'dp_session')).toBeUndefined();
    expect(await userRows('jo@corp.test')).toEqual([]);
    const [refusal] = await h.ctx.db.sql<{ detail: unknown }[]>`
      select detail from audit_log where action = 'session.sign_in' and outcome = 'refused' and detail->>'code' = 'invalid_state'`;
    expect(refusal?.detail).toEqual({ code: 'invalid_state', via: 'sso' });
  });

  it('refuses a callback without the flow cookie of the browser that started it (login CSRF)', async () => {
    provider.signInAs({ email: 'kim@corp.test', emailVerified: true });
    const attacker = new CookieBrowser();
    const toCallback = await attacker.navigate(`${app}${SSO_START_PATH}`, (next) => next.pathname === SSO_CALLBACK_PATH);
    const victim = new CookieBrowser();
    const hops = await victim.navigate(toCallback.at(-1)!.location!, isLanding);
    expect(landing(hops)).toBe(SSO_FAILED_LOCATION);
    expect(victim.cookie(app, 'dp_session')).toBeUndefined();
  });
});

describe('single sign-on when OIDC_ISSUER is not set', () => {
  it('offers no button, and its routes answer 404', async () => {
    const plain = await build();
    try {
      expect((await plain.app.inject({ url: '/api/session/options' })).json().sso).toBeNull();
      for (const url of [SSO_START_PATH, `${SSO_CALLBACK_PATH}?code=x&state=y`]) {
        const response = await plain.app.inject({ url });
        expect(response.statusCode).toBe(404);
        expect(response.json().error.code).toBe('not_found');
      }
    } finally {
      await plain.close();
    }
  });
});
