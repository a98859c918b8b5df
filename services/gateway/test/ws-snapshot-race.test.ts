import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient, type DbClient } from '@docprocessor/db';
import {
  advance,
  copyJob,
  insertJob,
  isSnapshot,
  publish,
  startBackends,
  startGateway,
  TestClient,
  waitFor,
  type Backends,
  type Gateway,
} from './helper.js';

let backends: Backends;
let gatewayDb: DbClient;
let gateway: Gateway;

beforeAll(async () => {
  backends = await startBackends('race');
  // The gateway's own pool, named, so the test can see its snapshot query wait on a lock.
  gatewayDb = createDbClient(backends.dbUrl, { max: 2, applicationName: 'gw-race-subject' });
  gateway = await startGateway(backends, { db: gatewayDb });
});
afterAll(async () => {
  await gateway.app.close();
  await gatewayDb.close();
  await backends.close();
});

const waitingSnapshotQueries = async (): Promise<number> => {
  const [row] = await backends.db.sql<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity where application_name = 'gw-race-subject' and wait_event_type = 'Lock'`;
  return row?.n ?? 0;
};

describe('events that happen while the snapshot is read', () => {
  it('are sent after it when newer, and dropped when the snapshot already holds them or newer', async () => {
    const t0 = Date.parse('2025-05-01T10:00:00Z');
    const seed = { status: 'processing' as const, processedRows: 200, createdAt: new Date(t0), updatedAt: new Date(t0 + 2000) };
    const job = await insertJob(backends.db, seed);
    const moving = await insertJob(backends.db, seed);
    const unknown = copyJob(job, { createdAt: new Date(t0 + 5000).toISOString() });
    const witness = await TestClient.open(gateway.wsUrl);
    const subject = await TestClient.open(gateway.wsUrl);

    // Hold the snapshot query on a table lock while events go by.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const locked = new Promise<void>((resolve, reject) => {
      backends.db.sql
        .begin(async (tx) => {
          await tx`lock table import_jobs in access exclusive mode`;
          resolve();
          await held;
        })
        .catch(reject);
    });
    await locked;
    subject.send({ op: 'subscribe' });
    await waitFor(async () => (await waitingSnapshotQueries()) > 0, 'the snapshot query to wait on the lock');

    // `job` only gets events the snapshot already covers; `moving` gets an older one, then a newer one.
    const older = await publish(backends.bus, 'progress', advance(job, { processedRows: 100 }, -1000));
    const same = await publish(backends.bus, 'progress', job);
    const movingOld = await publish(backends.bus, 'progress', advance(moving, { processedRows: 150 }, -500));
    const newer = await publish(backends.bus, 'progress', advance(moving, { processedRows: 300 }, 1000));
    const absent = await publish(backends.bus, 'started', unknown);
    const stale = await publish(backends.bus, 'progress', advance(moving, { processedRows: 250 }, 500));
    // The fan-out hands an event to every client in one pass, so once the witness has the last one,
    // the subject has been offered all of them.
    await waitFor(() => witness.events().length === 6 || undefined, 'the witness to get every event');
    expect(subject.frames).toEqual([]);
    release();

    const snapshot = await subject.next(isSnapshot, 'the snapshot');
    expect(snapshot.jobs.map((j) => j.id).sort()).toEqual([job.id, moving.id].sort());
    await waitFor(() => subject.events().length >= 2 || undefined, 'the newer events');
    expect(subject.frames[0]).toBe(snapshot);
    expect(subject.events()).toEqual([newer, absent]);
    for (const dropped of [older, same, movingOld, stale]) expect(subject.events()).not.toContainEqual(dropped);

    // Live delivery goes on normally afterwards.
    const after = await publish(backends.bus, 'completed', advance(job, { status: 'completed', processedRows: 400 }, 5000));
    await waitFor(() => subject.events().length === 3 || undefined, 'the next live event');
    expect(subject.events()[2]).toEqual(after);
    witness.close();
    subject.close();
  });
});
