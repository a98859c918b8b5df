// The socket-fanout scenario's clients, run in a child process of the bench (`fork`), so that their CPU and their event
// loop are not the bench's own: N `ws` clients of /ws, each subscribed to every job, timing every frame on arrival.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';

/** The bench asks for a report once the job's final event is on NATS; the times are that event's arrivals there. */
export interface ReportRequest {
  kind: 'report';
  jobId: string;
  /** Per event key (`jobId type at`): when the bench's own NATS subscriber got it, in ms since the epoch. */
  natsTimes: Record<string, number>;
  timeoutMs: number;
}

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export type ClientsMessage =
  | { kind: 'ready'; opened: number; failed: number; firstError: string | null }
  | {
      kind: 'report';
      /** Clients that got a terminal event of the job before the timeout. */
      sawFinal: number;
      /** Clients closed before the report (e.g. 1013 too slow). */
      closed: number;
      /** Event frames of the job per client, sorted. */
      framesPerClient: number[];
      fromNats: Summary;
      /** From the event's own `at` (set just before the publish), the same arrivals. */
      fromAt: Summary;
      /** Frames whose event the bench's NATS subscriber never saw (should be 0). */
      unmatched: number;
      cpuSeconds: number;
      eventLoopDelayP99Ms: number;
    };

interface Client {
  socket: WebSocket;
  /** Event frames per job. */
  frames: Map<string, number>;
  /** Jobs whose terminal event this client got. */
  finals: Set<string>;
  closed: boolean;
}

/** Every client gets the same text for one event, so each text is parsed once and its arrivals kept together. */
interface SeenFrame {
  kind: 'snapshot' | 'other' | 'event';
  key: string;
  jobId: string;
  at: number;
  terminal: boolean;
  arrivals: number[];
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const OPEN_AT_ONCE = 100;

const [url = '', countText = '0'] = process.argv.slice(2);
const clients: Client[] = [];
const seen = new Map<string, SeenFrame>();

function classify(text: string): SeenFrame {
  const frame = JSON.parse(text) as { type: string; jobId?: string; at?: string };
  const event = frame.type !== 'snapshot' && frame.type !== 'error' && typeof frame.jobId === 'string';
  return {
    kind: frame.type === 'snapshot' ? 'snapshot' : event ? 'event' : 'other',
    key: `${frame.jobId} ${frame.type} ${frame.at}`,
    jobId: frame.jobId ?? '',
    at: Date.parse(frame.at ?? ''),
    terminal: TERMINAL.has(frame.type),
    arrivals: [],
  };
}

function open(subscribed: (error: Error | null) => void): void {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const client: Client = { socket, frames: new Map(), finals: new Set(), closed: false };
  let settled = false;
  const settle = (error: Error | null) => {
    if (!settled) subscribed(error);
    settled = true;
  };
  socket.on('open', () => socket.send(JSON.stringify({ op: 'subscribe' })));
  socket.on('error', (error) => settle(error));
  socket.on('close', () => {
    client.closed = true;
    settle(new Error('closed before its snapshot'));
  });
  socket.on('message', (data: Buffer) => {
    const now = Date.now();
    const text = data.toString();
    let frame = seen.get(text);
    if (!frame) seen.set(text, (frame = classify(text)));
    if (frame.kind === 'snapshot') return settle(null);
    if (frame.kind !== 'event') return;
    frame.arrivals.push(now);
    client.frames.set(frame.jobId, (client.frames.get(frame.jobId) ?? 0) + 1);
    if (frame.terminal) client.finals.add(frame.jobId);
  });
  clients.push(client);
}

async function openAll(count: number): Promise<void> {
  let failed = 0;
  let firstError: string | null = null;
  for (let start = 0; start < count; start += OPEN_AT_ONCE) {
    const batch = Math.min(OPEN_AT_ONCE, count - start);
    await Promise.all(
      Array.from(
        { length: batch },
        () =>
          new Promise<void>((resolve) =>
            open((error) => {
              if (error) {
                failed++;
                firstError ??= error.message;
              }
              resolve();
            }),
          ),
      ),
    );
  }
  send({ kind: 'ready', opened: count - failed, failed, firstError });
}

function summarise(values: number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

async function report(request: ReportRequest, cpuStart: NodeJS.CpuUsage, delay: ReturnType<typeof monitorEventLoopDelay>) {
  const deadline = Date.now() + request.timeoutMs;
  const { jobId } = request;
  while (Date.now() < deadline && clients.some((c) => !c.finals.has(jobId) && !c.closed)) await new Promise((r) => setTimeout(r, 50));
  const fromNats: number[] = [];
  const fromAt: number[] = [];
  let unmatched = 0;
  for (const frame of seen.values()) {
    if (frame.kind !== 'event' || frame.jobId !== jobId) continue;
    const nats = request.natsTimes[frame.key];
    if (nats === undefined) unmatched += frame.arrivals.length;
    for (const arrival of frame.arrivals) {
      if (nats !== undefined) fromNats.push(arrival - nats);
      fromAt.push(arrival - frame.at);
    }
  }
  const cpu = process.cpuUsage(cpuStart);
  send({
    kind: 'report',
    sawFinal: clients.filter((c) => c.finals.has(jobId)).length,
    closed: clients.filter((c) => c.closed).length,
    framesPerClient: clients.map((c) => c.frames.get(jobId) ?? 0).sort((a, b) => a - b),
    fromNats: summarise(fromNats),
    fromAt: summarise(fromAt),
    unmatched,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
  });
}

function send(message: ClientsMessage): void {
  process.send?.(message);
}

let cpuStart = process.cpuUsage();
const delay = monitorEventLoopDelay({ resolution: 10 });
process.on('message', (request: ReportRequest) => {
  void report(request, cpuStart, delay).finally(() => {
    for (const client of clients) client.socket.terminate();
    process.disconnect?.();
  });
});

await openAll(Number(countText));
// From here on the CPU and the loop's delays are the import's: connecting and the snapshots are not counted.
cpuStart = process.cpuUsage();
delay.enable();
