import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import cookie from '@fastify/cookie';
import { pino, type Logger } from 'pino';
import type { Bus } from '@docprocessor/bus';
import { jobIdOfPath } from '@docprocessor/contracts';
import { type Authenticate, createCallerAuthenticator, type DbClient } from '@docprocessor/db';
import { sessionSettingsOf } from '@docprocessor/contracts';
import type { GatewayConfig } from './config.js';
import { clientErrorHandler, frameworkErrors, installErrorHandler } from './errors.js';
import { Fanout } from './fanout.js';
import { PathOnlyLogController } from './logging.js';
import { createMetrics } from './metrics.js';
import { metaRoutes } from './routes/meta.js';
import { proxyRoutes } from './routes/proxy.js';
import { webRoutes } from './routes/web.js';
import { wsRoutes } from './routes/ws.js';
import { Sessions } from './ws/sessions.js';

export interface GatewayAppOptions {
  config: GatewayConfig;
  bus: Bus;
  db: DbClient;
  authenticate: Authenticate;
  logger?: Logger;
}

/** Client frames are a few bytes of JSON; anything near this is not a client of ours. */
const MAX_CLIENT_FRAME_BYTES = 16 * 1024;

/**
 * The one origin: the UI, /ws, and /api/* + /metrics proxied to ingest. A plain Fastify instance that main listens
 * on and tests start on 127.0.0.1:0. Closing it says goodbye to every socket (1012) and stops the fan-out;
 * the database and NATS connections stay the caller's to close.
 */
export async function buildApp({
  config,
  bus,
  db,
  authenticate,
  logger = pino({ level: 'silent' }),
}: GatewayAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new PathOnlyLogController(),
    requestIdHeader: 'x-request-id',
    // A request about one job logs with its jobId, from "incoming request" to "request completed".
    childLoggerFactory: (logger, bindings, options, raw) => {
      const jobId = jobIdOfPath(raw.url ?? '');
      return logger.child(jobId ? { ...bindings, jobId } : bindings, options);
    },
    frameworkErrors,
    clientErrorHandler,
  });
  const metrics = createMetrics();
  const fanout = new Fanout({ bus, logger, metrics });
  const callers = createCallerAuthenticator(authenticate, db.sql, sessionSettingsOf(config));
  const sessions = new Sessions(callers, logger);

  installErrorHandler(app);
  await app.register(cookie);
  await app.register(websocket, {
    options: { maxPayload: MAX_CLIENT_FRAME_BYTES },
    preClose: async () => {
      await sessions.closeAll(app.websocketServer);
      await new Promise<void>((resolve) => app.websocketServer.close(() => resolve()));
    },
    errorHandler: (error, socket, request) => {
      request.log.warn({ err: error }, 'websocket error');
      socket.terminate();
    },
  });
  await app.register(wsRoutes, { config, db: db.db, callers, fanout, sessions, metrics, logger });
  await app.register(proxyRoutes, { upstream: config.INGEST_URL });
  await app.register(metaRoutes, { metrics });
  await webRoutes(app, { webDist: config.WEB_DIST });

  fanout.start();
  app.addHook('onClose', async () => fanout.stop());
  return app;
}
