import { describe, expect, it } from 'vitest';
import { useFaultStack } from './support/fault-stack.js';
import { eventually } from './support/wait.js';

/** The acceptance run. 600k rows in 500-row batches take a few seconds undisturbed on 2 cores. */
const ROWS = 600_000;
const PROCESSORS = 2;

// A NATS server of this file's own: restarting the shared one would disturb every other test.
const t = useFaultStack({ label: 'nats-restart', rows: ROWS, processors: PROCESSORS, privateNats: true });

describe('the acceptance run', () => {
  it(`a ${ROWS.toLocaleString('en-US')}-row import survives two SIGKILLs of every processor and a NATS restart, exactly`, async () => {
    const { db } = t;
    const started = Date.now();
    const job = await t.upload();
    const marks: string[] = [];

    await t.progressAt(job.id, 0.2);
    expect(t.liveProcessors()).toHaveLength(PROCESSORS);
    marks.push(`kill ${await t.killProcessors()} at ${(await db.job(job.id)).processedRows}`);
    await t.startProcessors(PROCESSORS);

    await t.progressAt(job.id, 0.45);
    marks.push(`NATS down at ${(await db.job(job.id)).processedRows}`);
    await t.natsServer.stop();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await t.natsServer.start();
    marks.push(`NATS up at ${(await db.job(job.id)).processedRows}`);

    // Asked of the database, not the events: this test's own subscription may still be reconnecting after the
    // restart, and the rest of the file takes well under a second, so an event could arrive after the last row.
    await eventually(async () => (await db.job(job.id)).processedRows >= 0.7 * ROWS, 'the job to pass 70% of its rows', 60_000);
    // Every processor lived through the NATS restart; now each is killed a second time.
    expect(t.liveProcessors()).toHaveLength(PROCESSORS);
    marks.push(`kill ${await t.killProcessors()} at ${(await db.job(job.id)).processedRows}`);
    await t.startProcessors(PROCESSORS);

    const done = await db.waitForFinal(job.id, 120_000);
    const seconds = (Date.now() - started) / 1000;
    const { replayed } = await t.expectExactImport(job.id);
    expect(done.attempt).toBeGreaterThanOrEqual(3);
    // The second kill came at or after 70% of the rows, so the last run resumed at a checkpoint no earlier than that.
    expect(done.resumedFromRow).toBeGreaterThanOrEqual(0.7 * ROWS);
    // No work item was given up on the way.
    expect(await t.bus.deadLetters()).toEqual([]);
    const served = (await t.api('GET', `/api/imports/${job.id}`)).body;
    expect(served).toMatchObject({ status: 'completed', processedRows: ROWS, attempt: done.attempt });
    console.info(
      `acceptance: ${ROWS} rows (${t.file.invalid} invalid) completed in ${seconds.toFixed(1)} s, attempt ${done.attempt}, ` +
        `resumed after row ${done.resumedFromRow}; ${marks.join('; ')}; ${replayed.length} events in the stream`,
    );
  });
});
