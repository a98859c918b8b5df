import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { deadLetterSubject, eventSubject, ImportEvent } from '@docprocessor/contracts';
import { Stack } from '../src/stack.js';
import {
  contactsFile,
  deadLetters,
  EventLog,
  keepLogs,
  killProcessors,
  liveProcessors,
  removeDeadLetterStream,
  scratchDir,
  startProcessors,
  TestDb,
  upload,
  waitFor,
  workQueueSettled,
  type ContactsFile,
} from './fault-helper.js';

const MAX_DELIVER = 3;
const ENV = { PROCESSOR_BATCH_ROWS: '500', ACK_WAIT_MS: '3000', MAX_DELIVER: String(MAX_DELIVER), RETRY_BACKOFF_MS: '200', LOG_LEVEL: 'info' };

let stack: Stack;
let db: TestDb;
let events: EventLog;
let dir: Awaited<ReturnType<typeof scratchDir>>;
let file: ContactsFile;

const servers = () => stack.env.NATS_URL!.split(',');
const lettersOf = async (jobId: string | null) => (await deadLetters(servers(), stack.names)).filter((l) => l.jobId === jobId);

beforeAll(async () => {
  dir = await scratchDir('deadletter');
  file = await contactsFile(dir.path, 50_000, 0.01);
  stack = await Stack.start({ label: 'deadletter', env: ENV, processors: 1 });
  await stack.processorsReady();
  db = TestDb.open(stack.databaseUrl);
  events = await EventLog.open(servers(), stack.names);
});

afterAll(async () => {
  await keepLogs(stack, 'dead-letter');
  await events?.close();
  await db?.close();
  if (stack) await removeDeadLetterStream(servers(), stack.names);
  await stack?.stop();
  await dir?.remove();
});

describe('a work item that can never succeed', () => {
  it(`fails the same way on each of its ${MAX_DELIVER} deliveries: a dead letter, a failed job (kind system) and no more deliveries`, async () => {
    await db.sql`truncate contacts`;
    await db.sql`alter table contacts add constraint dead_letter_poison check (id <> 30000)`;
    try {
      const job = await upload(stack, file.path);
      const failed = await db.waitForFinal(job.id);
      expect(failed).toMatchObject({ status: 'failed', attempt: MAX_DELIVER, error: { kind: 'system', code: 'processing_crashed' } });
      expect(failed.error!.message).toMatch(new RegExp(`failed ${MAX_DELIVER} times.*dead_letter_poison`));
      // Each retry resumed at the checkpoint; what the failed runs committed is exactly what the counts say.
      expect(failed.processedRows).toBe(29_500);
      expect((await db.footprint(job.id)).rows).toBe(failed.successRows);

      const [letter, ...more] = await waitFor(async () => (await lettersOf(job.id)).length > 0 && lettersOf(job.id), 'the dead letter');
      expect(more).toEqual([]);
      expect(letter).toMatchObject({
        reason: 'delivery_limit',
        jobId: job.id,
        subject: eventSubject(stack.names, job.id, 'created'),
        deliveryCount: MAX_DELIVER,
        lastError: { name: 'PostgresError' },
      });
      expect(letter!.lastError!.message).toContain('dead_letter_poison');
      expect(ImportEvent.parse(JSON.parse(letter!.payload))).toMatchObject({ type: 'created', jobId: job.id, job: { id: job.id, attempt: 1 } });
      expect(letter!.streamSequence).toBeGreaterThan(0);

      await waitFor(() => workQueueSettled(servers(), stack.names), 'the work item to be terminated');
      expect((await events.untilFinal(job.id)).at(-1)).toMatchObject({ type: 'failed', job: { status: 'failed', error: { code: 'processing_crashed' } } });
      expect(liveProcessors(stack)).toHaveLength(1);
    } finally {
      await db.sql`alter table contacts drop constraint if exists dead_letter_poison`;
    }
  });

  it(`kills its worker on every delivery: after ${MAX_DELIVER} the next worker does not run it but dead-letters it (worker_crashed)`, async () => {
    const job = await upload(stack, file.path);
    let kills = 0;
    // Whoever starts this job dies at once, as a worker would on a file that crashes the process. A delivery can also
    // be spent without a start: NATS 2.9 may hand it to a pull request of the worker just killed (it counts, as a
    // crash does), so the loop kills every start until the job fails rather than expecting exactly MAX_DELIVER.
    for (;;) {
      const next = await Promise.race([
        events.on(
          (e) => e.jobId === job.id && e.type === 'started' && e.job.attempt === kills + 1,
          () => liveProcessors(stack).forEach((p) => p.child.kill('SIGKILL')),
        ),
        events.on((e) => e.jobId === job.id && e.type === 'failed'),
      ]);
      if (next.type === 'failed') break;
      kills++;
      await killProcessors(stack);
      await startProcessors(stack, 1);
    }
    expect(kills).toBeGreaterThanOrEqual(1);
    expect(kills).toBeLessThanOrEqual(MAX_DELIVER);
    const failed = await db.waitForFinal(job.id, 60_000);
    expect(failed).toMatchObject({ status: 'failed', attempt: kills, error: { kind: 'system', code: 'worker_crashed' } });
    expect(failed.processedRows).toBeLessThan(file.rows);
    expect((await db.footprint(job.id)).rows).toBe(failed.successRows);
    const [letter] = await waitFor(async () => (await lettersOf(job.id)).length > 0 && lettersOf(job.id), 'the dead letter');
    expect(letter).toMatchObject({ reason: 'delivery_limit', jobId: job.id, deliveryCount: MAX_DELIVER + 1, lastError: null });
    // The give-up delivery never started the job: no `started` event after the last worker that was killed.
    expect((await events.untilFinal(job.id)).filter((e) => e.type === 'started').map((e) => e.job.attempt)).toEqual(
      Array.from({ length: kills }, (_, i) => i + 1),
    );
    expect((await events.untilFinal(job.id)).at(-1)).toMatchObject({ type: 'failed', job: { error: { code: 'worker_crashed' } } });
    await waitFor(() => workQueueSettled(servers(), stack.names), 'the work item to be terminated');
    expect(liveProcessors(stack)).toHaveLength(1);
  });

  it('is not a job event at all: dead-lettered as it came, and the worker carries on', async () => {
    const nc = await connect({ servers: servers() });
    const jobId = randomUUID();
    try {
      await nc.request(eventSubject(stack.names, jobId, 'created'), '{"this is": "not a job event"', { timeout: 5000 });
    } finally {
      await nc.close();
    }
    const [letter] = await waitFor(async () => (await lettersOf(null)).length > 0 && lettersOf(null), 'the dead letter');
    expect(letter).toMatchObject({ reason: 'unreadable_work_item', jobId: null, deliveryCount: 1, payload: '{"this is": "not a job event"' });
    expect(letter!.subject).toBe(eventSubject(stack.names, jobId, 'created'));
    expect(deadLetterSubject(stack.names, jobId)).not.toMatch(new RegExp(`^${stack.names.subjectPrefix}\\.`));
    await waitFor(() => workQueueSettled(servers(), stack.names), 'the work item to be terminated');

    // The same worker still imports.
    const job = await upload(stack, file.path);
    expect(await db.waitForFinal(job.id)).toMatchObject({ status: 'completed', processedRows: file.rows });
  });
});
