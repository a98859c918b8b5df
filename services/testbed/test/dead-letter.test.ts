import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { deadLetterSubject, eventSubject, ImportEvent } from '@docprocessor/contracts';
import { useFaultStack } from './support/fault-stack.js';
import { eventually } from './support/wait.js';

const MAX_DELIVER = 3;
const t = useFaultStack({ label: 'dead-letter', rows: 50_000, env: { MAX_DELIVER: String(MAX_DELIVER), RETRY_BACKOFF_MS: '200' } });

const lettersOf = async (jobId: string | null) => (await t.bus.deadLetters()).filter((l) => l.jobId === jobId);
const theDeadLetters = (jobId: string | null) =>
  eventually(async () => (await lettersOf(jobId)).length > 0 && lettersOf(jobId), 'the dead letter');
const workItemTerminated = () => eventually(() => t.bus.workQueueSettled(), 'the work item to be terminated');

describe('a work item that can never succeed', () => {
  it(`fails the same way on its ${MAX_DELIVER} deliveries: a dead letter, a failed job (kind system), no more deliveries`, async () => {
    const { db } = t;
    await db.sql`truncate contacts`;
    await db.sql`alter table contacts add constraint dead_letter_poison check (id <> 30000)`;
    try {
      const job = await t.upload();
      const failed = await db.waitForFinal(job.id);
      expect(failed).toMatchObject({ status: 'failed', attempt: MAX_DELIVER, error: { kind: 'system', code: 'processing_crashed' } });
      expect(failed.error!.message).toMatch(new RegExp(`failed ${MAX_DELIVER} times.*dead_letter_poison`));
      // Each retry resumed at the checkpoint; what the failed runs committed is exactly what the counts say.
      expect(failed.processedRows).toBe(29_500);
      expect((await db.footprint(job.id)).rows).toBe(failed.successRows);

      const [letter, ...more] = await theDeadLetters(job.id);
      expect(more).toEqual([]);
      expect(letter).toMatchObject({
        reason: 'delivery_limit',
        jobId: job.id,
        subject: eventSubject(t.stack.names, job.id, 'created'),
        deliveryCount: MAX_DELIVER,
        lastError: { name: 'PostgresError' },
      });
      expect(letter!.lastError!.message).toContain('dead_letter_poison');
      expect(ImportEvent.parse(JSON.parse(letter!.payload))).toMatchObject({
        type: 'created',
        jobId: job.id,
        job: { id: job.id, attempt: 1 },
      });
      expect(letter!.streamSequence).toBeGreaterThan(0);

      await workItemTerminated();
      const last = (await t.events.untilFinal(job.id)).at(-1);
      expect(last).toMatchObject({ type: 'failed', job: { status: 'failed', error: { code: 'processing_crashed' } } });
      expect(t.liveProcessors()).toHaveLength(1);
    } finally {
      await db.sql`alter table contacts drop constraint if exists dead_letter_poison`;
    }
  });

  it(`kills its worker on every delivery: after ${MAX_DELIVER} the next worker dead-letters it (worker_crashed)`, async () => {
    const { events } = t;
    const job = await t.upload();
    let kills = 0;
    // Whoever starts this job dies at once, as a worker would on a file that crashes the process. A delivery can also
    // be spent without a start: NATS 2.9 may hand it to a pull request of the worker just killed (it counts, as a
    // crash does), so the loop kills every start until the job fails rather than expecting exactly MAX_DELIVER.
    for (;;) {
      const next = await Promise.race([
        events.on(
          (e) => e.jobId === job.id && e.type === 'started' && e.job.attempt === kills + 1,
          () => {
            for (const p of t.liveProcessors()) p.child.kill('SIGKILL');
          },
        ),
        events.on((e) => e.jobId === job.id && e.type === 'failed'),
      ]);
      if (next.type === 'failed') break;
      kills++;
      await t.killProcessors();
      await t.startProcessors(1);
    }
    expect(kills).toBeGreaterThanOrEqual(1);
    expect(kills).toBeLessThanOrEqual(MAX_DELIVER);
    const failed = await t.db.waitForFinal(job.id, 60_000);
    expect(failed).toMatchObject({ status: 'failed', attempt: kills, error: { kind: 'system', code: 'worker_crashed' } });
    expect(failed.processedRows).toBeLessThan(t.file.rows);
    expect((await t.db.footprint(job.id)).rows).toBe(failed.successRows);
    const [letter] = await theDeadLetters(job.id);
    expect(letter).toMatchObject({ reason: 'delivery_limit', jobId: job.id, deliveryCount: MAX_DELIVER + 1, lastError: null });
    // The give-up delivery never started the job: no `started` event after the last worker that was killed.
    expect((await events.untilFinal(job.id)).filter((e) => e.type === 'started').map((e) => e.job.attempt)).toEqual(
      Array.from({ length: kills }, (_, i) => i + 1),
    );
    expect((await events.untilFinal(job.id)).at(-1)).toMatchObject({ type: 'failed', job: { error: { code: 'worker_crashed' } } });
    await workItemTerminated();
    expect(t.liveProcessors()).toHaveLength(1);
  });

  it('is not a job event at all: dead-lettered as it came, and the worker carries on', async () => {
    const { names } = t.stack;
    const nc = await connect({ servers: t.bus.servers });
    const jobId = randomUUID();
    try {
      await nc.request(eventSubject(names, jobId, 'created'), '{"this is": "not a job event"', { timeout: 5000 });
    } finally {
      await nc.close();
    }
    const [letter] = await theDeadLetters(null);
    expect(letter).toMatchObject({
      reason: 'unreadable_work_item',
      jobId: null,
      deliveryCount: 1,
      payload: '{"this is": "not a job event"',
    });
    expect(letter!.subject).toBe(eventSubject(names, jobId, 'created'));
    expect(deadLetterSubject(names, jobId)).not.toMatch(new RegExp(`^${names.subjectPrefix}\\.`));
    await workItemTerminated();

    // The same worker still imports.
    const job = await t.upload();
    expect(await t.db.waitForFinal(job.id)).toMatchObject({ status: 'completed', processedRows: t.file.rows });
  });
});
