import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencyErrorCode } from '@docprocessor/contracts';
import { createTestDatabase, type TestDatabase } from '@docprocessor/db/testing';
import { TEST_NATS_SERVERS } from '@docprocessor/bus/testing';

/** The error a promise rejects with (the test fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('deperrors');
});
afterAll(() => database.drop());

describe('dependencyErrorCode reads the errors the libraries really raise', () => {
  it('PostgreSQL away, refusing sessions or cutting them: database_unavailable; a refused statement: not', {
    timeout: 30_000,
  }, async () => {
    const nobody = postgres('postgres://postgres@127.0.0.1:1/postgres', { max: 1, connect_timeout: 2 });
    expect(dependencyErrorCode(await rejection(nobody`select 1`))).toBe('database_unavailable');
    await nobody.end({ timeout: 1 });

    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    expect(dependencyErrorCode(await rejection(sql`select * from no_such_table`))).toBeNull();
    expect(dependencyErrorCode(await rejection(sql`select 1/0`))).toBeNull();
    const [{ pid } = { pid: 0 }] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    // Another database of the same server: a session cannot close its own database to connections.
    const admin = postgres(Object.assign(new URL(database.url), { pathname: '/postgres' }).toString(), { max: 1, onnotice: () => {} });
    const cut = rejection(sql`select pg_sleep(10)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin`select pg_terminate_backend(${pid})`;
    expect(dependencyErrorCode(await cut)).toBe('database_unavailable');
    await sql.end({ timeout: 1 });

    await admin.unsafe(`alter database "${database.name}" allow_connections false`);
    const refused = postgres(database.url, { max: 1 });
    expect(dependencyErrorCode(await rejection(refused`select 1`))).toBe('database_unavailable');
    await refused.end({ timeout: 1 });
    await admin.unsafe(`alter database "${database.name}" allow_connections true`);
    await admin.end({ timeout: 1 });
  });

  it('NATS away, not answering or closed: nats_unavailable', async () => {
    expect(dependencyErrorCode(await rejection(connect({ servers: '127.0.0.1:1', reconnect: false })))).toBe('nats_unavailable');
    const nc = await connect({ servers: TEST_NATS_SERVERS });
    expect(dependencyErrorCode(await rejection(nc.request('dp.nobody.listens', '', { timeout: 500 })))).toBe('nats_unavailable');
    expect(dependencyErrorCode(await rejection(jetstream(nc).publish('dp.no.stream.here', 'x', { timeout: 500 })))).toBe(
      'nats_unavailable',
    );
    expect(dependencyErrorCode(await rejection(jetstreamManager(nc).then((jsm) => jsm.streams.info('DP_NO_SUCH_STREAM'))))).toBe(
      'nats_unavailable',
    );
    await nc.close();
    expect(dependencyErrorCode(await rejection(jetstream(nc).publish('dp.closed', 'x')))).toBe('nats_unavailable');
  });

  it('anything else is not a dependency being away, unless it was caused by one', () => {
    expect(dependencyErrorCode(new TypeError('Cannot read properties of undefined'))).toBeNull();
    expect(dependencyErrorCode(null)).toBeNull();
    const cause = Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' });
    expect(dependencyErrorCode(new Error('batch failed', { cause }))).toBe('database_unavailable');
  });
});
