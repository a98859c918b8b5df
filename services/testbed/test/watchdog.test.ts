import { describe, expect, it } from 'vitest';
import { useFaultStack } from './support/fault-stack.js';
import { eventually } from './support/wait.js';

const t = useFaultStack({
  label: 'watchdog',
  rows: 200_000,
  env: { WATCHDOG_STALL_MS: '5000', WATCHDOG_PENDING_MS: '4000', WATCHDOG_MAX_STALLS: '2', WATCHDOG_INTERVAL_MS: '500' },
});

const watchdogLines = () =>
  t.stack
    .logs('processor')
    .split('\n')
    .filter((line) => line.includes('"msg":"stalled job handed back'));

describe('the stuck-job watchdog', () => {
  it('hands back a processing job whose worker died and whose work item is gone; the next worker resumes it exactly', async () => {
    await t.db.sql`truncate contacts`;
    const job = await t.upload();
    await t.progressAt(job.id, 0.3);
    await t.killProcessors();
    // Without its work item, JetStream has nothing to redeliver: only the watchdog can move the job on.
    expect(await t.bus.loseWorkItem(job.id)).toBe(1);
    await t.startProcessors(1);

    const done = await t.db.waitForFinal(job.id, 60_000);
    await t.expectExactImport(job.id);
    expect(done.attempt).toBe(2);
    expect(done.resumedFromRow).toBeGreaterThanOrEqual(0.3 * t.file.rows);
    expect(await t.bus.handBacksOf(job.id)).toBe(1);
    expect(watchdogLines().filter((l) => l.includes(job.id))).toHaveLength(1);
  });

  it('hands back a pending job whose work item was lost before any worker took it', async () => {
    await t.killProcessors();
    await t.db.sql`truncate contacts`;
    const job = await t.upload();
    expect((await t.db.job(job.id)).announcedAt).not.toBeNull();
    expect(await t.bus.loseWorkItem(job.id)).toBe(1);
    await t.startProcessors(1);

    const done = await t.db.waitForFinal(job.id, 60_000);
    await t.expectExactImport(job.id);
    expect(done).toMatchObject({ attempt: 1, resumedFromRow: null });
    expect(await t.bus.handBacksOf(job.id)).toBe(1);
  });

  it('fails a job that keeps stalling (a worker hung on a lock, then the one it was handed to) with job_stalled', async () => {
    const { db, events } = t;
    await t.startProcessors(1);
    expect(t.liveProcessors()).toHaveLength(2);
    await db.sql`truncate contacts`;
    const lock = await db.sql.reserve();
    try {
      const job = await t.upload();
      await t.progressAt(job.id, 0.2);
      // The worker's next upsert waits on this lock forever, while its lease timer keeps JetStream from redelivering.
      await lock`begin`;
      await lock`lock table contacts in access exclusive mode`;
      const failed = await db.waitForFinal(job.id, 60_000);
      expect(failed).toMatchObject({ status: 'failed', attempt: 2, error: { kind: 'system', code: 'job_stalled' } });
      expect(failed.error!.message).toContain(`last committed row ${failed.processedRows}`);
      expect(await t.bus.handBacksOf(job.id)).toBe(1);
      expect((await events.untilFinal(job.id)).at(-1)).toMatchObject({ type: 'failed', job: { error: { code: 'job_stalled' } } });

      await lock`rollback`;
      // Released, both hung attempts find the job no longer theirs and roll back: the committed rows are all that stays.
      const gaveUp = () => t.stack.logs('processor').split('another attempt took this job over').length - 1 >= 2;
      await eventually(gaveUp, 'both hung attempts to give up', 30_000);
      // Hung, a worker falls silent before the watchdog can act: no heartbeat of attempt 1 comes after attempt 2
      // started, and none after the final event.
      const attempts = events.of(job.id).map((e) => e.job.attempt);
      expect(attempts).toEqual([...attempts].sort((a, b) => a - b));
      expect(events.of(job.id).at(-1)).toMatchObject({ type: 'failed', job: { error: { code: 'job_stalled' } } });
      const after = await db.job(job.id);
      expect(after).toMatchObject({ status: 'failed', processedRows: failed.processedRows, successRows: failed.successRows });
      expect(await db.footprint(job.id)).toMatchObject({ rows: failed.successRows, errors: failed.failedRows });
      expect((await db.footprint(job.id)).tableRows).toBe(failed.successRows);
      expect(t.liveProcessors()).toHaveLength(2);
    } finally {
      await lock`rollback`.catch(() => undefined);
      lock.release();
    }
  });
});
