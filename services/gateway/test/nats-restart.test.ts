import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, ensureTopology, type Bus } from '@docprocessor/bus';
import { uniqueBusNames } from '@docprocessor/bus/testing';
import type { Job } from '@docprocessor/contracts';
import { createDbClient, type DbClient } from '@docprocessor/db';
import { createTestDatabase, type TestDatabase } from '@docprocessor/db/testing';
import { copyJob, insertJob, publish, startGateway, TestClient, waitFor, type Backends, type Gateway } from './helper.js';

/** Restarting the shared NATS would disturb everyone else, so this file runs a private server (skipped without the binary). */
const natsServer = (() => {
  try {
    return execFileSync('which', ['nats-server']).toString().trim() || null;
  } catch {
    return null;
  }
})();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let port = 0;
let storeDir = '';
let server: ChildProcess | null = null;
let testDb: TestDatabase;
let db: DbClient;
let bus: Bus;
let gateway: Gateway;
let base: Job;

async function startNats(): Promise<void> {
  server = spawn(natsServer as string, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
  await waitFor(async () => {
    const probe = createServer();
    const inUse = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(true));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
    });
    return inUse || undefined;
  }, 'nats-server to listen');
}

async function stopNats(): Promise<void> {
  const running = server;
  server = null;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await exited;
}

describe.skipIf(!natsServer)('NATS going away and coming back', () => {
  beforeAll(async () => {
    port = await freePort();
    storeDir = await mkdtemp(join(tmpdir(), 'gw-nats-'));
    await startNats();
    testDb = await createTestDatabase('gw_natsrestart');
    db = createDbClient(testDb.url, { max: 2 });
    bus = await connectBus({
      servers: [`nats://127.0.0.1:${port}`],
      names: uniqueBusNames('gwrestart'),
      connectionName: 'gw-restart-test',
    });
    await ensureTopology(bus);
    const backends: Backends = { dbUrl: testDb.url, db, bus, close: async () => {} };
    gateway = await startGateway(backends);
    base = await insertJob(db);
  });
  afterAll(async () => {
    await gateway?.app.close();
    await bus?.close();
    await db?.close();
    await stopNats();
    await testDb?.drop();
    await rm(storeDir, { recursive: true, force: true });
  });

  it('keeps the sockets open, and live events flow again once the client has reconnected', async () => {
    const client = await TestClient.open(gateway.wsUrl);
    const before = await publish(bus, 'created', base);
    await waitFor(() => client.events()[0], 'an event before the restart');
    expect(client.events()).toEqual([before]);

    await stopNats();
    await sleep(300);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect((await fetch(`${gateway.origin}/gateway/health`)).status).toBe(200);
    await startNats();

    // The gateway's subscription comes back with the connection; publish until one arrives (core publishes:
    // a JetStream publish made while the connection is still down would wait for its ack; no header = default tenant).
    const job = copyJob(base);
    const event = { type: 'progress', jobId: job.id, at: new Date().toISOString(), job };
    await waitFor(
      async () => {
        if (!bus.nc.isClosed()) bus.nc.publish(`${bus.names.subjectPrefix}.${job.id}.progress`, JSON.stringify(event));
        await sleep(100);
        return client.events().some((e) => e.jobId === job.id) || undefined;
      },
      'an event after the restart',
      20_000,
    );
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });
});
