import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import type { Authenticate } from '@docprocessor/db';
import type { ClientSession } from './client-session.js';

const HEARTBEAT_MS = 30_000;
/** How often open sockets' keys are checked again: a revoked key stops receiving within seconds, not at reconnect. */
const KEY_RECHECK_MS = 1000;
const CLOSE_GRACE_MS = 1_000;

/**
 * The open sessions of one app, each with the API key it connected with: a heartbeat that drops dead peers,
 * a recheck that closes the sessions of revoked keys, and the goodbye at shutdown.
 */
export class Sessions {
  private readonly open = new Map<ClientSession, string | undefined>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly recheck: NodeJS.Timeout;
  private rechecking = false;

  constructor(
    private readonly authenticate: Authenticate,
    private readonly logger: Logger,
  ) {
    this.heartbeat = setInterval(() => {
      for (const session of this.open.keys()) session.heartbeat();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    this.recheck = setInterval(() => {
      if (this.rechecking) return;
      this.rechecking = true;
      void this.recheckKeys().finally(() => (this.rechecking = false));
    }, KEY_RECHECK_MS);
    this.recheck.unref();
  }

  get size(): number {
    return this.open.size;
  }

  add(session: ClientSession, apiKey: string | undefined): void {
    this.open.set(session, apiKey);
  }

  delete(session: ClientSession): void {
    this.open.delete(session);
  }

  // One lookup per distinct key, not per socket: a thousand browsers on one key cost one check a second, not a thousand.
  private async recheckKeys(): Promise<void> {
    const byKey = new Map<string | undefined, ClientSession[]>();
    for (const [session, apiKey] of this.open) {
      const sessions = byKey.get(apiKey);
      if (sessions) sessions.push(session);
      else byKey.set(apiKey, [session]);
    }
    for (const [apiKey, sessions] of byKey) {
      try {
        if (await this.authenticate(apiKey)) continue;
      } catch (error) {
        // Keys cannot be checked right now (database away): keep serving, as before the outage; new upgrades get 503.
        this.logger.warn({ err: error }, 'could not check the API keys of open sockets');
        return;
      }
      for (const session of sessions) session.closeRevoked();
    }
  }

  /**
   * Tells every client to reconnect (1012), waits a moment for the closing handshakes, then cuts whoever is left
   * (e.g. a client that stopped reading), so shutdown never hangs on a peer.
   */
  async closeAll(server: WebSocketServer): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.recheck);
    for (const session of [...this.open.keys()]) session.closeForRestart();
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (server.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    for (const socket of server.clients) socket.terminate();
  }
}
