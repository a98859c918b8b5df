import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { lastWorkItem } from '@docprocessor/bus';
import { importJobs } from '@docprocessor/db';
import { Watchdog } from '../src/work/watchdog.js';
import { build, contact, createJob, csvOf, jobRow, waitForFinal, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build(
    { ACK_WAIT_MS: '3000', WATCHDOG_STALL_MS: '5000', WATCHDOG_PENDING_MS: '5000', WATCHDOG_MAX_STALLS: '2', WATCHDOG_INTERVAL_MS: '0' },
    { start: false },
  );
});
afterAll(() => h.close());

const aMinuteAgo = () => new Date(Date.now() - 60_000);

/** A job a worker took and then went silent on: processing, its last batch a minute old, no work item in the stream. */
async function stalledJob(extra: Partial<typeof importJobs.$inferInsert> = {}) {
  const job = await createJob(h, csvOf(contact(1), contact(2), contact(3)), { publish: false });
  await h.ctx.db.db
    .update(importJobs)
    .set({
      status: 'processing',
      runId: crypto.randomUUID(),
      startedAt: aMinuteAgo(),
      heartbeatAt: aMinuteAgo(),
      updatedAt: aMinuteAgo(),
      ...extra,
    })
    .where(eq(importJobs.id, job.id));
  return job;
}

const actionsFor = (jobId: string, results: Array<Array<{ jobId: string; action: string }>>) =>
  results
    .flat()
    .filter((r) => r.jobId === jobId)
    .map((r) => r.action)
    .sort();

describe('the watchdog', () => {
  it('fails a job on its WATCHDOG_MAX_STALLS-th stall with job_stalled, after handing it back before', async () => {
    const job = await stalledJob();
    expect(actionsFor(job.id, [await new Watchdog(h.ctx).sweep()])).toEqual(['handed_back']);
    expect(await lastWorkItem(h.ctx.bus, job.id)).toMatchObject({ handBacks: 1 });
    // Handed back, the job is left alone for a whole stall period.
    expect(actionsFor(job.id, [await new Watchdog(h.ctx).sweep()])).toEqual([]);
    await h.ctx.db.db.update(importJobs).set({ heartbeatAt: aMinuteAgo(), updatedAt: aMinuteAgo() }).where(eq(importJobs.id, job.id));
    expect(actionsFor(job.id, [await new Watchdog(h.ctx).sweep()])).toEqual(['failed']);
    expect(await jobRow(h, job.id)).toMatchObject({ status: 'failed', error: { kind: 'system', code: 'job_stalled' } });
    expect(h.events.filter((e) => e.jobId === job.id).at(-1)).toMatchObject({ type: 'failed', job: { error: { code: 'job_stalled' } } });
  });

  it('cancels a stalled job whose cancel was asked for', async () => {
    const job = await stalledJob({ cancelRequested: true });
    expect(actionsFor(job.id, [await new Watchdog(h.ctx).sweep()])).toEqual(['cancelled']);
    expect(await jobRow(h, job.id)).toMatchObject({ status: 'cancelled', error: null });
  });

  it('leaves a pending job alone while its work item still waits in the queue', async () => {
    const job = await createJob(h, csvOf(contact(10)));
    await h.ctx.db.db.update(importJobs).set({ announcedAt: aMinuteAgo() }).where(eq(importJobs.id, job.id));
    expect(actionsFor(job.id, [await new Watchdog(h.ctx).sweep()])).toEqual(['queued']);
    expect(await lastWorkItem(h.ctx.bus, job.id)).toMatchObject({ handBacks: 0 });
  });

  it('hands a stalled job back exactly once when every worker sweeps at the same moment, and a worker resumes it', async () => {
    const job = await stalledJob();
    const sweeps = await Promise.all([1, 2, 3].map(() => new Watchdog(h.ctx).sweep()));
    expect(actionsFor(job.id, sweeps).filter((a) => a !== 'skipped')).toEqual(['handed_back']);
    expect(await lastWorkItem(h.ctx.bus, job.id)).toMatchObject({ handBacks: 1 });
    await h.consumer.start();
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', attempt: 2, processedRows: 3, successRows: 3 });
    const created = h.events.filter((e) => e.jobId === job.id && e.type === 'created');
    expect(created).toHaveLength(1);
  });
});
