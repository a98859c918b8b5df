import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../src/stack.js';
import {
  api,
  contactsFile,
  deadLetters,
  EventLog,
  expectExactImport,
  killProcessors,
  liveProcessors,
  PrivateNats,
  replayEvents,
  scratchDir,
  startProcessors,
  TestDb,
  upload,
  waitFor,
  type ContactsFile,
  keepLogs,
} from './fault-helper.js';

/** The acceptance run. 600k rows in 500-row batches take a few seconds undisturbed on 2 cores. */
const ROWS = 600_000;
const PROCESSORS = 2;
const ENV = { PROCESSOR_BATCH_ROWS: '500', ACK_WAIT_MS: '3000', LOG_LEVEL: 'info' };

let nats: PrivateNats;
let stack: Stack;
let db: TestDb;
let events: EventLog;
let dir: Awaited<ReturnType<typeof scratchDir>>;
let file: ContactsFile;

beforeAll(async () => {
  dir = await scratchDir('accept');
  file = await contactsFile(dir.path, ROWS, 0.01);
  // A NATS server of this file's own: restarting the shared one would disturb every other test.
  nats = await PrivateNats.start();
  stack = await Stack.start({ label: 'accept', natsUrl: nats.url, env: ENV, processors: PROCESSORS });
  await stack.processorsReady();
  db = TestDb.open(stack.databaseUrl);
  events = await EventLog.open([nats.url], stack.names);
});

afterAll(async () => {
  await keepLogs(stack, 'nats-restart');
  await events?.close();
  await db?.close();
  await stack?.stop();
  await nats?.destroy();
  await dir?.remove();
});

describe('the acceptance run', () => {
  it(`a ${ROWS.toLocaleString('en-US')}-row import survives two SIGKILLs of every processor and a NATS restart, and ends exact`, async () => {
    const started = Date.now();
    const job = await upload(stack, file.path);
    const reached = (share: number) => events.on((e) => e.jobId === job.id && e.type === 'progress' && e.job.processedRows >= share * ROWS);
    const marks: string[] = [];

    await reached(0.2);
    expect(liveProcessors(stack)).toHaveLength(PROCESSORS);
    marks.push(`kill ${await killProcessors(stack)} at ${(await db.job(job.id)).processedRows}`);
    await startProcessors(stack, PROCESSORS);

    await reached(0.45);
    marks.push(`NATS down at ${(await db.job(job.id)).processedRows}`);
    await nats.stop();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await nats.start();
    marks.push(`NATS up at ${(await db.job(job.id)).processedRows}`);

    // Asked of the database, not the events: this test's own subscription may still be reconnecting after the
    // restart, and the rest of the file takes well under a second, so an event could arrive after the last row.
    await waitFor(async () => (await db.job(job.id)).processedRows >= 0.7 * ROWS, 'the job to pass 70% of its rows', 60_000);
    // Every processor lived through the NATS restart; now each is killed a second time.
    expect(liveProcessors(stack)).toHaveLength(PROCESSORS);
    marks.push(`kill ${await killProcessors(stack)} at ${(await db.job(job.id)).processedRows}`);
    await startProcessors(stack, PROCESSORS);

    const done = await db.waitForFinal(job.id, 120_000);
    const seconds = (Date.now() - started) / 1000;
    const live = await events.untilFinal(job.id);
    const replayed = await replayEvents([nats.url], stack.names, job.id);
    await expectExactImport(db, job.id, file, { live, replayed });
    expect(done.attempt).toBeGreaterThanOrEqual(3);
    // The second kill came at or after 70% of the rows, so the last run resumed at a checkpoint no earlier than that.
    expect(done.resumedFromRow).toBeGreaterThanOrEqual(0.7 * ROWS);
    // No work item was given up on the way.
    expect(await deadLetters([nats.url], stack.names)).toEqual([]);
    expect((await api(stack, 'GET', `/api/imports/${job.id}`)).body).toMatchObject({ status: 'completed', processedRows: ROWS, attempt: done.attempt });
    console.info(
      `acceptance: ${ROWS} rows (${file.invalid} invalid) completed in ${seconds.toFixed(1)} s, attempt ${done.attempt}, resumed after row ${done.resumedFromRow}; ${marks.join('; ')}; ${replayed.length} events in the stream`,
    );
  });
});
