import { describe, expect, it } from 'vitest';
import { stopProcess } from '../src/stack.js';
import { BATCH_ROWS, useFaultStack } from './support/fault-stack.js';

// A lease far longer than the test's patience: the job can only move on if it is handed back on purpose.
const t = useFaultStack({
  label: 'graceful-shutdown',
  rows: 200_000,
  processors: 2,
  env: { ACK_WAIT_MS: '120000', WATCHDOG_STALL_MS: '600000' },
});

describe('SIGTERM to the processor running a job', () => {
  it('stops it at a batch boundary and hands the job back; the other processor resumes at once and finishes it exactly', async () => {
    const job = await t.upload();
    await t.progressAt(job.id, 0.3);
    const first = t.holderOf(job.id)!;
    expect(first).toBeDefined();
    await stopProcess(first.child, 'SIGTERM', 30_000);
    expect(first.child.exitCode).toBe(0);
    expect(first.logs.join('')).toContain('job handed back at its last checkpoint');
    const handedBackAt = await t.db.job(job.id);

    // Well inside the 120 s lease: only the hand-back (cleared heartbeat + nak) can have moved the job on.
    const done = await t.db.waitForFinal(job.id, 60_000);
    await t.expectExactImport(job.id);
    expect(done.attempt).toBe(2);
    expect(done.resumedFromRow).toBeGreaterThanOrEqual(0.3 * t.file.rows);
    expect(done.resumedFromRow).toBeLessThanOrEqual(handedBackAt.processedRows);
    expect(done.resumedFromRow! % BATCH_ROWS).toBe(0);
    expect(t.holderOf(job.id)).toBe(t.liveProcessors()[0]);
  });
});
