import { describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { countsGoingBackwards } from './support/event-log.js';
import { BATCH_ROWS, useFaultStack } from './support/fault-stack.js';
import { eventually } from './support/wait.js';

const t = useFaultStack({ label: 'cancel', rows: 200_000 });

describe('cancel', () => {
  it('stops a processing job at the next batch boundary; the rows it committed stay and the counts say exactly how many', async () => {
    const { db, events, file } = t;
    const job = await t.upload();
    await t.progressAt(job.id, 0.25);
    const asked = Date.now();
    const answer = await t.api<Job>('POST', `/api/imports/${job.id}/cancel`);
    expect(answer.status).toBeLessThan(300);
    expect(['processing', 'cancelled']).toContain(answer.body.status);

    const cancelled = await events.on((e) => e.jobId === job.id && e.type === 'cancelled');
    const stoppedAfterMs = Date.now() - asked;
    const done = await db.waitForFinal(job.id, 10_000);
    expect(done.status).toBe('cancelled');
    expect(done.processedRows).toBeLessThan(file.rows);
    expect(done.processedRows % BATCH_ROWS).toBe(0);
    expect(done.processedRows).toBe(done.successRows + done.failedRows);
    expect(cancelled.job).toMatchObject({
      status: 'cancelled',
      processedRows: done.processedRows,
      successRows: done.successRows,
      failedRows: done.failedRows,
    });

    // Exactly what was committed: the valid rows of the first processedRows rows, and an error for each invalid one.
    const left = await db.footprint(job.id);
    expect(left).toMatchObject({
      rows: done.successRows,
      distinctIds: done.successRows,
      errors: done.failedRows,
      errorRows: done.failedRows,
      overlap: 0,
    });
    expect(left.rows + left.errors).toBe(done.processedRows);
    expect(left.maxId).toBeLessThanOrEqual(done.processedRows);

    // Nothing moves any more.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await db.footprint(job.id)).toEqual(left);
    expect((await db.job(job.id)).processedRows).toBe(done.processedRows);
    expect(countsGoingBackwards(events.of(job.id))).toBeNull();
    expect((await t.api<Job>('GET', `/api/imports/${job.id}`)).body).toMatchObject({ status: 'cancelled', successRows: done.successRows });
    expect(stoppedAfterMs).toBeLessThan(10_000);
    console.info(
      `cancel: stopped ${stoppedAfterMs} ms after the request, at row ${done.processedRows} of ${file.rows}; ${left.rows} rows kept`,
    );
  });

  it('cancels a pending job at once, and the worker that later gets its work item writes nothing', async () => {
    await t.killProcessors();
    const job = await t.upload();
    const answer = await t.api<Job>('POST', `/api/imports/${job.id}/cancel`);
    expect(answer).toMatchObject({ status: 200, body: { status: 'cancelled', processedRows: 0 } });
    await t.startProcessors(1);
    await eventually(() => t.bus.workQueueSettled(), 'the worker to take and settle the work item');
    expect(await t.db.job(job.id)).toMatchObject({ status: 'cancelled', processedRows: 0, attempt: 1, startedAt: null });
    expect((await t.db.footprint(job.id)).rows).toBe(0);
    const replayed = await t.bus.replay(job.id);
    expect(replayed.map((e) => e.type)).toEqual(['created', 'cancelled']);
  });

  it('refuses to cancel a job that already ended', async () => {
    const [finished] = await t.db.sql<[{ id: string }]>`select id from import_jobs where status = 'cancelled' limit 1`;
    const answer = await t.api<{ error: { code: string } }>('POST', `/api/imports/${finished.id}/cancel`);
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'invalid_state' } } });
  });
});
