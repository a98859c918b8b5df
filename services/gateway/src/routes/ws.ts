import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { API_KEY_HEADER, AppError } from '@docprocessor/contracts';
import type { Authenticate, Database, Principal } from '@docprocessor/db';
import type { GatewayConfig } from '../config.js';
import type { Fanout } from '../fanout.js';
import type { GatewayMetrics } from '../metrics.js';
import { ClientSession } from '../ws/client-session.js';
import { readSnapshot } from '../ws/read-snapshot.js';
import type { Sessions } from '../ws/sessions.js';

export interface WsRouteOptions {
  config: GatewayConfig;
  db: Database;
  authenticate: Authenticate;
  fanout: Fanout;
  sessions: Sessions;
  metrics: GatewayMetrics;
  logger: Logger;
}

const principals = new WeakMap<FastifyRequest, Principal>();

const first = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;

/** Browsers cannot set headers on a WebSocket, so the key may also come as ?apiKey=. */
export function apiKeyOf(request: FastifyRequest): string | undefined {
  return first(request.headers[API_KEY_HEADER]) || first((request.query as Record<string, unknown> | undefined)?.apiKey);
}

/** GET /ws: live job events of the caller's tenant. The key is checked before the upgrade, so a bad one gets a plain 401. */
export async function wsRoutes(app: FastifyInstance, options: WsRouteOptions): Promise<void> {
  const { config, db, authenticate, fanout, sessions, metrics, logger } = options;

  async function checkKey(request: FastifyRequest): Promise<void> {
    let principal: Principal | null;
    try {
      principal = await authenticate(apiKeyOf(request));
    } catch (error) {
      throw new AppError('service_unavailable', 'API keys cannot be checked right now; try again shortly', { cause: error });
    }
    if (!principal) throw new AppError('unauthorized', 'A valid API key is required: X-API-Key header or ?apiKey= query parameter');
    principals.set(request, principal);
  }

  app.route({
    method: 'GET',
    url: '/ws',
    onRequest: checkKey,
    handler: async () => {
      throw new AppError('invalid_request', '/ws speaks WebSocket only: open it with a WebSocket client');
    },
    wsHandler: (socket, request) => {
      const principal = principals.get(request);
      if (!principal) return void socket.close(1008, 'unauthorized');
      if (socket.readyState !== socket.OPEN) return;
      const session = new ClientSession({
        socket,
        tenantId: principal.tenantId,
        limits: { maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES, maxPendingJobs: config.WS_MAX_PENDING_JOBS },
        readSnapshot: (input) => readSnapshot({ db, input }),
        metrics,
        logger: logger.child({ reqId: request.id, tenantId: principal.tenantId, keyName: principal.keyName }),
        onEnd: (ended) => {
          fanout.remove(ended);
          sessions.delete(ended);
          metrics.connectedClients.dec();
        },
      });
      sessions.add(session, apiKeyOf(request));
      fanout.add(session);
      metrics.connectedClients.inc();
    },
  });
}
