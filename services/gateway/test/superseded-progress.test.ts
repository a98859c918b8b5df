import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImportEvent, Job } from '@docprocessor/contracts';
import { withoutSupersededProgress } from '../src/ws/superseded-progress.js';

/** Only what the ordering reads; the rest of a job does not matter here. */
const fakeJob = (changes: Partial<Job> = {}): Job =>
  ({ id: randomUUID(), status: 'processing', attempt: 1, processedRows: 0, updatedAt: at(0), ...changes }) as Job;
const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, seconds)).toISOString();
const eventOf = (job: Job, type: ImportEvent['type'] = 'progress') => ({
  event: { type, jobId: job.id, at: job.updatedAt, job },
  raw: JSON.stringify(job),
});

describe('withoutSupersededProgress', () => {
  it('leaves out a progress event that a later event of the same job in the same read makes useless', () => {
    const a = fakeJob();
    const b = fakeJob();
    const aStep1 = eventOf({ ...a, processedRows: 10, updatedAt: at(1) });
    const bStep1 = eventOf({ ...b, processedRows: 10, updatedAt: at(1) });
    const aStep2 = eventOf({ ...a, processedRows: 20, updatedAt: at(2) });
    const aDone = eventOf({ ...a, status: 'completed', processedRows: 30, updatedAt: at(3) }, 'completed');
    const { kept, dropped } = withoutSupersededProgress([aStep1, bStep1, aStep2, aDone]);
    expect(kept).toEqual([bStep1, aDone]);
    expect(dropped).toEqual([aStep1, aStep2]);
  });

  it('keeps every event that is not progress, and a progress event newer than what follows it', () => {
    const job = fakeJob({ status: 'pending' });
    const created = eventOf(job, 'created');
    const started = eventOf({ ...job, status: 'processing', updatedAt: at(1) }, 'started');
    const progress = eventOf({ ...job, status: 'processing', processedRows: 50, updatedAt: at(5) });
    const late = eventOf({ ...job, status: 'processing', processedRows: 20, updatedAt: at(2) });
    const { kept, dropped } = withoutSupersededProgress([created, started, progress, late]);
    expect(kept).toEqual([created, started, progress, late]);
    expect(dropped).toEqual([]);
  });
});
