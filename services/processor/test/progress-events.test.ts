import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { connectBus, type Bus } from '@docprocessor/bus';
import { TEST_NATS_SERVERS, uniqueBusNames } from '@docprocessor/bus/testing';
import type { ImportJobRow } from '@docprocessor/db';
import type { Subscription } from '@nats-io/transport-node';
import { ProgressReporter } from '../src/import-file/progress-reporter.js';
import { build, contact, createJob, csvOf, type Harness } from './helper.js';

/**
 * Progress events while their acks do not come (a stream without a leader): a listener on the events' subjects that
 * never answers makes every publish wait out its ack timeout, as a cluster node's death does.
 */
let h: Harness;
let silentBus: Bus;
let heard: number[];
let listener: Subscription;
let job: ImportJobRow;

beforeAll(async () => {
  h = await build({}, { start: false });
  const names = uniqueBusNames('silent');
  silentBus = await connectBus({ servers: TEST_NATS_SERVERS, names, connectionName: 'progress-test' });
  listener = silentBus.nc.subscribe(`${names.subjectPrefix}.>`, {
    callback: (_error, message) => {
      heard.push((message.json() as { job: { processedRows: number } }).job.processedRows);
    },
  });
  job = await createJob(h, csvOf(contact(1)), { publish: false });
});
afterAll(async () => {
  listener.unsubscribe();
  await silentBus.close();
  await h.close();
});

const logger = pino({ level: 'silent' });
const at = (processedRows: number): ImportJobRow => ({ ...job, processedRows });

async function reportWithoutAcks(states: number[], sendLatest: boolean): Promise<number[]> {
  heard = [];
  const reporter = new ProgressReporter(silentBus, logger, at(0), { committedAt: Date.now(), quietAfterMs: 60_000 });
  for (const rows of states) {
    await new Promise((resolve) => setTimeout(resolve, 120)); // past the 100 ms between events
    reporter.update(at(rows), Date.now());
  }
  await reporter.stop({ sendLatest });
  await silentBus.nc.flush();
  return heard;
}

describe('progress events without acks', () => {
  it('go out one at a time, each newer state replacing the one waiting, the latest last', async () => {
    // The first waits out its 2 s ack timeout; the four committed meanwhile wait as one, the latest.
    expect(await reportWithoutAcks([100, 200, 300, 400, 500], true)).toEqual([100, 500]);
  });

  it('leave the waiting state unsent when the attempt is abandoned: a newer attempt may hold the job by then', async () => {
    expect(await reportWithoutAcks([100, 200, 300], false)).toEqual([100]);
  });
});
