import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_TOO_SLOW, type ImportEvent, type Job } from '@docprocessor/contracts';
import type { Bus } from '@docprocessor/bus';
import {
  API_KEY,
  copyJob,
  insertJob,
  metricValue,
  publish,
  startBackends,
  startGateway,
  TestClient,
  waitFor,
  type Backends,
  type Gateway,
} from './helper.js';

let backends: Backends;

beforeAll(async () => {
  backends = await startBackends('slow');
});
afterAll(async () => {
  await backends.close();
});

/** ~8 KiB per event, so a few thousand of them overflow any socket buffer of a client that stops reading. */
const BIG_NAME = `${'x'.repeat(8 * 1024)}.csv`;

async function flood(bus: Bus, jobs: Job[], rounds: number): Promise<ImportEvent[]> {
  const sent: ImportEvent[] = [];
  for (let round = 0; round < rounds; round++) {
    const batch = jobs.map((job) =>
      publish(bus, 'progress', {
        ...job,
        processedRows: round + 1,
        updatedAt: new Date(Date.parse(job.updatedAt) + round + 1).toISOString(),
      }),
    );
    sent.push(...(await Promise.all(batch)));
  }
  return sent;
}

/** A client reading on a worker thread, like a browser in its own process. */
class ThreadClient {
  private constructor(private readonly worker: Worker) {}

  static async open(url: string): Promise<ThreadClient> {
    const worker = new Worker(new URL('./fixtures/ws-reader.mjs', import.meta.url), {
      workerData: { url, headers: { 'x-api-key': API_KEY } },
    });
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: { kind: string; message?: string }) =>
        m.kind === 'open' ? resolve() : m.kind === 'error' && reject(new Error(m.message)),
      );
      worker.once('error', reject);
    });
    return new ThreadClient(worker);
  }

  report(): Promise<{ count: number; closed: number | null; latest: Map<string, number> }> {
    return new Promise((resolve) => {
      const onMessage = (m: { kind: string; count: number; closed: number | null; latest: [string, number][] }) => {
        if (m.kind !== 'report') return;
        this.worker.off('message', onMessage);
        resolve({ count: m.count, closed: m.closed, latest: new Map(m.latest) });
      };
      this.worker.on('message', onMessage);
      this.worker.postMessage('report');
    });
  }

  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    await new Promise((resolve) => this.worker.once('exit', resolve));
  }
}

/** A client that stops reading its socket: the server's send buffer for it fills up. */
function pause(client: TestClient): void {
  (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
}
function resume(client: TestClient): void {
  (client.socket as unknown as { _socket: { resume(): void } })._socket.resume();
}

describe('a client that does not keep up', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway(backends, { env: { WS_MAX_BUFFERED_BYTES: String(256 * 1024), WS_MAX_PENDING_JOBS: '800' } });
  });
  afterAll(async () => {
    await gateway.app.close();
  });

  it('does not hold up the others, and is closed with 1013 once it holds too many jobs', async () => {
    const fast = await ThreadClient.open(gateway.wsUrl);
    const slow = await TestClient.open(gateway.wsUrl);
    pause(slow);
    const base = await insertJob(backends.db, { filename: BIG_NAME });
    const jobs = Array.from({ length: 2500 }, () => copyJob(base));
    const sent = await flood(backends.bus, jobs, 1);

    // The reading client gets every job's last state while the other one is still stuck.
    const report = await waitFor(async () => {
      const r = await fast.report();
      return jobs.every((job) => r.latest.get(job.id) === 1) ? r : undefined;
    }, "the reading client to get every job's event");
    expect(report.closed).toBeNull();
    await waitFor(
      async () => (await metricValue(gateway.origin, 'docprocessor_gateway_ws_slow_client_disconnects_total')) === 1,
      'the disconnect',
    );
    expect(slow.events()).toHaveLength(0);

    resume(slow);
    const closed = await slow.closed;
    expect(closed.code).toBe(CLOSE_TOO_SLOW);
    expect(closed.reason).toMatch(/reconnect/);
    expect(slow.events().length).toBeLessThan(sent.length);
    expect((await fast.report()).closed).toBeNull();
    await fast.stop();
  });
});

describe('a client that falls behind for a while', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway(backends, { env: { WS_MAX_BUFFERED_BYTES: String(64 * 1024), WS_MAX_PENDING_JOBS: '1000' } });
  });
  afterAll(async () => {
    await gateway.app.close();
  });

  it('gets the latest event of each job once it reads again, never an older one after a newer one', async () => {
    const slow = await TestClient.open(gateway.wsUrl);
    pause(slow);
    const base = await insertJob(backends.db, { filename: BIG_NAME });
    const jobs = Array.from({ length: 600 }, () => copyJob(base));
    await flood(backends.bus, jobs, 4);
    await waitFor(async () => (await metricValue(gateway.origin, 'docprocessor_gateway_ws_frames_coalesced_total')) > 0, 'coalescing');
    const finals = await Promise.all(
      jobs.slice(0, 10).map((job) =>
        publish(backends.bus, 'completed', {
          ...job,
          status: 'completed',
          processedRows: 10,
          updatedAt: new Date(Date.parse(job.updatedAt) + 100).toISOString(),
        }),
      ),
    );
    // A late progress event, older than the terminal one, must not replace it.
    for (const job of jobs.slice(0, 10))
      await publish(backends.bus, 'progress', {
        ...job,
        processedRows: 3,
        updatedAt: new Date(Date.parse(job.updatedAt) + 3).toISOString(),
      });
    resume(slow);

    for (const final of finals)
      await waitFor(() => slow.events().find((e) => e.jobId === final.jobId && e.type === 'completed'), 'each terminal event');
    const marker = await publish(backends.bus, 'created', copyJob(base, { filename: 'marker.csv' }));
    await waitFor(() => slow.events().find((e) => e.jobId === marker.jobId), 'the marker after the catch-up');
    for (const final of finals) {
      const ofJob = slow.events().filter((e) => e.jobId === final.jobId);
      expect(ofJob.at(-1)).toEqual(final);
      const rows = ofJob.map((e) => e.job.processedRows);
      expect(rows).toEqual([...rows].sort((a, b) => a - b));
    }
    expect(slow.events().length).toBeLessThan(jobs.length * 4 + 21);
    expect(slow.socket.readyState).toBe(slow.socket.OPEN);
    slow.close();
  });
});
