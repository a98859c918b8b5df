import type { WebSocketServer } from 'ws';
import type { ClientSession } from './client-session.js';

const HEARTBEAT_MS = 30_000;
const CLOSE_GRACE_MS = 1_000;

/** The open sessions of one app: a heartbeat that drops dead peers, and the goodbye at shutdown. */
export class Sessions {
  private readonly open = new Set<ClientSession>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => {
      for (const session of this.open) session.heartbeat();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.open.size;
  }

  add(session: ClientSession): void {
    this.open.add(session);
  }

  delete(session: ClientSession): void {
    this.open.delete(session);
  }

  /**
   * Tells every client to reconnect (1012), waits a moment for the closing handshakes, then cuts whoever is left
   * (e.g. a client that stopped reading), so shutdown never hangs on a peer.
   */
  async closeAll(server: WebSocketServer): Promise<void> {
    clearInterval(this.heartbeat);
    for (const session of [...this.open]) session.closeForRestart();
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (server.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    for (const socket of server.clients) socket.terminate();
  }
}
