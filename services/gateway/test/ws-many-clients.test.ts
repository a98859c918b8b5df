import { describe, expect, it } from 'vitest';
import type { ImportEvent, Job } from '@docprocessor/contracts';
import { advance, copyJob, insertJob, isSnapshot, publish, TestClient, useGateway, waitFor } from './helper.js';

const CLIENTS = 200;
const JOBS = 3;
const STEPS = 20;

const started = useGateway('many');

/** A job's whole life as the processor announces it, its progress published without waiting, as a busy processor does. */
async function runJob(job: Job, final: 'completed' | 'failed'): Promise<ImportEvent> {
  await publish(started.backends.bus, 'started', advance(job, { status: 'processing' }, 1));
  const steps = Array.from({ length: STEPS }, (_, i) =>
    publish(started.backends.bus, 'progress', advance(job, { status: 'processing', processedRows: (i + 1) * 100 }, 10 + i)),
  );
  await Promise.all(steps);
  return publish(started.backends.bus, final, advance(job, { status: final, processedRows: STEPS * 100 }, 1000));
}

describe(`${CLIENTS} clients subscribed to every job`, () => {
  it('each gets every final state, exactly as published, and never an older state of a job after a newer one', async () => {
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => TestClient.open(started.gateway.wsUrl)));
    for (const client of clients) client.send({ op: 'subscribe' });
    await Promise.all(clients.map((client) => client.next(isSnapshot, 'the snapshot')));

    const base = await insertJob(started.backends.db);
    const jobs = Array.from({ length: JOBS }, () => copyJob(base));
    const finals = await Promise.all(jobs.map((job, i) => runJob(job, i === 0 ? 'failed' : 'completed')));

    for (const client of clients)
      await waitFor(() => finals.every((final) => client.events().some((e) => e.jobId === final.jobId && e.type === final.type)), 'finals');
    for (const client of clients) {
      for (const final of finals) {
        const ofJob = client.events().filter((e) => e.jobId === final.jobId);
        expect(ofJob.at(-1)).toEqual(final);
        expect(ofJob[0]?.type).toBe('started');
        const rows = ofJob.map((e) => e.job.processedRows);
        expect(rows).toEqual([...rows].sort((a, b) => a - b));
      }
    }
    for (const client of clients) client.close();
  });
});
