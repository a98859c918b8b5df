import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { ImportEvent, isTerminal } from '@docprocessor/contracts';
import { Stack } from '../stack.js';
import { CpuMeter } from './cpu-accounting.js';
import { generateContacts } from './generate-contacts.js';
import { peakRssMiB, timePipeline } from './measure.js';
import { fmt } from './report.js';
import type { ClientsMessage, ReportRequest, Summary } from './socket-clients.js';

export interface SocketFanoutOptions {
  clients: number;
  rows: number;
  /** Where the bench keeps its generated files. */
  dir: string;
  env?: Record<string, string>;
}

/** The goal for the fan-out latency, NATS → frame at the client. */
const GOAL_P99_MS = 100;
const REPORT_TIMEOUT_MS = 15_000;

type Report = Extract<ClientsMessage, { kind: 'report' }>;

function nextMessage<K extends ClientsMessage['kind']>(child: ChildProcess, kind: K): Promise<Extract<ClientsMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ClientsMessage) => {
      if (message.kind !== kind) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve(message as Extract<ClientsMessage, { kind: K }>);
    };
    const onExit = (code: number | null) => reject(new Error(`the socket clients exited (${code}) before their ${kind}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const ms = (value: number) => `${Math.round(value)} ms`;
const latencyLine = (what: string, s: Summary) =>
  `  ${what.padEnd(44)} p50 ${ms(s.p50).padStart(6)}   p99 ${ms(s.p99).padStart(6)}   max ${ms(s.max).padStart(6)}   ` +
  `(${s.count.toLocaleString('en-US')} frames)`;

const gatewayMetrics = async (stack: Stack) => (await (await fetch(`${stack.url}/gateway/metrics`)).text()).split('\n');

function counter(lines: string[], name: string): number {
  const line = lines.find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** The bucket bound under which a share `q` of a histogram's observations fall ("≤ 25 ms"). */
function bucketQuantile(lines: string[], name: string, q: number): string {
  const buckets = lines
    .filter((l) => l.startsWith(`${name}_bucket{`))
    .map((l) => ({ le: l.match(/le="([^"]+)"/)?.[1] ?? '+Inf', count: Number(l.split(' ').at(-1)) }));
  const total = buckets.at(-1)?.count ?? 0;
  const bucket = buckets.find((b) => b.count >= q * total);
  return !bucket || bucket.le === '+Inf' ? 'over the last bucket' : `≤ ${Number(bucket.le) * 1000} ms`;
}

/**
 * N WebSocket clients (in a child process, see socket-clients.ts) subscribed to every job while one import runs: the
 * latency of each frame from the event's arrival at a NATS subscriber of this process, on the same machine's clock,
 * the frames each client got, whether every client saw the final state, and the gateway's peak RSS.
 * Returns false when a client lost the final state (a wrong result); a latency over the goal is a figure, said as such.
 */
export async function measureSocketFanout(options: SocketFanoutOptions): Promise<boolean> {
  const file = join(options.dir, `realistic-${options.rows}.csv`);
  await generateContacts(file, { rows: options.rows, invalidFraction: 0, style: 'realistic' });
  const stack = await Stack.start({ label: 'bench_ws', asStarted: true, env: options.env ?? {} });
  let child: ChildProcess | null = null;
  const nc = await connect({ servers: stack.env.NATS_URL!.split(',') });
  try {
    await stack.processorsReady();
    console.log('');
    console.log(
      `${options.clients.toLocaleString('en-US')} live sockets: a ${options.rows.toLocaleString('en-US')}-row import with every ` +
        'client subscribed to every job (the clients run in a child process of the bench, so their CPU is not its own)',
    );
    // On a shared machine the figures depend on what else runs: the load says how busy it was.
    console.log(
      `  load average when it started: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')} (${cpus().length} cores)`,
    );
    const natsTimes: Record<string, number> = {};
    const published = new Map<string, number>();
    const finished = new Set<string>();
    nc.subscribe(`${stack.names.subjectPrefix}.>`, {
      callback: (_error, message) => {
        const arrived = Date.now();
        const event = ImportEvent.parse(message.json());
        natsTimes[`${event.jobId} ${event.type} ${event.at}`] = arrived;
        published.set(event.jobId, (published.get(event.jobId) ?? 0) + 1);
        if (isTerminal(event.job.status)) finished.add(event.jobId);
      },
    });
    await nc.flush();

    const wsUrl = `${stack.url.replace(/^http/, 'ws')}/ws?apiKey=${encodeURIComponent(stack.apiKey)}`;
    child = fork(new URL('./socket-clients.js', import.meta.url), [wsUrl, String(options.clients)], { stdio: 'inherit' });
    const opening = performance.now();
    const ready = await nextMessage(child, 'ready');
    console.log(`  ${ready.opened} clients connected and subscribed in ${fmt((performance.now() - opening) / 1000)}`);
    if (ready.failed > 0) console.log(`  ${ready.failed} clients failed to connect: ${ready.firstError}`);

    const gateway = stack.services.find((s) => s.name === 'gateway');
    const meter = new CpuMeter(stack);
    meter.start();
    const run = await timePipeline(stack, file);
    const cpu = meter.stop();
    // timePipeline saw the final event on a connection of its own: this one may still be reading it.
    while (!finished.has(run.job.id)) await new Promise((resolve) => setTimeout(resolve, 10));
    const reportArrives = nextMessage(child, 'report');
    child.send({ kind: 'report', jobId: run.job.id, natsTimes, timeoutMs: REPORT_TIMEOUT_MS } satisfies ReportRequest);
    const report = await reportArrives;
    const lines = await gatewayMetrics(stack);
    const coalesced = counter(lines, 'docprocessor_gateway_ws_frames_coalesced_total');
    const tooSlow = counter(lines, 'docprocessor_gateway_ws_slow_client_disconnects_total');
    const histogram = 'docprocessor_gateway_ws_fanout_seconds';
    const fanout = `p50 ${bucketQuantile(lines, histogram, 0.5)}, p99 ${bucketQuantile(lines, histogram, 0.99)}`;
    return printReport({
      options,
      run: { seconds: run.seconds, jobId: run.job.id },
      report,
      published,
      coalesced,
      tooSlow,
      fanout,
      cpu,
      gatewayRss: peakRssMiB(gateway?.child.pid),
    });
  } finally {
    await nc.close();
    if (child && child.exitCode === null) {
      child.kill();
      await once(child, 'exit');
    }
    await stack.stop();
  }
}

