import type net from 'node:net';

/** This process's PostgreSQL connections, counted at the socket: postgres.js exposes no pool statistics. */
export interface ConnectionStats {
  open: number;
  busy: number;
}

const sockets = new Map<net.Socket, { busy: boolean; reading: boolean }>();

/** ReadyForQuery ('Z', length 5, status): the server is done with what was sent; status 'I' is outside a transaction. */
const READY = [0x5a, 0, 0, 0, 5];
const IDLE = 0x49;

function endsWithReady(chunk: Buffer): number | null {
  if (chunk.length < 6) return null;
  const at = chunk.length - 6;
  for (let i = 0; i < READY.length; i++) if (chunk[at + i] !== READY[i]) return null;
  return chunk[chunk.length - 1]!;
}

/**
 * Counts a connection while its socket is open; it is busy from a write until the server's ReadyForQuery ends a
 * read with status idle (inside a transaction, or a reserved connection mid-COPY, it stays busy). An estimate: a
 * chunk that happens to end in those six bytes mid-reply reads as idle until the next write.
 */
export function watchConnection(socket: net.Socket): void {
  const state = { busy: false, reading: false };
  sockets.set(socket, state);
  const write = socket.write;
  socket.write = function (this: net.Socket, ...args: unknown[]) {
    state.busy = true;
    // Listening only from the first write: a 'data' listener added before postgres.js adds its own would lose replies.
    if (!state.reading) {
      state.reading = true;
      socket.on('data', (chunk: Buffer) => {
        const status = endsWithReady(chunk);
        if (status !== null) state.busy = status !== IDLE;
      });
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof socket.write;
  socket.once('close', () => sockets.delete(socket));
}

export function connectionStats(): ConnectionStats {
  let busy = 0;
  for (const state of sockets.values()) if (state.busy) busy++;
  return { open: sockets.size, busy };
}
