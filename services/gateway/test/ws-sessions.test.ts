import { describe, expect, it } from 'vitest';
import { CLOSE_KEY_REVOKED, ROLES, SESSION_COOKIE } from '@docprocessor/contracts';
import { createUser, endSession, startSession } from '@docprocessor/db';
import { insertJob, isSnapshot, publish, refusedUpgrade, TestClient, useGateway, waitFor } from './helper.js';

const started = useGateway('sessions');

const settings = { idleMinutes: 60, maxHours: 12, rotateMinutes: 15 };

/** A signed-in browser of a person of `role` in tenant `people`: the token its cookie carries. */
async function browserOf(role: (typeof ROLES)[number]): Promise<string> {
  const user = await createUser(started.backends.db, { tenantId: 'people', email: `${role}-${Date.now()}@ws.test`, role });
  return (await startSession(started.backends.db.sql, user.id, settings)).token;
}

const asBrowser = (token: string, origin = started.gateway.origin) => ({ cookie: `${SESSION_COOKIE}=${token}`, origin });

describe('/ws with a browser session', () => {
  it.each(ROLES)('lets a %s watch their tenant live, by the session cookie alone', async (role) => {
    const client = await TestClient.open(started.gateway.wsUrl, asBrowser(await browserOf(role)));
    client.send({ op: 'subscribe' });
    await client.next(isSnapshot, 'snapshot');
    const job = await insertJob(started.backends.db, { tenantId: 'people' });
    const event = await publish(started.backends.bus, 'created', job, 'people');
    await waitFor(() => client.events().find((e) => e.jobId === event.jobId), 'the tenant event');
    client.close();
  });

  it('refuses a socket opened by cookie from another origin, or without one (cross-site WebSocket hijacking)', async () => {
    const token = await browserOf('admin');
    expect((await refusedUpgrade(started.gateway.wsUrl, asBrowser(token, 'http://evil.test'))).status).toBe(403);
    expect((await refusedUpgrade(started.gateway.wsUrl, { cookie: `${SESSION_COOKIE}=${token}` })).status).toBe(403);
    expect((await refusedUpgrade(started.gateway.wsUrl, asBrowser('not-a-token'))).status).toBe(401);
  });

  it('closes the socket within seconds once its session ends (sign-out elsewhere, disable, expiry)', async () => {
    const token = await browserOf('viewer');
    const client = await TestClient.open(started.gateway.wsUrl, asBrowser(token));
    client.send({ op: 'subscribe' });
    await client.next(isSnapshot, 'snapshot');
    await endSession(started.backends.db.sql, token);
    const closed = await client.closed;
    expect(closed.code).toBe(CLOSE_KEY_REVOKED);
    expect(client.frames.some((f) => f.type === 'error' && f.error.code === 'unauthorized')).toBe(true);
  });
});
