import { CLOSE_RECONNECT, CLOSE_TOO_SLOW, ErrorFrame, ImportEvent, Job, type ClientFrame, type ServerFrame } from '@docprocessor/contracts';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionInfo {
  state: ConnectionState;
  /** Consecutive failed connections since the last healthy one. */
  failures: number;
  /** When reconnecting: the wait before the next try, in ms. */
  retryInMs: number | null;
}

/** The subset of the browser WebSocket the client uses, so tests can inject a fake. */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type SocketConstructor = new (url: string) => SocketLike;

export interface Backoff {
  initialMs: number;
  maxMs: number;
}
export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 10_000 };

/** Exponential backoff with ±20% jitter, kept within [initialMs, maxMs] so clients that dropped together spread out. */
export function backoffDelay(failures: number, random: () => number = Math.random, backoff: Backoff = DEFAULT_BACKOFF): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 30));
  const jittered = base * (0.8 + 0.4 * random());
  return Math.round(Math.min(backoff.maxMs, Math.max(backoff.initialMs, jittered)));
}

export interface SocketOptions {
  /** Evaluated on each connect, so a changed key is picked up. */
  url: () => string;
  onFrame: (frame: ServerFrame) => void;
  onConnection?: (info: ConnectionInfo) => void;
  /** The socket closed without ever opening: the server refused it (maybe 401) or is unreachable. */
  onRefused?: () => void;
  WebSocket?: SocketConstructor;
  random?: () => number;
  backoff?: Backoff;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface LiveSocket {
  /** Skips the wait and connects now (e.g. the browser came back online). */
  reconnectNow(): void;
  close(): void;
}

// The server asks us to come back: a restart or a client too slow for the stream. Reconnect at once.
const COME_BACK_CODES = new Set([CLOSE_RECONNECT, CLOSE_TOO_SLOW]);

/** Keeps one subscription to /ws alive: subscribes on open, reconnects with backoff on any drop. */
export function connectSocket(options: SocketOptions): LiveSocket {
  const Ctor = options.WebSocket ?? (globalThis.WebSocket as unknown as SocketConstructor);
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let socket: SocketLike | null = null;
  let timer: unknown = null;
  let failures = 0;
  let stopped = false;

  const report = (state: ConnectionState, retryInMs: number | null = null) => options.onConnection?.({ state, failures, retryInMs });

  function open(): void {
    timer = null;
    if (stopped) return;
    report(failures === 0 ? 'connecting' : 'reconnecting');
    let opened = false;
    const ws = new Ctor(options.url());
    socket = ws;
    ws.onopen = () => {
      opened = true;
      ws.send(JSON.stringify({ op: 'subscribe' } satisfies ClientFrame));
    };
    ws.onmessage = (event) => {
      const frame = parseFrame(event.data);
      if (!frame) return;
      if (frame.type === 'snapshot') {
        // A snapshot proves the whole path works: only now does the backoff start over.
        failures = 0;
        report('open');
      }
      options.onFrame(frame);
    };
    ws.onerror = () => undefined; // always followed by close, which decides
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      if (stopped) return;
      if (!opened) options.onRefused?.();
      if (stopped) return; // onRefused may have stopped us (key refused)
      // Immediate only after a healthy session, so a server that keeps sending us away still gets backoff.
      const comeBack = opened && failures === 0 && COME_BACK_CODES.has(event.code);
      const delay = comeBack ? 0 : backoffDelay(failures, options.random, options.backoff);
      failures += 1;
      schedule(delay);
    };
  }

  function schedule(delay: number): void {
    report('reconnecting', delay);
    timer = setTimer(open, delay);
  }

  open();

  return {
    reconnectNow() {
      if (stopped || socket) return;
      if (timer !== null) clearTimer(timer);
      open();
    },
    close() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      const ws = socket;
      socket = null;
      if (ws) {
        ws.onclose = null;
        ws.onmessage = null;
        ws.close(1000, 'client closed');
      }
      report('closed');
    },
  };
}

/** Parses one text frame; a snapshot keeps every valid job even if one is malformed. Unknown frames are dropped. */
export function parseFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  if (type === 'snapshot') {
    const jobs = (value as { jobs?: unknown }).jobs;
    if (!Array.isArray(jobs)) return null;
    return { type: 'snapshot', jobs: jobs.flatMap((job) => validJob(job)) };
  }
  const parsed = type === 'error' ? ErrorFrame.safeParse(value) : ImportEvent.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function validJob(value: unknown): Job[] {
  const parsed = Job.safeParse(value);
  return parsed.success ? [parsed.data] : [];
}

/**
 * `ws(s)://<this host>/ws`: the browser sends the session cookie with the upgrade by itself; an API key goes in
 * `?apiKey=…`, as browsers cannot set headers on a WebSocket.
 */
export function socketUrl(key: string | null, location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws${key ? `?apiKey=${encodeURIComponent(key)}` : ''}`;
}
