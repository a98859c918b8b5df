import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditList } from '@docprocessor/contracts';
import { build, contactsCsv, multipart, type Harness } from './helper.js';
import { asBrowser, personWithSession, signIn } from './people-support.js';

let h: Harness;
let admin: string;
let importer: string;
let viewer: string;

beforeAll(async () => {
  h = await build();
  admin = await personWithSession(h, { tenantId: 'audited', email: 'ada@audited.test', role: 'admin' });
  importer = await personWithSession(h, { tenantId: 'audited', email: 'ivan@audited.test', role: 'importer' });
  viewer = await personWithSession(h, { tenantId: 'audited', email: 'vera@audited.test', role: 'viewer' });
});
afterAll(async () => h?.close());

const send = (token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: asBrowser(token), ...(payload ? { payload } : {}) });

async function uploadAs(token: string): Promise<string> {
  const body = multipart({ content: contactsCsv(2), filename: 'people.csv' });
  const { 'x-api-key': _key, ...form } = body.headers;
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/imports',
    payload: body.payload,
    headers: { ...form, ...asBrowser(token) },
  });
  expect(response.statusCode, response.body).toBe(202);
  return response.json().id as string;
}

const auditPage = async (token: string, query = '') => {
  const response = await send(token, 'GET', `/api/audit${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return AuditList.parse(response.json());
};

describe('the audit log', () => {
  it("shows who started and changed a job on the job's own list, for any role", async () => {
    const jobId = await uploadAs(importer);
    expect((await send(importer, 'POST', `/api/imports/${jobId}/cancel`)).statusCode).toBe(200);
    expect((await send(viewer, 'POST', `/api/imports/${jobId}/retry`)).statusCode).toBe(403);
    const history = AuditList.parse((await send(viewer, 'GET', `/api/imports/${jobId}/audit`)).json());
    expect(history.items.map(({ actor, action, outcome }) => `${actor} ${action} ${outcome}`)).toEqual([
      'vera@audited.test import.retry refused',
      'ivan@audited.test import.cancel ok',
      'ivan@audited.test import.create ok',
    ]);
    expect(history.items.at(-1)?.detail).toEqual({ filename: 'people.csv' });
  });

  it('records template and webhook changes with their targets, and never a webhook secret', async () => {
    const template = { name: 'suppliers', key: ['code'], columns: [{ name: 'code', type: 'string', required: true }] };
    expect((await send(admin, 'POST', '/api/templates', template)).statusCode).toBe(201);
    const change = { key: ['code'], columns: [...template.columns, { name: 'city', type: 'string' }] };
    expect((await send(admin, 'PUT', '/api/templates/suppliers', change)).statusCode).toBe(200);
    expect((await send(admin, 'DELETE', '/api/templates/suppliers')).statusCode).toBe(204);
    const hook = await send(admin, 'POST', '/api/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['completed'] });
    expect(hook.statusCode, hook.body).toBe(201);
    expect((await send(admin, 'DELETE', `/api/webhooks/${hook.json().id}`)).statusCode).toBe(204);

    const { items } = await auditPage(admin, '?limit=5');
    expect(items.map(({ action, target }) => `${action} ${target}`)).toEqual([
      `webhook.delete webhook:${hook.json().id}`,
      `webhook.create webhook:${hook.json().id}`,
      'template.delete template:suppliers',
      'template.update template:suppliers',
      'template.create template:suppliers',
    ]);
    expect(JSON.stringify(items)).not.toContain(hook.json().secret);
  });

  it('records sign-in, a failed sign-in and sign-out in the tenant of the account', async () => {
    await signIn(h, 'ada@audited.test', 'wrong password');
    const out = await personWithSession(h, { tenantId: 'audited', email: 'otto@audited.test', role: 'viewer' });
    expect((await send(out, 'DELETE', '/api/session')).statusCode).toBe(204);
    const { items } = await auditPage(admin, '?limit=4');
    expect(items.map(({ actor, action, outcome }) => `${actor} ${action} ${outcome}`)).toEqual([
      'otto@audited.test session.sign_out ok',
      'otto@audited.test session.sign_in ok',
      'cli user.create ok',
      'ada@audited.test session.sign_in refused',
    ]);
  });

  it('pages newest first with a cursor, keeps tenants apart, and is for admins only', async () => {
    const first = await auditPage(admin, '?limit=3');
    const second = await auditPage(admin, `?limit=3&cursor=${first.nextCursor}`);
    expect(first.items).toHaveLength(3);
    expect(Number(second.items[0]?.id)).toBeLessThan(Number(first.items.at(-1)?.id));
    const stranger = await personWithSession(h, { tenantId: 'elsewhere', email: 'sam@elsewhere.test', role: 'admin' });
    const theirs = await auditPage(stranger);
    expect(theirs.items.every((entry) => !entry.actor.endsWith('@audited.test'))).toBe(true);
    expect((await send(importer, 'GET', '/api/audit')).statusCode).toBe(403);
    expect((await send(admin, 'GET', '/api/audit?cursor=abc')).statusCode).toBe(400);
  });
});
