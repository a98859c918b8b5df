import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkConsumer } from '../src/work/consume.js';
import { smallFileLane } from '../src/work/small-file-lane.js';
import { build, contact, createJob, csvOf, jobRow, waitFor, waitForFinal, type Harness } from './helper.js';

// The small-file lane on a real NATS and PostgreSQL. The shared consumer's slots start only later, so its items wait
// in the queue with no worker idle: what a worker busy with large files looks like to the lane.
let h: Harness;
beforeAll(async () => {
  h = await build({ SMALL_FILE_MAX_BYTES: '300' }, { start: false });
});
afterAll(() => h.close());

const settled = (consumer: string) =>
  waitFor(async () => {
    const info = await h.ctx.bus.jsm.consumers.info(h.ctx.bus.names.stream, consumer);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  }, `consumer ${consumer} to have acknowledged every item`);

describe('the small-file lane', () => {
  it('runs a small queued job, passes over a large one, and the shared copy later finds it done and says nothing again', async () => {
    const lane = new WorkConsumer(h.ctx, smallFileLane(h.ctx));
    await lane.start();
    try {
      const large = await createJob(h, csvOf(...Array.from({ length: 5 }, (_, i) => contact(100 + i))));
      const small = await createJob(h, csvOf(contact(1)));
      expect([large.sizeBytes > 300, small.sizeBytes <= 300]).toEqual([true, true]);

      expect(await waitForFinal(h, small.id)).toMatchObject({ status: 'completed', successRows: 1, attempt: 1 });
      await settled(smallFileLaneName(h));
      expect((await jobRow(h, large.id)).status).toBe('pending');
      const finalEvents = () => h.events.filter((e) => e.jobId === small.id && e.type === 'completed');
      expect(finalEvents()).toHaveLength(1);

      await h.consumer.start();
      expect(await waitForFinal(h, large.id)).toMatchObject({ status: 'completed', successRows: 5, attempt: 1 });
      await settled(h.ctx.bus.names.consumer);
      expect(await jobRow(h, small.id)).toMatchObject({ status: 'completed', attempt: 1 });
      expect(finalEvents()).toHaveLength(1);
    } finally {
      await lane.stop();
    }
  });
});

const smallFileLaneName = (harness: Harness) => smallFileLane(harness.ctx).consumer;
