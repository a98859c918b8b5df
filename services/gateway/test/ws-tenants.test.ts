import { describe, expect, it } from 'vitest';
import { type Authenticate, keyPrincipal } from '@docprocessor/db';
import { advance, insertJob, isSnapshot, publish, TestClient, useGateway, waitFor } from './helper.js';

/** Two keys of two tenants, as `npm run keys` would make them. */
const authenticate: Authenticate = async (key) =>
  key === 'key-acme'
    ? keyPrincipal('acme', 'a', 'a', 'importer')
    : key === 'key-default'
      ? keyPrincipal('default', 'd', 'd', 'importer')
      : null;

const started = useGateway('tenants', { authenticate });

describe('tenants', () => {
  it('an event reaches only the clients of the tenant in its Tenant-Id header', async () => {
    const acme = await TestClient.open(started.gateway.wsUrl, { 'x-api-key': 'key-acme' });
    const plain = await TestClient.open(`${started.gateway.wsUrl}?apiKey=key-default`, {});
    const acmeJob = await insertJob(started.backends.db, { tenantId: 'acme' });
    const defaultJob = await insertJob(started.backends.db);

    const forAcme = await publish(started.backends.bus, 'created', acmeJob, 'acme');
    const forDefault = await publish(started.backends.bus, 'created', defaultJob, 'default');
    const forNobody = await publish(started.backends.bus, 'created', advance(acmeJob, {}), 'globex');
    // The last event of each tenant marks the end of what each client can ever get.
    const lastAcme = await publish(started.backends.bus, 'started', advance(acmeJob, { status: 'processing' }, 2000), 'acme');
    const lastDefault = await publish(started.backends.bus, 'started', advance(defaultJob, { status: 'processing' }), 'default');
    await waitFor(() => acme.events().length === 2 || undefined, 'acme events');
    await waitFor(() => plain.events().length === 2 || undefined, 'default events');
    expect(acme.events()).toEqual([forAcme, lastAcme]);
    expect(plain.events()).toEqual([forDefault, lastDefault]);
    expect([...acme.events(), ...plain.events()]).not.toContainEqual(forNobody);
    acme.close();
    plain.close();
  });

  it('an event without Tenant-Id belongs to the default tenant', async () => {
    const acme = await TestClient.open(started.gateway.wsUrl, { 'x-api-key': 'key-acme' });
    const plain = await TestClient.open(started.gateway.wsUrl, { 'x-api-key': 'key-default' });
    const job = await insertJob(started.backends.db);
    const event = { type: 'created', jobId: job.id, at: new Date().toISOString(), job };
    started.backends.bus.nc.publish(`${started.backends.bus.names.subjectPrefix}.${job.id}.created`, JSON.stringify(event));
    await waitFor(() => plain.events().length === 1 || undefined, 'the default client to get it');
    const marker = await publish(started.backends.bus, 'created', await insertJob(started.backends.db, { tenantId: 'acme' }), 'acme');
    await waitFor(() => acme.events().length === 1 || undefined, 'the acme marker');
    expect(acme.events()).toEqual([marker]);
    acme.close();
    plain.close();
  });

  it('snapshots hold only the tenant’s own jobs, and one foreign job id answers []', async () => {
    const foreign = await insertJob(started.backends.db, { tenantId: 'default' });
    const acme = await TestClient.open(started.gateway.wsUrl, { 'x-api-key': 'key-acme' });
    acme.send({ op: 'subscribe' });
    acme.send({ op: 'subscribe', jobId: foreign.id });
    const all = await acme.next(isSnapshot, 'the all snapshot');
    const one = await acme.next(isSnapshot, 'the one-job snapshot', 2);
    expect(all.jobs.length).toBeGreaterThan(0);
    const acmeIds = await started.backends.db.sql<{ id: string }[]>`select id from import_jobs where tenant_id = 'acme'`;
    expect(new Set(all.jobs.map((j) => j.id))).toEqual(new Set(acmeIds.map((r) => r.id)));
    expect(one.jobs).toEqual([]);
    acme.close();
  });
});
