import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { Stack } from '../src/stack.js';
import {
  api,
  contactsFile,
  countsGoingBackwards,
  EventLog,
  killProcessors,
  replayEvents,
  scratchDir,
  startProcessors,
  TestDb,
  upload,
  waitFor,
  workQueueSettled,
  type ContactsFile,
  keepLogs,
} from './fault-helper.js';

const BATCH = 500;
const ENV = { PROCESSOR_BATCH_ROWS: String(BATCH), ACK_WAIT_MS: '3000', LOG_LEVEL: 'info' };

let stack: Stack;
let db: TestDb;
let events: EventLog;
let dir: Awaited<ReturnType<typeof scratchDir>>;
let file: ContactsFile;

beforeAll(async () => {
  dir = await scratchDir('cancel');
  file = await contactsFile(dir.path, 200_000, 0.01);
  stack = await Stack.start({ label: 'cancel', env: ENV, processors: 1 });
  await stack.processorsReady();
  db = TestDb.open(stack.databaseUrl);
  events = await EventLog.open(stack.env.NATS_URL!.split(','), stack.names);
});

const servers = () => stack.env.NATS_URL!.split(',');

afterAll(async () => {
  await keepLogs(stack, 'cancel');
  await events?.close();
  await db?.close();
  await stack?.stop();
  await dir?.remove();
});

describe('cancel', () => {
  it('stops a processing job at the next batch boundary; the rows it committed stay and the counts say exactly how many', async () => {
    const job = await upload(stack, file.path);
    await events.on((e) => e.jobId === job.id && e.type === 'progress' && e.job.processedRows >= 0.25 * file.rows);
    const asked = Date.now();
    const answer = await api<Job>(stack, 'POST', `/api/imports/${job.id}/cancel`);
    expect(answer.status).toBeLessThan(300);
    expect(['processing', 'cancelled']).toContain(answer.body.status);

    const cancelled = await events.on((e) => e.jobId === job.id && e.type === 'cancelled');
    const stoppedAfterMs = Date.now() - asked;
    const done = await db.waitForFinal(job.id, 10_000);
    expect(done.status).toBe('cancelled');
    expect(done.processedRows).toBeLessThan(file.rows);
    expect(done.processedRows % BATCH).toBe(0);
    expect(done.processedRows).toBe(done.successRows + done.failedRows);
    expect(cancelled.job).toMatchObject({ status: 'cancelled', processedRows: done.processedRows, successRows: done.successRows, failedRows: done.failedRows });

    // Exactly what was committed: the valid rows of the first processedRows rows, and an error for each invalid one.
    const left = await db.footprint(job.id);
    expect(left).toMatchObject({ rows: done.successRows, distinctIds: done.successRows, errors: done.failedRows, errorRows: done.failedRows, overlap: 0 });
    expect(left.rows + left.errors).toBe(done.processedRows);
    expect(left.maxId).toBeLessThanOrEqual(done.processedRows);

    // Nothing moves any more.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await db.footprint(job.id)).toEqual(left);
    expect((await db.job(job.id)).processedRows).toBe(done.processedRows);
    expect(countsGoingBackwards(events.of(job.id))).toBeNull();
    expect((await api<Job>(stack, 'GET', `/api/imports/${job.id}`)).body).toMatchObject({ status: 'cancelled', successRows: done.successRows });
    expect(stoppedAfterMs).toBeLessThan(10_000);
    console.info(`cancel: stopped ${stoppedAfterMs} ms after the request, at row ${done.processedRows} of ${file.rows}; ${left.rows} rows kept`);
  });

  it('cancels a pending job at once, and the worker that later gets its work item writes nothing', async () => {
    await killProcessors(stack);
    const job = await upload(stack, file.path);
    const answer = await api<Job>(stack, 'POST', `/api/imports/${job.id}/cancel`);
    expect(answer).toMatchObject({ status: 200, body: { status: 'cancelled', processedRows: 0 } });
    await startProcessors(stack, 1);
    await waitFor(() => workQueueSettled(servers(), stack.names), 'the worker to take and settle the work item');
    expect(await db.job(job.id)).toMatchObject({ status: 'cancelled', processedRows: 0, attempt: 1, startedAt: null });
    expect((await db.footprint(job.id)).rows).toBe(0);
    const replayed = await replayEvents(servers(), stack.names, job.id);
    expect(replayed.map((e) => e.type)).toEqual(['created', 'cancelled']);
  });

  it('refuses to cancel a job that already ended', async () => {
    const [finished] = await db.sql<[{ id: string }]>`select id from import_jobs where status = 'cancelled' limit 1`;
    const answer = await api<{ error: { code: string } }>(stack, 'POST', `/api/imports/${finished.id}/cancel`);
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'invalid_state' } } });
  });
});
