import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, type ApiRoute, ROLES, type Role, roleAllows } from '@docprocessor/contracts';
import { createApiKey } from '@docprocessor/db';
import { build, contactsCsv, multipart, type Harness } from './helper.js';
import { asBrowser, personWithSession } from './people-support.js';

let h: Harness;
const keys = new Map<Role, string>();
const sessions = new Map<Role, string>();

beforeAll(async () => {
  h = await build();
  for (const role of ROLES) {
    keys.set(role, (await createApiKey(h.ctx.db.db, { tenantId: 'roles', name: `${role} key`, role })).key);
    sessions.set(role, await personWithSession(h, { tenantId: 'roles', email: `${role}@roles.test`, role }));
  }
});
afterAll(async () => h?.close());

const NO_SUCH_JOB = '00000000-0000-4000-8000-00000000beef';
const urlOf = (route: ApiRoute) => route.path.replace('{id}', NO_SUCH_JOB).replace('{name}', 'nosuch');
const guarded = API_ROUTES.filter((route) => route.access !== 'open');

function call(route: ApiRoute, headers: Record<string, string>) {
  const body = route.method === 'get' || route.method === 'delete' ? {} : { payload: {} };
  return h.app.inject({ method: route.method.toUpperCase() as 'GET', url: urlOf(route), headers, ...body });
}

describe('every route against every role', () => {
  const cases = guarded.flatMap((route) => ROLES.map((role) => [`${route.method.toUpperCase()} ${route.path}`, role, route] as const));

  it.each(cases)('%s as %s, by key and by session', async (_name, role, route) => {
    for (const [via, headers] of [
      ['key', { 'x-api-key': keys.get(role)! }],
      ['session', asBrowser(sessions.get(role)!)],
    ] as const) {
      const response = await call(route, headers);
      if (roleAllows(role, route.access as Role)) expect([401, 403], `${via}: ${response.body}`).not.toContain(response.statusCode);
      else {
        expect(response.statusCode, `${via}: ${response.body}`).toBe(403);
        expect(response.json().error.code).toBe('forbidden');
      }
    }
  });

  it('refuses every guarded route without a key or a session', async () => {
    for (const route of guarded) expect((await call(route, {})).statusCode, route.path).toBe(401);
  });

  it('records a refused action with its actor and the reason', async () => {
    const cancel = guarded.find((route) => route.audit === 'import.cancel')!;
    expect((await call(cancel, asBrowser(sessions.get('viewer')!))).statusCode).toBe(403);
    const [entry] = await h.ctx.db.sql`
      select actor, action, target, outcome, detail from audit_log where actor = 'viewer@roles.test' and action = 'import.cancel'`;
    expect(entry).toEqual({
      actor: 'viewer@roles.test',
      action: 'import.cancel',
      target: `job:${NO_SUCH_JOB}`,
      outcome: 'refused',
      detail: { code: 'forbidden', status: 403 },
    });
  });

  it('lets only an admin make a template by uploading with template=auto; an importer may use one made before', async () => {
    const uploadAuto = (role: Role) => {
      const body = multipart({ content: contactsCsv(2) }, { template: 'auto', table: 'auto_people' });
      return h.app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: body.payload,
        headers: { ...body.headers, 'x-api-key': keys.get(role)! },
      });
    };
    const refused = await uploadAuto('importer');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/needs the admin role/);
    expect((await uploadAuto('admin')).statusCode).toBe(202);
    expect((await uploadAuto('importer')).statusCode).toBe(202);
  });
});
