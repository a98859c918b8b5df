import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import type { CallerAuthenticator, Credentials, Principal } from '@docprocessor/db';
import type { ClientSession } from './client-session.js';

const HEARTBEAT_MS = 30_000;
/** How often open sockets' callers are checked again: a revoked key or ended session stops receiving within seconds. */
const KEY_RECHECK_MS = 1000;
const CLOSE_GRACE_MS = 1_000;

/** Who opened a socket, and with what: rechecked every second. */
interface Caller {
  principal: Principal;
  credentials: Credentials;
}

/** Sockets opened by one key or one browser session are checked once for all of them. */
const callerId = ({ principal, credentials }: Caller): string =>
  principal.sessionId ? `session:${principal.sessionId}` : `key:${credentials.apiKey ?? ''}`;

/**
 * The open sessions of one app, each with the caller that opened it: a heartbeat that drops dead peers,
 * a recheck that closes the sockets of revoked keys and ended browser sessions, and the goodbye at shutdown.
 */
export class Sessions {
  private readonly open = new Map<ClientSession, Caller>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly recheck: NodeJS.Timeout;
  private rechecking = false;

  constructor(
    private readonly callers: CallerAuthenticator,
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

  add(session: ClientSession, caller: Caller): void {
    this.open.set(session, caller);
  }

  delete(session: ClientSession): void {
    this.open.delete(session);
  }

  // One lookup per distinct caller, not per socket: a thousand browsers on one key cost one check a second, not a thousand.
  private async recheckKeys(): Promise<void> {
    const byCaller = new Map<string, { caller: Caller; sessions: ClientSession[] }>();
    for (const [session, caller] of this.open) {
      const group = byCaller.get(callerId(caller));
      if (group) group.sessions.push(session);
      else byCaller.set(callerId(caller), { caller, sessions: [session] });
    }
    for (const { caller, sessions } of byCaller.values()) {
      try {
        if (await this.callers.stillValid(caller.principal, caller.credentials)) continue;
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
