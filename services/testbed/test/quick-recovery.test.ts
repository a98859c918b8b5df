import { describe, expect, it } from 'vitest';
import { useFaultStack } from './support/fault-stack.js';

/**
 * How soon a killed worker's job goes on elsewhere, with the product's own lease (ACK_WAIT_MS unset: its default),
 * and that a worker merely paused for a moment keeps its job.
 */
const t = useFaultStack({ label: 'quick_recovery', rows: 300_000, processors: 2, env: { ACK_WAIT_MS: '' } });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('recovery from a killed worker', () => {
  it('resumes the job on another worker within 5 s of each SIGKILL (median of three kills)', async () => {
    const job = await t.upload();
    const waits: number[] = [];
    for (const share of [0.15, 0.4, 0.65]) {
      await t.progressAt(job.id, share);
      const holder = t.holderOf(job.id);
      expect(holder, 'a live processor holds the job').toBeDefined();
      const attemptBefore = t.events.of(job.id).at(-1)!.job.attempt;
      const killedAt = Date.now();
      await t.killProcessors([holder!]);
      let resumedAt = 0;
      await t.events.on(
        (e) => e.jobId === job.id && e.type === 'started' && e.job.attempt > attemptBefore,
        () => {
          resumedAt = Date.now();
        },
      );
      waits.push(resumedAt - killedAt);
      await t.startProcessors(1);
    }
    await t.db.waitForFinal(job.id);
    await t.expectExactImport(job.id);
    console.info(`quick-recovery: resumed ${waits.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} after each kill`);
    expect(median(waits)).toBeLessThanOrEqual(5_000);
  });

  it('does not take the job from a worker paused for 2.5 s (SIGSTOP, then SIGCONT), which finishes it', async () => {
    await t.db.sql`truncate contacts`;
    const job = await t.upload();
    await t.progressAt(job.id, 0.2);
    const holder = t.holderOf(job.id)!;
    holder.child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    holder.child.kill('SIGCONT');
    const done = await t.db.waitForFinal(job.id);
    await t.expectExactImport(job.id);
    expect(done.attempt).toBe(1);
  });
});
