import WebSocket from 'ws';
import type { ImportEvent, Job } from '@docprocessor/contracts';
import type { Origin } from '../../src/stack.js';
import { eventually } from './wait.js';

export type Frame = { type: 'snapshot'; jobs: Job[] } | { type: 'error'; error: { code: string; message: string } } | ImportEvent;

/** A real WebSocket client of /ws on the stack's one origin, keeping every frame it receives in order. */
export class WsClient {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as Frame));
    socket.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  static url(stack: Origin, key: string | false = stack.apiKey): string {
    const base = `${stack.url.replace(/^http/, 'ws')}/ws`;
    return key === false ? base : `${base}?apiKey=${encodeURIComponent(key)}`;
  }

  static async open(stack: Origin, key: string | false = stack.apiKey): Promise<WsClient> {
    const socket = new WebSocket(WsClient.url(stack, key));
    const client = new WsClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    });
    return client;
  }

  /** Tries an upgrade and returns the HTTP status it was refused with (or 101 if it opened). */
  static async upgradeStatus(
    stack: Origin,
    key: string | false,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    const socket = new WebSocket(WsClient.url(stack, key), { headers });
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        socket.close();
        resolve({ status: 101, body: '' });
      });
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      });
      socket.once('error', (error) => {
        if (!/Unexpected server response/.test(error.message)) reject(error);
      });
    });
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  subscribe(jobId?: string): void {
    this.send(jobId ? { op: 'subscribe', jobId } : { op: 'subscribe' });
  }

  snapshots(): Array<{ type: 'snapshot'; jobs: Job[] }> {
    return this.frames.filter((f): f is { type: 'snapshot'; jobs: Job[] } => f.type === 'snapshot');
  }

  /** The job events (not snapshots or errors) of one job, in arrival order. */
  eventsOf(jobId: string): ImportEvent[] {
    return this.frames.filter((f): f is ImportEvent => f.type !== 'snapshot' && f.type !== 'error' && f.jobId === jobId);
  }

  async waitForFrame(match: (frame: Frame) => boolean, what: string, timeoutMs = 60_000): Promise<Frame> {
    return eventually(() => this.frames.find(match), `${what} over the WebSocket`, timeoutMs, 20);
  }

  async waitForTerminal(jobId: string, timeoutMs = 60_000): Promise<ImportEvent> {
    const frame = await this.waitForFrame(
      (f) => f.type !== 'snapshot' && f.type !== 'error' && f.jobId === jobId && ['completed', 'failed', 'cancelled'].includes(f.type),
      `a terminal event of ${jobId}`,
      timeoutMs,
    );
    return frame as ImportEvent;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
      setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 2000).unref();
    });
  }
}
