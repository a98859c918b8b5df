import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { makeJob } from '../testing/factories';
import { createJobs, isNotOlder } from './jobs';

const withJobs = <T>(fn: (jobs: ReturnType<typeof createJobs>) => T): T =>
  createRoot((dispose) => {
    try {
      return fn(createJobs());
    } finally {
      dispose();
    }
  });

describe('isNotOlder', () => {
  const held = makeJob({ id: 'a', status: 'processing', processedRows: 500, updatedAt: '2025-01-01T10:00:05.000Z' });

  it('takes a later updatedAt', () => {
    expect(isNotOlder({ ...held, processedRows: 600, updatedAt: '2025-01-01T10:00:06.000Z' }, held)).toBe(true);
  });

  it('refuses an earlier updatedAt even with more rows', () => {
    expect(isNotOlder({ ...held, processedRows: 900, updatedAt: '2025-01-01T10:00:04.000Z' }, held)).toBe(false);
  });

  it('breaks a tie on updatedAt with processedRows', () => {
    expect(isNotOlder({ ...held, processedRows: 499 }, held)).toBe(false);
    expect(isNotOlder({ ...held, processedRows: 501 }, held)).toBe(true);
  });

  it('compares instants, not strings, so precision differences do not matter', () => {
    expect(isNotOlder({ ...held, updatedAt: '2025-01-01T10:00:05.5Z' }, held)).toBe(true);
  });

  it('lets a terminal state win an exact tie, and never lose one', () => {
    const done = { ...held, status: 'completed' as const };
    expect(isNotOlder(done, held)).toBe(true);
    expect(isNotOlder(held, done)).toBe(false);
  });

  it('takes a later attempt even when its counts start over', () => {
    const failed = { ...held, status: 'failed' as const };
    const retried = { ...held, status: 'pending' as const, attempt: 2, processedRows: 0, updatedAt: '2025-01-01T10:00:04.000Z' };
    expect(isNotOlder(retried, failed)).toBe(true);
    expect(isNotOlder(failed, retried)).toBe(false);
  });
});

describe('createJobs', () => {
  it('keeps one job per id and never lets counts go backwards', () => {
    withJobs((jobs) => {
      const first = makeJob({ id: 'a', status: 'processing', processedRows: 100, updatedAt: '2025-01-01T10:00:01Z' });
      jobs.upsert(first);
      jobs.upsert({ ...first, processedRows: 300, updatedAt: '2025-01-01T10:00:03Z' });
      const stale = jobs.upsert({ ...first, processedRows: 200, updatedAt: '2025-01-01T10:00:02Z' });
      expect(stale).toBeNull();
      expect(jobs.list()).toHaveLength(1);
      expect(jobs.get('a')?.processedRows).toBe(300);
    });
  });

  it('reports the previous state with each change', () => {
    withJobs((jobs) => {
      const job = makeJob({ id: 'a', status: 'processing', updatedAt: '2025-01-01T10:00:01Z' });
      expect(jobs.upsert(job)?.previous).toBeUndefined();
      const change = jobs.upsert({ ...job, status: 'completed', updatedAt: '2025-01-01T10:00:02Z' });
      expect(change?.previous?.status).toBe('processing');
      expect(change?.job.status).toBe('completed');
    });
  });

  it('lists newest first', () => {
    withJobs((jobs) => {
      jobs.upsert(makeJob({ id: 'old', createdAt: '2025-01-01T09:00:00Z' }));
      jobs.upsert(makeJob({ id: 'new', createdAt: '2025-01-01T11:00:00Z' }));
      jobs.upsert(makeJob({ id: 'mid', createdAt: '2025-01-01T10:00:00Z' }));
      expect(jobs.list().map((j) => j.id)).toEqual(['new', 'mid', 'old']);
    });
  });

  it('merges a snapshot by the same rule and keeps jobs the snapshot left out', () => {
    withJobs((jobs) => {
      const live = makeJob({ id: 'a', status: 'processing', processedRows: 800, updatedAt: '2025-01-01T10:00:08Z' });
      const outside = makeJob({ id: 'b', createdAt: '2024-12-01T00:00:00Z' });
      jobs.upsert(live);
      jobs.upsert(outside);
      const changes = jobs.applySnapshot([
        { ...live, processedRows: 500, updatedAt: '2025-01-01T10:00:05Z' }, // older than what we hold
        makeJob({ id: 'c', createdAt: '2025-01-02T00:00:00Z' }),
      ]);
      expect(changes.map((c) => c.job.id)).toEqual(['c']);
      expect(jobs.get('a')?.processedRows).toBe(800);
      expect(jobs.list().map((j) => j.id)).toEqual(['c', 'a', 'b']);
    });
  });

  it('keeps a terminal job when a late progress event arrives', () => {
    withJobs((jobs) => {
      const done = makeJob({ id: 'a', status: 'completed', processedRows: 1000, totalRows: 1000, updatedAt: '2025-01-01T10:00:10Z' });
      jobs.upsert(done);
      jobs.upsert({ ...done, status: 'processing', processedRows: 900, totalRows: null, updatedAt: '2025-01-01T10:00:09Z' });
      jobs.applySnapshot([{ ...done, status: 'processing', processedRows: 1000, updatedAt: '2025-01-01T10:00:10Z' }]);
      expect(jobs.get('a')?.status).toBe('completed');
      expect(jobs.get('a')?.totalRows).toBe(1000);
    });
  });

  it('replaces nested fields instead of merging them', () => {
    withJobs((jobs) => {
      const failed = makeJob({ id: 'a', status: 'failed', error: { kind: 'validation', code: 'malformed_csv', message: 'bad', row: 7 } });
      jobs.upsert(failed);
      jobs.upsert({ ...failed, error: { kind: 'system', code: 'job_stalled', message: 'stalled' }, updatedAt: '2025-01-01T11:00:00Z' });
      expect(jobs.get('a')?.error).toEqual({ kind: 'system', code: 'job_stalled', message: 'stalled' });
    });
  });

  it('clears everything (a different key may be a different tenant)', () => {
    withJobs((jobs) => {
      const job = makeJob({ status: 'processing' });
      jobs.upsert(job);
      jobs.clear();
      expect(jobs.list()).toEqual([]);
      expect(jobs.samples(job.id)).toEqual([]);
    });
  });
});