interface Outcome {
  options: SocketFanoutOptions;
  run: { seconds: number; jobId: string };
  report: Report;
  published: Map<string, number>;
  coalesced: number;
  tooSlow: number;
  /** The gateway's own share, from its histogram: reading an event off NATS to handing it to the last client. */
  fanout: string;
  cpu: Map<string, number>;
  gatewayRss: number | null;
}

function printReport({ options, run, report, published, coalesced, tooSlow, fanout, cpu, gatewayRss }: Outcome): boolean {
  const frames = report.framesPerClient;
  const median = frames[Math.floor(frames.length / 2)] ?? 0;
  const events = published.get(run.jobId) ?? 0;
  const everyFinal = report.sawFinal === options.clients;
  const met = report.fromNats.p99 <= GOAL_P99_MS && everyFinal && report.unmatched === 0;
  console.log(`  import ${fmt(run.seconds)} from the first upload byte to completed; ${events} events of the job on NATS`);
  console.log(
    `  frames of the job per client: min ${frames[0] ?? 0}, median ${median}, max ${frames.at(-1) ?? 0}` +
      ` (coalesced by the gateway: ${coalesced}, clients closed as too slow: ${tooSlow}, closed in all: ${report.closed})`,
  );
  console.log(`  clients that saw the final state: ${report.sawFinal} of ${options.clients}${everyFinal ? '' : '   MISSING'}`);
  console.log(latencyLine('fan-out latency, NATS → frame at the client', report.fromNats));
  console.log(latencyLine("from the event's own `at` → frame", report.fromAt));
  console.log(`  of which in the gateway (reading the event off NATS → written to the last socket): ${fanout}`);
  if (report.unmatched > 0) console.log(`  ${report.unmatched} frames of events the bench's NATS subscriber never saw`);
  console.log(`  goal p99 ≤ ${GOAL_P99_MS} ms with every final state: ${met ? 'met' : 'NOT met'}`);
  const cpuOf = (name: string) => fmt(cpu.get(name) ?? 0);
  console.log(
    `  gateway peak RSS ${gatewayRss ?? '?'} MiB; CPU over the import: gateway ${cpuOf('gateway')}, processor ${cpuOf('processor')}, ` +
      `clients ${fmt(report.cpuSeconds)} (their event loop's delay p99 ${ms(report.eventLoopDelayP99Ms)})`,
  );
  return everyFinal && report.unmatched === 0;
}
