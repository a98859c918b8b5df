import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFaultStack } from './support/fault-stack.js';
import { sleep } from './support/wait.js';

// A job whose connection dies mid-COPY is retried at once; the watchdog is only the last resort here.
const t = useFaultStack({ label: 'database-outage', rows: 200_000, env: { MAX_DELIVER: '5', RETRY_BACKOFF_MS: '1000' } });

/** A connection to the server's `postgres` database, to cut and refuse the processors' connections as a restart would. */
let admin: postgres.Sql;
let database: string;

const REFUSED = 'not currently accepting connections';

/** Terminates the processors' backends (those matching `extra`), as PostgreSQL does to every client when it restarts. */
async function cutProcessorConnections(extra = admin`true`): Promise<number> {
  const cut = await admin`
    select pg_terminate_backend(pid) from pg_stat_activity
    where datname = ${database} and application_name = 'processor' and ${extra}`;
  return cut.length;
}

beforeAll(() => {
  const url = new URL(t.stack.databaseUrl);
  database = url.pathname.slice(1);
  url.pathname = '/postgres';
  admin = postgres(url.toString(), { max: 1, onnotice: () => undefined });
});

afterAll(async () => {
  if (admin && database) await admin`alter database ${admin(database)} with allow_connections true`.catch(() => undefined);
  await admin?.end({ timeout: 5 });
});

describe('PostgreSQL going away under a running import', () => {
  it('connections cut three times mid-import: each attempt resumes at its checkpoint and the result is exact', async () => {
    await t.db.sql`truncate contacts`;
    const job = await t.upload();
    for (const share of [0.2, 0.45, 0.7]) {
      await t.progressAt(job.id, share);
      expect(await cutProcessorConnections()).toBeGreaterThan(0);
    }
    const done = await t.db.waitForFinal(job.id, 60_000);
    await t.expectExactImport(job.id);
    expect(done.attempt).toBeGreaterThanOrEqual(2);
    expect(t.liveProcessors()).toHaveLength(1);
  });

  it('the database refusing every connection for a few seconds: the worker keeps retrying with backoff and completes exactly', async () => {
    await t.db.sql`truncate contacts`;
    const job = await t.upload();
    await t.progressAt(job.id, 0.3);
    await admin`alter database ${admin(database)} with allow_connections false`;
    try {
      await cutProcessorConnections();
      // Refused for at least 3 s, and until the worker has really been turned away once (its retry may come later).
      await sleep(3000);
      for (let waited = 0; waited < 30_000 && !t.stack.logs('processor').includes(REFUSED); waited += 250) await sleep(250);
    } finally {
      await admin`alter database ${admin(database)} with allow_connections true`;
    }
    const done = await t.db.waitForFinal(job.id, 60_000);
    await t.expectExactImport(job.id);
    expect(done.attempt).toBeGreaterThanOrEqual(2);
    expect(t.stack.logs('processor')).toContain(REFUSED);
    expect(t.liveProcessors()).toHaveLength(1);
  });

  it('connections cut on every attempt: after MAX_DELIVER tries the job fails as infrastructure, keeping what it committed', async () => {
    await t.db.sql`truncate contacts`;
    const job = await t.upload();
    // Only connections busy with the table are cut, so the worker can still claim, fail and give the job up.
    let cuts = 0;
    let stop = false;
    const cutter = (async () => {
      while (!stop) {
        cuts += await cutProcessorConnections(admin`state <> 'idle' and query ilike '%contacts%'`);
        await sleep(20);
      }
    })();
    let failed: Awaited<ReturnType<typeof t.db.waitForFinal>>;
    try {
      failed = await t.db.waitForFinal(job.id, 60_000);
    } finally {
      stop = true;
      await cutter;
    }
    expect(failed).toMatchObject({ status: 'failed', attempt: 5, error: { kind: 'infrastructure', code: 'database_unavailable' } });
    expect(failed.error!.message).toMatch(/Gave up after 5 attempts/);
    expect(cuts).toBeGreaterThanOrEqual(5);
    expect(failed.processedRows).toBeLessThan(t.file.rows);
    const left = await t.db.footprint(job.id);
    expect(left).toMatchObject({ rows: failed.successRows, errors: failed.failedRows, tableRows: failed.successRows });
    // The give-up commits the failure, then sends the dead letter, then the event: after the event, the letter is there.
    expect((await t.events.untilFinal(job.id)).at(-1)).toMatchObject({ type: 'failed', job: { error: { kind: 'infrastructure' } } });
    const [letter] = (await t.bus.deadLetters()).filter((l) => l.jobId === job.id);
    expect(letter).toMatchObject({ reason: 'delivery_limit', deliveryCount: 5 });
    expect(t.liveProcessors()).toHaveLength(1);
  });
});