describe('createJobs: progress samples for the throughput chart', () => {
  const at = (second: number) => `2025-01-01T10:00:${String(second).padStart(2, '0')}.000Z`;
  const running = makeJob({ id: 'a', status: 'processing', startedAt: at(0), updatedAt: at(0) });
  const step = (second: number, rows: number) => ({ ...running, processedRows: rows, updatedAt: at(second) });
  const seconds = (jobs: ReturnType<typeof createJobs>) => jobs.samples('a').map((s) => (s.at - Date.parse(at(0))) / 1000);

  it('keeps (time, rows) of each processing state taken in, and closes the run with its end', () => {
    withJobs((jobs) => {
      jobs.upsert(step(0, 0));
      jobs.upsert(step(1, 400));
      jobs.upsert(step(1, 300)); // older: refused, no sample
      jobs.applySnapshot([step(1, 400)]); // the same state again
      jobs.upsert({ ...step(3, 1000), status: 'completed', finishedAt: at(2) });
      expect(jobs.samples('a')).toEqual([
        { at: Date.parse(at(0)), rows: 0 },
        { at: Date.parse(at(1)), rows: 400 },
        { at: Date.parse(at(2)), rows: 1000 },
      ]);
    });
  });

  it('keeps none for a job first seen ended, or still pending', () => {
    withJobs((jobs) => {
      jobs.upsert(makeJob({ id: 'a', status: 'completed', processedRows: 10, finishedAt: at(5), updatedAt: at(5) }));
      jobs.upsert(makeJob({ id: 'b', status: 'pending' }));
      expect(jobs.samples('a')).toEqual([]);
      expect(jobs.samples('b')).toEqual([]);
    });
  });

  it('starts over for a new run: a retry (next attempt) or a revert (leaving its final state)', () => {
    withJobs((jobs) => {
      jobs.upsert(step(0, 0));
      jobs.upsert(step(1, 500));
      jobs.upsert({ ...step(2, 600), status: 'failed', finishedAt: at(2) });
      jobs.upsert({ ...step(5, 0), attempt: 2, status: 'pending' });
      expect(jobs.samples('a')).toEqual([]);
      jobs.upsert({ ...step(6, 0), attempt: 2 });
      jobs.upsert({ ...step(8, 800), attempt: 2, status: 'completed', finishedAt: at(8) });
      expect(seconds(jobs)).toEqual([6, 8]);
      jobs.upsert({ ...step(9, 800), attempt: 2, status: 'processing' });
      expect(seconds(jobs)).toEqual([9]);
    });
  });
});
