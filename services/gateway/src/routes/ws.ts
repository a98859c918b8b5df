import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { API_KEY_HEADER, AppError, expectedOrigin, SESSION_COOKIE } from '@docprocessor/contracts';
import type { CallerAuthenticator, Credentials, Database, Principal } from '@docprocessor/db';
import type { GatewayConfig } from '../config.js';
import type { Fanout } from '../fanout.js';
import type { GatewayMetrics } from '../metrics.js';
import { ClientSession } from '../ws/client-session.js';
import { readSnapshot } from '../ws/read-snapshot.js';
import type { Sessions } from '../ws/sessions.js';

export interface WsRouteOptions {
  config: GatewayConfig;
  db: Database;
  callers: CallerAuthenticator;
  fanout: Fanout;
  sessions: Sessions;
  metrics: GatewayMetrics;
  logger: Logger;
}

const callers = new WeakMap<FastifyRequest, { principal: Principal; credentials: Credentials }>();

const first = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;

/** Browsers cannot set headers on a WebSocket, so the key may also come as ?apiKey=. */
export function apiKeyOf(request: FastifyRequest): string | undefined {
  return first(request.headers[API_KEY_HEADER]) || first((request.query as Record<string, unknown> | undefined)?.apiKey);
}

/**
 * GET /ws: live job events of the caller's tenant, for any role. The key or the browser's session cookie is checked
 * before the upgrade, so a bad one gets a plain 401. A socket opened by cookie must come from the one origin:
 * browsers send cookies on another site's WebSocket too (cross-site WebSocket hijacking).
 */
export async function wsRoutes(app: FastifyInstance, options: WsRouteOptions): Promise<void> {
  const { config, db, fanout, sessions, metrics, logger } = options;

  async function checkCaller(request: FastifyRequest): Promise<void> {
    const apiKey = apiKeyOf(request);
    const credentials: Credentials = apiKey ? { apiKey } : { sessionToken: request.cookies[SESSION_COOKIE] };
    let match: Awaited<ReturnType<CallerAuthenticator['identify']>>;
    try {
      match = await options.callers.identify(credentials);
    } catch (error) {
      throw new AppError('service_unavailable', 'Credentials cannot be checked right now; try again shortly', { cause: error });
    }
    if (!match) throw new AppError('unauthorized', 'Sign in, or send a valid API key: X-API-Key header or ?apiKey= query parameter');
    if (match.principal.kind === 'session' && request.headers.origin !== expectedOrigin(request, config.PUBLIC_ORIGIN))
      throw new AppError('forbidden', 'A WebSocket opened with the session cookie must come from this site (Origin did not match)');
    callers.set(request, { principal: match.principal, credentials });
  }

  app.route({
    method: 'GET',
    url: '/ws',
    onRequest: checkCaller,
    handler: async () => {
      throw new AppError('invalid_request', '/ws speaks WebSocket only: open it with a WebSocket client');
    },
    wsHandler: (socket, request) => {
      const caller = callers.get(request);
      if (!caller) return void socket.close(1008, 'unauthorized');
      const { principal } = caller;
      if (socket.readyState !== socket.OPEN) return;
      const session = new ClientSession({
        socket,
        tenantId: principal.tenantId,
        limits: { maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES, maxPendingJobs: config.WS_MAX_PENDING_JOBS },
        readSnapshot: (input) => readSnapshot({ db, input }),
        metrics,
        logger: logger.child({ reqId: request.id, tenantId: principal.tenantId, actor: principal.actor }),
        onEnd: (ended) => {
          fanout.remove(ended);
          sessions.delete(ended);
          metrics.connectedClients.dec();
        },
      });
      sessions.add(session, caller);
      fanout.add(session);
      metrics.connectedClients.inc();
    },
  });
}
