import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack, stopProcess } from '../src/stack.js';
import {
  contactsFile,
  EventLog,
  expectExactImport,
  holderOf,
  liveProcessors,
  replayEvents,
  scratchDir,
  TestDb,
  upload,
  type ContactsFile,
  keepLogs,
} from './fault-helper.js';

// A lease far longer than the test's patience: the job can only move on if it is handed back on purpose.
const ENV = { PROCESSOR_BATCH_ROWS: '500', ACK_WAIT_MS: '120000', WATCHDOG_STALL_MS: '600000', LOG_LEVEL: 'info' };

let stack: Stack;
let db: TestDb;
let events: EventLog;
let dir: Awaited<ReturnType<typeof scratchDir>>;
let file: ContactsFile;

beforeAll(async () => {
  dir = await scratchDir('sigterm');
  file = await contactsFile(dir.path, 200_000, 0.01);
  stack = await Stack.start({ label: 'sigterm', env: ENV, processors: 2 });
  await stack.processorsReady();
  db = TestDb.open(stack.databaseUrl);
  events = await EventLog.open(stack.env.NATS_URL!.split(','), stack.names);
});

afterAll(async () => {
  await keepLogs(stack, 'graceful-shutdown');
  await events?.close();
  await db?.close();
  await stack?.stop();
  await dir?.remove();
});

describe('SIGTERM to the processor running a job', () => {
  it('stops it at a batch boundary and hands the job back; the other processor resumes at once and finishes it exactly', async () => {
    const job = await upload(stack, file.path);
    await events.on((e) => e.jobId === job.id && e.type === 'progress' && e.job.processedRows >= 0.3 * file.rows);
    const first = holderOf(stack, job.id)!;
    expect(first).toBeDefined();
    await stopProcess(first.child, 'SIGTERM', 30_000);
    expect(first.child.exitCode).toBe(0);
    expect(first.logs.join('')).toContain('job handed back at its last checkpoint');
    const handedBackAt = await db.job(job.id);

    // Well inside the 120 s lease: only the hand-back (cleared heartbeat + nak) can have moved the job on.
    const done = await db.waitForFinal(job.id, 60_000);
    const live = await events.untilFinal(job.id);
    const replayed = await replayEvents(stack.env.NATS_URL!.split(','), stack.names, job.id);
    await expectExactImport(db, job.id, file, { live, replayed });
    expect(done.attempt).toBe(2);
    expect(done.resumedFromRow).toBeGreaterThanOrEqual(0.3 * file.rows);
    expect(done.resumedFromRow).toBeLessThanOrEqual(handedBackAt.processedRows);
    expect(done.resumedFromRow! % 500).toBe(0);
    expect(holderOf(stack, job.id)).toBe(liveProcessors(stack)[0]);
  });
});
