import type { Logger } from 'pino';
import WebSocket from 'ws';
import {
  AppError,
  CLOSE_KEY_REVOKED,
  CLOSE_RECONNECT,
  CLOSE_TOO_SLOW,
  type ErrorFrame,
  type Job,
  type SnapshotFrame,
} from '@docprocessor/contracts';
import type { FanoutClient } from '../fanout.js';
import type { GatewayMetrics } from '../metrics.js';
import { parseClientFrame } from './client-frames.js';
import { LatestPerJob, type QueuedEvent } from './latest-per-job.js';
import type { SnapshotInput } from './read-snapshot.js';

export interface SessionLimits {
  maxBufferedBytes: number;
  maxPendingJobs: number;
}

export interface SessionOptions {
  socket: WebSocket;
  tenantId: string;
  limits: SessionLimits;
  readSnapshot(input: SnapshotInput): Promise<Job[]>;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Called once when the session ends, whatever the reason. */
  onEnd(session: ClientSession): void;
}

const DRAIN_CHECK_MS = 50;
const MAX_QUEUED_SUBSCRIBES = 8;
const CONTROL_FRAME_HEADROOM = 4;
/** Events are JSON text, sent as text frames even when handed over as bytes. */
const TEXT_FRAME = { binary: false } as const;

/**
 * One WebSocket client: what it subscribed to, and the events held back while its snapshot is read or while
 * its socket is backed up. deliver() never blocks, so a slow client cannot slow the others.
 */
export class ClientSession implements FanoutClient {
  readonly tenantId: string;
  /** null: every job of the tenant. */
  private jobFilter: string | null = null;
  /** A snapshot is being read: live events wait in `pending` so none is lost or sent before it. */
  private holding = false;
  private readonly pending = new LatestPerJob();
  private drainTimer: NodeJS.Timeout | null = null;
  private subscribes: Promise<void> = Promise.resolve();
  private queuedSubscribes = 0;
  private ended = false;
  /** Cleared at each heartbeat, set again by the pong. */
  private alive = true;

  constructor(private readonly options: SessionOptions) {
    this.tenantId = options.tenantId;
    const { socket } = options;
    socket.on('message', (data) => this.onFrame(data));
    socket.on('pong', () => (this.alive = true));
    socket.on('close', () => this.end());
  }

  /** The fan-out counts what this sends right away (true); what waits is counted when it goes. */
  deliver(item: QueuedEvent): boolean {
    if (this.ended || (this.jobFilter !== null && item.event.jobId !== this.jobFilter)) return false;
    const backedUp = this.options.socket.bufferedAmount > this.options.limits.maxBufferedBytes;
    if (!this.holding && this.pending.size === 0 && !backedUp) return this.write(item.raw, 'event');
    if (this.pending.offer(item)) this.options.metrics.framesCoalesced.inc();
    if (this.pending.size > this.options.limits.maxPendingJobs) this.closeTooSlow();
    else if (!this.holding) this.scheduleDrain();
    return false;
  }

  /** A peer that did not answer the previous ping is gone (no FIN ever came): cut it. */
  heartbeat(): void {
    if (!this.alive) return void this.options.socket.terminate();
    this.alive = false;
    this.options.socket.ping();
  }

  /** Server shutdown: the client should reconnect (to another instance, or to this one once it is back). */
  closeForRestart(): void {
    this.closeWith(CLOSE_RECONNECT, 'server restarting, reconnect');
  }

  /** The key this socket was opened with is no longer valid: say so, then close. */
  closeRevoked(): void {
    if (this.ended) return;
    this.options.logger.info('closing a socket whose API key was revoked or whose session ended');
    this.sendError(new AppError('unauthorized', 'The API key of this connection was revoked, or its sign-in session ended'));
    this.closeWith(CLOSE_KEY_REVOKED, 'credentials revoked');
  }

