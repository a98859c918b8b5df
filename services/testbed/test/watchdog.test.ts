import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../src/stack.js';
import {
  contactsFile,
  EventLog,
  expectExactImport,
  handBacksOf,
  keepLogs,
  killProcessors,
  liveProcessors,
  loseWorkItem,
  replayEvents,
  scratchDir,
  startProcessors,
  TestDb,
  upload,
  waitFor,
  type ContactsFile,
} from './fault-helper.js';

const ENV = {
  PROCESSOR_BATCH_ROWS: '500',
  ACK_WAIT_MS: '3000',
  WATCHDOG_STALL_MS: '5000',
  WATCHDOG_PENDING_MS: '4000',
  WATCHDOG_MAX_STALLS: '2',
  WATCHDOG_INTERVAL_MS: '500',
  LOG_LEVEL: 'info',
};

let stack: Stack;
let db: TestDb;
let events: EventLog;
let dir: Awaited<ReturnType<typeof scratchDir>>;
let file: ContactsFile;

const servers = () => stack.env.NATS_URL!.split(',');
const watchdogLines = () => stack.logs('processor').split('\n').filter((line) => line.includes('"msg":"stalled job handed back'));

beforeAll(async () => {
  dir = await scratchDir('watchdog');
  file = await contactsFile(dir.path, 200_000, 0.01);
  stack = await Stack.start({ label: 'watchdog', env: ENV, processors: 1 });
  await stack.processorsReady();
  db = TestDb.open(stack.databaseUrl);
  events = await EventLog.open(servers(), stack.names);
});

afterAll(async () => {
  await keepLogs(stack, 'watchdog');
  await events?.close();
  await db?.close();
  await stack?.stop();
  await dir?.remove();
});

describe('the stuck-job watchdog', () => {
  it('hands back a processing job whose worker died and whose work item is gone; the next worker resumes it exactly', async () => {
    await db.sql`truncate contacts`;
    const job = await upload(stack, file.path);
    await events.on((e) => e.jobId === job.id && e.type === 'progress' && e.job.processedRows >= 0.3 * file.rows);
    await killProcessors(stack);
    // Without its work item, JetStream has nothing to redeliver: only the watchdog can move the job on.
    expect(await loseWorkItem(servers(), stack.names, job.id)).toBe(1);
    await startProcessors(stack, 1);

    const done = await db.waitForFinal(job.id, 60_000);
    const live = await events.untilFinal(job.id);
    const replayed = await replayEvents(servers(), stack.names, job.id);
    await expectExactImport(db, job.id, file, { live, replayed });
    expect(done.attempt).toBe(2);
    expect(done.resumedFromRow).toBeGreaterThanOrEqual(0.3 * file.rows);
    expect(await handBacksOf(servers(), stack.names, job.id)).toBe(1);
    expect(watchdogLines().filter((l) => l.includes(job.id))).toHaveLength(1);
  });

  it('hands back a pending job whose work item was lost before any worker took it', async () => {
    await killProcessors(stack);
    await db.sql`truncate contacts`;
    const job = await upload(stack, file.path);
    expect((await db.job(job.id)).announcedAt).not.toBeNull();
    expect(await loseWorkItem(servers(), stack.names, job.id)).toBe(1);
    await startProcessors(stack, 1);

    const done = await db.waitForFinal(job.id, 60_000);
    await expectExactImport(db, job.id, file, { live: await events.untilFinal(job.id), replayed: await replayEvents(servers(), stack.names, job.id) });
    expect(done).toMatchObject({ attempt: 1, resumedFromRow: null });
    expect(await handBacksOf(servers(), stack.names, job.id)).toBe(1);
  });

  it('fails a job that keeps stalling (a worker hung on a lock, then the one it was handed to) with job_stalled', async () => {
    await startProcessors(stack, 1);
    expect(liveProcessors(stack)).toHaveLength(2);
    await db.sql`truncate contacts`;
    const lock = await db.sql.reserve();
    try {
      const job = await upload(stack, file.path);
      await events.on((e) => e.jobId === job.id && e.type === 'progress' && e.job.processedRows >= 0.2 * file.rows);
      // The worker's next upsert waits on this lock forever, while its lease timer keeps JetStream from redelivering.
      await lock`begin`;
      await lock`lock table contacts in access exclusive mode`;
      const failed = await db.waitForFinal(job.id, 60_000);
      expect(failed).toMatchObject({ status: 'failed', attempt: 2, error: { kind: 'system', code: 'job_stalled' } });
      expect(failed.error!.message).toContain(`last committed row ${failed.processedRows}`);
      expect(await handBacksOf(servers(), stack.names, job.id)).toBe(1);
      expect((await events.untilFinal(job.id)).at(-1)).toMatchObject({ type: 'failed', job: { error: { code: 'job_stalled' } } });

      await lock`rollback`;
      // Released, both hung attempts find the job no longer theirs and roll back: the committed rows are all that stays.
      await waitFor(() => stack.logs('processor').split('another attempt took this job over').length - 1 >= 2, 'both hung attempts to give up', 30_000);
      // Hung, a worker falls silent before the watchdog can act: no heartbeat of attempt 1 comes after attempt 2
      // started, and none after the final event.
      const attempts = events.of(job.id).map((e) => e.job.attempt);
      expect(attempts).toEqual([...attempts].sort((a, b) => a - b));
      expect(events.of(job.id).at(-1)).toMatchObject({ type: 'failed', job: { error: { code: 'job_stalled' } } });
      const after = await db.job(job.id);
      expect(after).toMatchObject({ status: 'failed', processedRows: failed.processedRows, successRows: failed.successRows });
      expect(await db.footprint(job.id)).toMatchObject({ rows: failed.successRows, errors: failed.failedRows });
      expect((await db.footprint(job.id)).tableRows).toBe(failed.successRows);
      expect(liveProcessors(stack)).toHaveLength(2);
    } finally {
      await lock`rollback`.catch(() => undefined);
      lock.release();
    }
  });
});
