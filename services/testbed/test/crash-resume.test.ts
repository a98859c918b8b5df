import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack, stopProcess } from '../src/stack.js';
import {
  contactsFile,
  EventLog,
  expectExactImport,
  holderOf,
  killProcessors,
  liveProcessors,
  replayEvents,
  scratchDir,
  startProcessors,
  TestDb,
  upload,
  type ContactsFile,
  keepLogs,
} from './fault-helper.js';

// Small batches make a 200k-row import take a few seconds; a short ack wait makes each takeover quick.
const ENV = { PROCESSOR_BATCH_ROWS: '500', ACK_WAIT_MS: '3000', LOG_LEVEL: 'info' };

let stack: Stack;
let db: TestDb;
let events: EventLog;
let dir: Awaited<ReturnType<typeof scratchDir>>;
let file: ContactsFile;

beforeAll(async () => {
  dir = await scratchDir('crash');
  file = await contactsFile(dir.path, 200_000, 0.01);
  stack = await Stack.start({ label: 'crash', env: ENV, processors: 1 });
  await stack.processorsReady();
  db = TestDb.open(stack.databaseUrl);
  events = await EventLog.open(stack.env.NATS_URL!.split(','), stack.names);
});

afterAll(async () => {
  await keepLogs(stack, 'crash-resume');
  await events?.close();
  await db?.close();
  await stack?.stop();
  await dir?.remove();
});

describe('a processor killed with SIGKILL', () => {
  it('after its first progress event, mid-run and near the end: each time a new one resumes at the checkpoint, and the result is exact', async () => {
    const job = await upload(stack, file.path);
    const progressOf = (share: number) => (e: { jobId: string; type: string; job: { processedRows: number } }) =>
      e.jobId === job.id && e.type === 'progress' && e.job.processedRows >= share * file.rows;
    const killedAt: number[] = [];
    // Right after a commit's event, then a few milliseconds later (inside the next batch's transaction).
    for (const [share, delayMs] of [[Number.MIN_VALUE, 0], [0.5, 3], [0.9, 7]] as const) {
      const kill = () => liveProcessors(stack).forEach((p) => p.child.kill('SIGKILL'));
      const seen = await events.on(progressOf(share), () => (delayMs ? setTimeout(kill, delayMs) : kill()));
      await new Promise((resolve) => setTimeout(resolve, delayMs + 1));
      killedAt.push(seen.job.processedRows);
      await killProcessors(stack);
      await startProcessors(stack, 1);
    }
    const done = await db.waitForFinal(job.id);
    const live = await events.untilFinal(job.id);
    const replayed = await replayEvents(stack.env.NATS_URL!.split(','), stack.names, job.id);
    await expectExactImport(db, job.id, file, { live, replayed });

    // Three kills mid-job: three takeovers, each resuming after the last committed row it found.
    expect(done.attempt).toBe(4);
    expect(done.resumedFromRow).toBeGreaterThanOrEqual(killedAt[2]!);
    const resumed = replayed.filter((e) => e.type === 'started' && e.job.attempt > 1);
    expect(resumed.map((e) => e.job.attempt)).toEqual([2, 3, 4]);
    resumed.forEach((e, i) => {
      expect(e.job.resumedFromRow).toBeGreaterThanOrEqual(killedAt[i]!);
      expect(e.job.resumedFromRow! % Number(ENV.PROCESSOR_BATCH_ROWS)).toBe(0);
    });
    console.info(`crash-resume: ${file.rows} rows (${file.invalid} invalid), killed at rows ${killedAt.join(', ')}, resumed after ${resumed.map((e) => e.job.resumedFromRow).join(', ')}`);
  });

  it('while a second processor stands by: that one takes the job over and finishes it exactly', async () => {
    await startProcessors(stack, 1);
    expect(liveProcessors(stack)).toHaveLength(2);
    await db.sql`truncate contacts`;
    const job = await upload(stack, file.path);
    await events.on((e) => e.jobId === job.id && e.type === 'progress' && e.job.processedRows >= file.rows / 3);
    const victim = holderOf(stack, job.id);
    expect(victim).toBeDefined();
    await stopProcess(victim!.child, 'SIGKILL');
    const done = await db.waitForFinal(job.id);
    const live = await events.untilFinal(job.id);
    const replayed = await replayEvents(stack.env.NATS_URL!.split(','), stack.names, job.id);
    await expectExactImport(db, job.id, file, { live, replayed });
    expect(done.attempt).toBe(2);
    expect(done.resumedFromRow).toBeGreaterThan(0);
    expect(holderOf(stack, job.id)).toBe(liveProcessors(stack)[0]);
  });
});
