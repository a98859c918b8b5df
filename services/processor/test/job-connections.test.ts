import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import postgres from 'postgres';
import { createDbClient, type DbClient } from '@docprocessor/db';
import { createTestDatabase, type TestDatabase } from '@docprocessor/db/testing';
import { withJobConnections } from '../src/job-connections.js';

let testDb: TestDatabase;
let pool: DbClient;
let db: DbClient;
let admin: postgres.Sql;

beforeAll(async () => {
  testDb = await createTestDatabase('jobconn');
  pool = createDbClient(testDb.url, { max: 2, applicationName: 'jobconn-pool' });
  db = withJobConnections(pool, testDb.url, 'jobconn-job');
  admin = postgres(testDb.url, { max: 1, onnotice: () => undefined });
});
afterAll(async () => {
  await admin?.end();
  await pool?.close();
  await testDb?.drop();
});

/** As PostgreSQL does to every client when it restarts. */
const cutJobConnections = () => admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'jobconn-job'`;

function copyRows(conn: Awaited<ReturnType<DbClient['sql']['reserve']>>, lines: string): Promise<void> {
  return conn
    .unsafe('copy staging (n) from stdin')
    .writable()
    .then(
      (stream) =>
        new Promise<void>((resolve, reject) => {
          stream.once('error', reject);
          stream.once('finish', resolve);
          stream.end(lines);
        }),
    );
}

describe("a job's own connection", () => {
  it('takes queries with value and identifier fragments, as the fenced lifecycle functions write them', async () => {
    const conn = await db.sql.reserve();
    try {
      const [row] = await conn`select ${conn('n')} from (values (1), (2)) as v (n) where n in ${conn([2, 3])}`;
      expect(row).toEqual({ n: 2 });
    } finally {
      conn.release();
    }
  });

  it('is one session for the job: temp tables, pipelined transactions and COPY work as on a reserved connection', async () => {
    const conn = await db.sql.reserve();
    try {
      await conn.unsafe('create temp table staging (n int) on commit delete rows');
      const begun = conn.unsafe('begin').execute();
      await copyRows(conn, '1\n2\n3\n');
      await begun;
      const [row] = await conn<[{ n: number }]>`select count(*)::int as n from staging`;
      await conn.unsafe('commit');
      expect(row.n).toBe(3);
    } finally {
      conn.release();
    }
  });

  it('fails a COPY in flight and every later query at once when the connection dies, and the process lives on', async () => {
    const conn = await db.sql.reserve();
    try {
      await conn.unsafe('create temp table staging (n int)');
      const stream = await conn.unsafe('copy staging (n) from stdin').writable();
      const copied = new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.once('finish', resolve);
      });
      stream.write('1\n');
      await cutJobConnections();
      await expect(copied).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
      await expect(conn.unsafe('rollback')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
      await expect(conn`select 1`).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
      await expect(conn.unsafe('begin').execute()).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    } finally {
      conn.release();
    }
    // A few event-loop turns: postgres.js would throw from a timer here if anything was still written.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await pool.sql`select 1 as one`).toEqual([{ one: 1 }]);
    const next = await db.sql.reserve();
    try {
      expect(await next`select 2 as two`).toEqual([{ two: 2 }]);
    } finally {
      next.release();
    }
  });

  it('settles a statement pipelined behind one that the dying connection broke', async () => {
    const conn = await db.sql.reserve();
    try {
      const slow = conn`select pg_sleep(5)`;
      const behind = conn`select 1`;
      const both = Promise.allSettled([slow, behind]);
      // Cut only once the server runs the sleep, so both statements were sent on this connection before it dies.
      const sleeping = () =>
        admin`select 1 from pg_stat_activity
              where application_name = 'jobconn-job' and state = 'active' and query like 'select pg_sleep%'`;
      await vi.waitFor(async () => expect(await sleeping()).toHaveLength(1), { timeout: 10_000, interval: 20 });
      await cutJobConnections();
      const [first, second] = await both;
      expect(first.status).toBe('rejected');
      expect(second.status).toBe('rejected');
      await expect(conn.unsafe('rollback')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    } finally {
      conn.release();
    }
  });
});
