import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImportEvent, Job } from '@docprocessor/contracts';
import { compareJobs, LatestPerJob } from '../src/ws/latest-per-job.js';

/** Only what the ordering reads; the rest of a job does not matter here. */
const fakeJob = (changes: Partial<Job> = {}): Job =>
  ({ id: randomUUID(), status: 'processing', attempt: 1, processedRows: 0, updatedAt: at(0), ...changes }) as Job;
const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, seconds)).toISOString();
const eventOf = (job: Job, type: ImportEvent['type'] = 'progress') => ({
  event: { type, jobId: job.id, at: job.updatedAt, job },
  raw: JSON.stringify(job),
});

describe('compareJobs', () => {
  const base = fakeJob({ updatedAt: at(10), processedRows: 100 });
  it('orders by attempt, then updatedAt, then processed rows, then a terminal state', () => {
    expect(compareJobs({ ...base, attempt: 2, updatedAt: at(1) }, base)).toBeGreaterThan(0);
    expect(compareJobs({ ...base, updatedAt: at(11), processedRows: 1 }, base)).toBeGreaterThan(0);
    expect(compareJobs({ ...base, processedRows: 101 }, base)).toBeGreaterThan(0);
    expect(compareJobs({ ...base, status: 'completed' }, base)).toBeGreaterThan(0);
    expect(compareJobs({ ...base }, base)).toBe(0);
  });
});

describe('LatestPerJob', () => {
  it('keeps one event per job, the newest, in the order jobs first came', () => {
    const a = fakeJob({ updatedAt: at(1) });
    const b = fakeJob({ updatedAt: at(1) });
    const queue = new LatestPerJob();
    expect(queue.offer(eventOf(a))).toBe(false);
    expect(queue.offer(eventOf(b))).toBe(false);
    const done = { ...a, status: 'completed' as const, updatedAt: at(5) };
    expect(queue.offer(eventOf(done, 'completed'))).toBe(true);
    // A late progress event of `a` does not replace its terminal one.
    expect(queue.offer(eventOf({ ...a, processedRows: 3, updatedAt: at(3) }))).toBe(true);
    expect(queue.size).toBe(2);
    expect(queue.shift()?.event.job).toEqual(done);
    expect(queue.shift()?.event.job).toEqual(b);
    expect(queue.shift()).toBeUndefined();
  });

  it('drops what a snapshot already covers', () => {
    const covered = fakeJob({ updatedAt: at(5) });
    const ahead = fakeJob({ updatedAt: at(9) });
    const absent = fakeJob();
    const queue = new LatestPerJob();
    for (const job of [covered, ahead, absent]) queue.offer(eventOf(job));
    expect(queue.dropCoveredBy([covered, { ...ahead, updatedAt: at(8) }])).toBe(1);
    expect([queue.shift()?.event.jobId, queue.shift()?.event.jobId]).toEqual([ahead.id, absent.id]);
  });
});