  private onFrame(data: WebSocket.RawData): void {
    const frame = parseClientFrame(data);
    if (frame instanceof AppError) return this.sendError(frame);
    if (this.queuedSubscribes >= MAX_QUEUED_SUBSCRIBES)
      return this.sendError(new AppError('rate_limited', 'Too many subscribe requests at once; wait for the snapshot'));
    this.queuedSubscribes++;
    const jobId = frame.jobId ?? null;
    this.subscribes = this.subscribes
      .then(() => this.subscribe(jobId))
      .catch((error: unknown) => this.options.logger.error({ err: error, jobId }, 'subscribe failed'))
      .finally(() => this.queuedSubscribes--);
  }

  /** Snapshot first, then the live events that happened meanwhile and are newer than it. Never rejects. */
  private async subscribe(jobId: string | null): Promise<void> {
    if (this.ended) return;
    this.jobFilter = jobId;
    this.holding = true;
    this.pending.clear();
    this.stopDrain();
    let snapshot: Job[] | null = null;
    try {
      snapshot = await this.options.readSnapshot({ tenantId: this.tenantId, jobId });
    } catch (error) {
      this.options.logger.warn({ err: error, jobId }, 'snapshot failed');
      this.sendError(error instanceof AppError ? error : new AppError('service_unavailable', 'The snapshot failed; subscribe again'));
    }
    if (this.ended) return;
    if (snapshot) {
      const frame: SnapshotFrame = { type: 'snapshot', jobs: snapshot };
      this.send(JSON.stringify(frame), 'snapshot');
      const dropped = this.pending.dropCoveredBy(snapshot);
      if (dropped > 0) this.options.metrics.framesCoalesced.inc(dropped);
    }
    this.holding = false;
    this.flush();
  }

  private flush(): void {
    const { socket, limits } = this.options;
    while (!this.ended && this.pending.size > 0 && socket.bufferedAmount <= limits.maxBufferedBytes) {
      const next = this.pending.shift();
      if (next) this.send(next.raw, 'event');
    }
    if (this.pending.size > 0) this.scheduleDrain();
  }

  /** Only while something is pending: a timer, since ws has no drain event of its own. */
  private scheduleDrain(): void {
    if (this.drainTimer || this.ended) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = null;
      if (!this.holding) this.flush();
    }, DRAIN_CHECK_MS);
  }

  private stopDrain(): void {
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
  }

  private closeTooSlow(): void {
    if (this.ended) return;
    this.options.metrics.slowClientDisconnects.inc();
    this.options.logger.warn(
      { pendingJobs: this.pending.size, bufferedBytes: this.options.socket.bufferedAmount },
      'closing a client that fell too far behind',
    );
    this.closeWith(CLOSE_TOO_SLOW, 'too slow to keep up: reconnect for a fresh snapshot');
  }

  private closeWith(code: number, reason: string): void {
    const { socket } = this.options;
    this.end();
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(code, reason);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pending.clear();
    this.stopDrain();
    this.options.onEnd(this);
  }

  private sendError(error: AppError): void {
    const frame: ErrorFrame = { type: 'error', error: { code: error.code, message: error.message } };
    this.send(JSON.stringify(frame), 'error');
  }

  private send(data: Buffer | string, type: 'event' | 'snapshot' | 'error'): void {
    if (this.write(data, type)) this.options.metrics.framesSent.inc({ type });
  }

  /** Sends one text frame; false when the socket is no longer open (or too far behind for a snapshot or error). */
  private write(data: Buffer | string, type: 'event' | 'snapshot' | 'error'): boolean {
    const { socket, limits } = this.options;
    if (socket.readyState !== WebSocket.OPEN) return false;
    // Snapshots and errors skip the event queue, but a client that asks for them without reading is still bounded.
    if (type !== 'event' && socket.bufferedAmount > CONTROL_FRAME_HEADROOM * limits.maxBufferedBytes) {
      this.closeTooSlow();
      return false;
    }
    socket.send(data, TEXT_FRAME);
    return true;
  }
}
