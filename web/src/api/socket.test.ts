import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_RECONNECT, CLOSE_TOO_SLOW, type ServerFrame } from '@docprocessor/contracts';
import { FakeSocket } from '../testing/fake-socket';
import { makeJob } from '../testing/factories';
import { backoffDelay, connectSocket, parseFrame, socketUrl, type ConnectionInfo, type SocketOptions } from './socket';

const snapshot = { type: 'snapshot', jobs: [] };

function start(overrides: Partial<SocketOptions> = {}) {
  const frames: ServerFrame[] = [];
  const states: ConnectionInfo[] = [];
  const live = connectSocket({
    url: () => 'ws://test/ws?apiKey=k',
    WebSocket: FakeSocket,
    random: () => 0.5, // no jitter
    onFrame: (f) => frames.push(f),
    onConnection: (s) => states.push(s),
    ...overrides,
  });
  return { live, frames, states, last: () => states.at(-1) };
}

beforeEach(() => {
  FakeSocket.reset();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('backoffDelay', () => {
  it('doubles from 0.5 s and stops at 10 s', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 12].map((n) => backoffDelay(n, () => 0.5));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('adds up to ±20% jitter but stays within the bounds', () => {
    expect(backoffDelay(2, () => 0)).toBe(1600);
    expect(backoffDelay(2, () => 1)).toBe(2400);
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(10, () => 1)).toBe(10_000);
  });
});

describe('connectSocket', () => {
  it('subscribes to everything on open and reports live once the snapshot arrives', () => {
    const { frames, last } = start();
    expect(last()?.state).toBe('connecting');
    FakeSocket.last.open();
    expect(FakeSocket.last.sent.map((s) => JSON.parse(s))).toEqual([{ op: 'subscribe' }]);
    FakeSocket.last.receive(snapshot);
    expect(last()?.state).toBe('open');
    expect(frames).toEqual([snapshot]);
  });

  it('reconnects with growing delays while the server stays away', () => {
    const { last } = start();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      FakeSocket.last.drop();
      const wait = last()?.retryInMs ?? -1;
      waits.push(wait);
      expect(last()?.state).toBe('reconnecting');
      const count = FakeSocket.instances.length;
      vi.advanceTimersByTime(wait - 1);
      expect(FakeSocket.instances).toHaveLength(count);
      vi.advanceTimersByTime(1);
      expect(FakeSocket.instances).toHaveLength(count + 1);
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('starts the backoff over after a healthy session and re-subscribes on the new socket', () => {
    const { last, frames } = start();
    FakeSocket.last.drop();
    vi.advanceTimersByTime(500);
    FakeSocket.last.drop();
    vi.advanceTimersByTime(1000);
    FakeSocket.last.open();
    FakeSocket.last.receive(snapshot);
    FakeSocket.last.drop();
    expect(last()?.retryInMs).toBe(500);
    vi.advanceTimersByTime(500);
    FakeSocket.last.open();
    expect(FakeSocket.last.sent).toEqual(['{"op":"subscribe"}']);
    FakeSocket.last.receive(snapshot);
    expect(frames.filter((f) => f.type === 'snapshot')).toHaveLength(2);
  });

  it.each([CLOSE_RECONNECT, CLOSE_TOO_SLOW])('comes back at once when the server closes with %i', (code) => {
    const { last } = start();
    FakeSocket.last.open();
    FakeSocket.last.receive(snapshot);
    FakeSocket.last.drop(code);
    expect(last()?.retryInMs).toBe(0);
    vi.advanceTimersByTime(0);
    expect(FakeSocket.instances).toHaveLength(2);
    // ...but a server that keeps sending us away gets backoff.
    FakeSocket.last.open();
    FakeSocket.last.drop(code);
    expect(last()?.retryInMs).toBe(1000);
  });

  it('tells the owner when a socket closes without ever opening (a refused upgrade)', () => {
    const onRefused = vi.fn();
    start({ onRefused });
    FakeSocket.last.open();
    FakeSocket.last.drop();
    expect(onRefused).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    FakeSocket.last.drop();
    expect(onRefused).toHaveBeenCalledTimes(1);
  });

  it('stops for good when onRefused closes it', () => {
    let live: ReturnType<typeof connectSocket> | undefined;
    const run = start({ onRefused: () => live?.close() });
    live = run.live;
    FakeSocket.last.drop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(run.last()?.state).toBe('closed');
  });

  it('reconnectNow skips the wait; close stops everything', () => {
    const { live, last } = start();
    FakeSocket.last.drop();
    live.reconnectNow();
    expect(FakeSocket.instances).toHaveLength(2);
    live.close();
    expect(FakeSocket.last.closedByClient?.code).toBe(1000);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(2);
    expect(last()?.state).toBe('closed');
  });

  it('reads the url on every connect, so a new key is used', () => {
    let key = 'one';
    start({ url: () => `ws://test/ws?apiKey=${key}` });
    key = 'two';
    FakeSocket.last.drop();
    vi.advanceTimersByTime(500);
    expect(FakeSocket.instances.map((s) => s.url)).toEqual(['ws://test/ws?apiKey=one', 'ws://test/ws?apiKey=two']);
  });

  it('passes events and drops frames it cannot read', () => {
    const { frames } = start();
    FakeSocket.last.open();
    const event = { type: 'progress', jobId: 'x', at: '2025-01-01T00:00:00Z', job: makeJob({ id: 'x' }) };
    FakeSocket.last.receive('not json');
    FakeSocket.last.receive({ type: 'progress', jobId: 'x' });
    FakeSocket.last.receive(event);
    expect(frames).toEqual([event]);
  });
});

describe('parseFrame', () => {
  it('keeps the valid jobs of a snapshot that holds a malformed one', () => {
    const good = makeJob({ id: 'good' });
    const frame = parseFrame(JSON.stringify({ type: 'snapshot', jobs: [good, { id: 'bad' }] }));
    expect(frame).toEqual({ type: 'snapshot', jobs: [good] });
  });

  it('reads error frames', () => {
    const frame = parseFrame(JSON.stringify({ type: 'error', error: { code: 'unauthorized', message: 'no' } }));
    expect(frame).toEqual({ type: 'error', error: { code: 'unauthorized', message: 'no' } });
  });
});

describe('socketUrl', () => {
  it('uses the page origin, wss on https, and escapes the key', () => {
    expect(socketUrl('a b&c', { protocol: 'https:', host: 'imports.example:8443' })).toBe('wss://imports.example:8443/ws?apiKey=a%20b%26c');
    expect(socketUrl('k', { protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/ws?apiKey=k');
  });
});
