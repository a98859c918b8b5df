import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../src/stack.js';
import {
  contactsFile,
  deadLetters,
  EventLog,
  expectExactImport,
  keepLogs,
  liveProcessors,
  removeDeadLetterStream,
  replayEvents,
  scratchDir,
  TestDb,
  upload,
  type ContactsFile,
} from './fault-helper.js';

// A job whose connection dies mid-COPY is retried at once; the watchdog is only the last resort here.
const ENV = { PROCESSOR_BATCH_ROWS: '500', ACK_WAIT_MS: '3000', MAX_DELIVER: '5', RETRY_BACKOFF_MS: '1000', LOG_LEVEL: 'info' };

let stack: Stack;
let db: TestDb;
/** A connection to the server's `postgres` database, to cut and refuse the processors' connections as a restart would. */
let admin: postgres.Sql;
let database: string;
let events: EventLog;
let dir: Awaited<ReturnType<typeof scratchDir>>;
let file: ContactsFile;

const servers = () => stack.env.NATS_URL!.split(',');
const REFUSED = 'not currently accepting connections';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Terminates the processors' backends (those matching `extra`), as PostgreSQL does to every client when it restarts. */
async function cutProcessorConnections(extra = admin`true`): Promise<number> {
  const cut = await admin`
    select pg_terminate_backend(pid) from pg_stat_activity
    where datname = ${database} and application_name = 'processor' and ${extra}`;
  return cut.length;
}

beforeAll(async () => {
  dir = await scratchDir('pgdown');
  file = await contactsFile(dir.path, 200_000, 0.01);
  stack = await Stack.start({ label: 'pgdown', env: ENV, processors: 1 });
  await stack.processorsReady();
  db = TestDb.open(stack.databaseUrl);
  const url = new URL(stack.databaseUrl);
  database = url.pathname.slice(1);
  url.pathname = '/postgres';
  admin = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  events = await EventLog.open(servers(), stack.names);
});

afterAll(async () => {
  await keepLogs(stack, 'database-outage');
  if (admin && database) await admin`alter database ${admin(database)} with allow_connections true`.catch(() => undefined);
  await admin?.end({ timeout: 5 });
  await events?.close();
  await db?.close();
  if (stack) await removeDeadLetterStream(servers(), stack.names);
  await stack?.stop();
  await dir?.remove();
});

describe('PostgreSQL going away under a running import', () => {
  it('connections cut three times mid-import: each attempt resumes at its checkpoint and the result is exact', async () => {
    await db.sql`truncate contacts`;
    const job = await upload(stack, file.path);
    for (const share of [0.2, 0.45, 0.7]) {
      await events.on((e) => e.jobId === job.id && e.type === 'progress' && e.job.processedRows >= share * file.rows);
      expect(await cutProcessorConnections()).toBeGreaterThan(0);
    }
    const done = await db.waitForFinal(job.id, 60_000);
    await expectExactImport(db, job.id, file, { live: await events.untilFinal(job.id), replayed: await replayEvents(servers(), stack.names, job.id) });
    expect(done.attempt).toBeGreaterThanOrEqual(2);
    expect(liveProcessors(stack)).toHaveLength(1);
  });

  it('the database refusing every connection for a few seconds: the worker keeps retrying with backoff and completes exactly', async () => {
    await db.sql`truncate contacts`;
    const job = await upload(stack, file.path);
    await events.on((e) => e.jobId === job.id && e.type === 'progress' && e.job.processedRows >= 0.3 * file.rows);
    await admin`alter database ${admin(database)} with allow_connections false`;
    try {
      await cutProcessorConnections();
      // Refused for at least 3 s, and until the worker has really been turned away once (its retry may come later).
      await sleep(3000);
      for (let waited = 0; waited < 30_000 && !stack.logs('processor').includes(REFUSED); waited += 250) await sleep(250);
    } finally {
      await admin`alter database ${admin(database)} with allow_connections true`;
    }
    const done = await db.waitForFinal(job.id, 60_000);
    await expectExactImport(db, job.id, file, { live: await events.untilFinal(job.id), replayed: await replayEvents(servers(), stack.names, job.id) });
    expect(done.attempt).toBeGreaterThanOrEqual(2);
    expect(stack.logs('processor')).toContain(REFUSED);
    expect(liveProcessors(stack)).toHaveLength(1);
  });

  it('connections cut on every attempt: after MAX_DELIVER tries the job fails as infrastructure, keeping what it committed', async () => {
    await db.sql`truncate contacts`;
    const job = await upload(stack, file.path);
    // Only connections busy with the table are cut, so the worker can still claim, fail and give the job up.
    let cuts = 0;
    let stop = false;
    const cutter = (async () => {
      while (!stop) {
        cuts += await cutProcessorConnections(admin`state <> 'idle' and query ilike '%contacts%'`);
        await sleep(20);
      }
    })();
    let failed;
    try {
      failed = await db.waitForFinal(job.id, 60_000);
    } finally {
      stop = true;
      await cutter;
    }
    expect(failed).toMatchObject({ status: 'failed', attempt: 5, error: { kind: 'infrastructure', code: 'database_unavailable' } });
    expect(failed.error!.message).toMatch(/Gave up after 5 attempts/);
    expect(cuts).toBeGreaterThanOrEqual(5);
    expect(failed.processedRows).toBeLessThan(file.rows);
    expect(await db.footprint(job.id)).toMatchObject({ rows: failed.successRows, errors: failed.failedRows, tableRows: failed.successRows });
    const [letter] = (await deadLetters(servers(), stack.names)).filter((l) => l.jobId === job.id);
    expect(letter).toMatchObject({ reason: 'delivery_limit', deliveryCount: 5 });
    expect((await events.untilFinal(job.id)).at(-1)).toMatchObject({ type: 'failed', job: { error: { kind: 'infrastructure' } } });
    expect(liveProcessors(stack)).toHaveLength(1);
  });
});
