import { describe, expect, it } from 'vitest';
import { stopProcess } from '../src/stack.js';
import { BATCH_ROWS, useFaultStack } from './support/fault-stack.js';

const t = useFaultStack({ label: 'crash-resume', rows: 200_000 });

describe('a processor killed with SIGKILL', () => {
  it('after its first progress event, mid-run and near the end: each time a new one resumes, exactly', async () => {
    const job = await t.upload();
    const killedAt: number[] = [];
    // Right after a commit's event, then a few milliseconds later (inside the next batch's transaction).
    for (const [share, delayMs] of [
      [Number.MIN_VALUE, 0],
      [0.5, 3],
      [0.9, 7],
    ] as const) {
      const kill = () => {
        for (const p of t.liveProcessors()) p.child.kill('SIGKILL');
      };
      const seen = await t.progressAt(job.id, share, () => (delayMs ? setTimeout(kill, delayMs) : kill()));
      await new Promise((resolve) => setTimeout(resolve, delayMs + 1));
      killedAt.push(seen.job.processedRows);
      await t.killProcessors();
      await t.startProcessors(1);
    }
    const done = await t.db.waitForFinal(job.id);
    const { replayed } = await t.expectExactImport(job.id);

    // Three kills mid-job: three takeovers, each resuming after the last committed row it found.
    expect(done.attempt).toBe(4);
    expect(done.resumedFromRow).toBeGreaterThanOrEqual(killedAt[2]!);
    const resumed = replayed.filter((e) => e.type === 'started' && e.job.attempt > 1);
    expect(resumed.map((e) => e.job.attempt)).toEqual([2, 3, 4]);
    resumed.forEach((e, i) => {
      expect(e.job.resumedFromRow).toBeGreaterThanOrEqual(killedAt[i]!);
      expect(e.job.resumedFromRow! % BATCH_ROWS).toBe(0);
    });
    console.info(
      `crash-resume: ${t.file.rows} rows (${t.file.invalid} invalid), killed at rows ${killedAt.join(', ')}, ` +
        `resumed after ${resumed.map((e) => e.job.resumedFromRow).join(', ')}`,
    );
  });

  it('while a second processor stands by: that one takes the job over and finishes it exactly', async () => {
    await t.startProcessors(1);
    expect(t.liveProcessors()).toHaveLength(2);
    await t.db.sql`truncate contacts`;
    const job = await t.upload();
    await t.progressAt(job.id, 1 / 3);
    const victim = t.holderOf(job.id);
    expect(victim).toBeDefined();
    await stopProcess(victim!.child, 'SIGKILL');
    const done = await t.db.waitForFinal(job.id);
    await t.expectExactImport(job.id);
    expect(done.attempt).toBe(2);
    expect(done.resumedFromRow).toBeGreaterThan(0);
    expect(t.holderOf(job.id)).toBe(t.liveProcessors()[0]);
  });
});
