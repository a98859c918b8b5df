import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { AppError, jobIdOfPath } from '@docprocessor/contracts';
import type { Authenticate } from '@docprocessor/db';
import type { IngestContext } from './imports/context.js';
import { sweepUnannouncedJobs } from './imports/announce-job.js';
import { apiDocsPlugin } from './plugins/api-docs.js';
import { authPlugin } from './plugins/auth.js';
import { auditPlugin } from './plugins/audit.js';
import { answerRouterError, errorsPlugin } from './plugins/errors.js';
import { metricsPlugin } from './plugins/metrics.js';
import { importRoutes } from './routes/imports.js';
import { peopleRoutes } from './routes/people.js';
import { ssoRoutes } from './sso/sso-routes.js';
import { metaRoutes } from './routes/meta.js';
import { rowErrorRoutes } from './routes/row-errors.js';
import { previewRoutes } from './routes/previews.js';
import { templateRoutes } from './routes/templates.js';
import { webhookRoutes } from './routes/webhooks.js';

export interface IngestAppOptions {
  ctx: IngestContext;
  authenticate: Authenticate;
  /** 0 turns the sweeper off (tests drive it by hand). */
  sweepEveryMs?: number;
}

/** The HTTP API as a plain Fastify instance: main listens on it, tests inject into it. */
export async function buildApp({
  ctx,
  authenticate,
  sweepEveryMs = ctx.config.OUTBOX_SWEEP_MS,
}: IngestAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    // The gateway on this machine forwards the client's address: sign-in limits and logs count by it, not by the gateway.
    trustProxy: 'loopback',
    // A request about one job logs with its jobId, from "incoming request" to "request completed".
    childLoggerFactory: (logger, bindings, options, raw) => {
      const jobId = jobIdOfPath(raw.url ?? '');
      return logger.child(jobId ? { ...bindings, jobId } : bindings, options);
    },
    // The router refuses badly escaped or over-long path segments before any hook runs; answer in the contract's shape.
    frameworkErrors: answerRouterError,
  });
  await app.register(errorsPlugin);
  await app.register(metricsPlugin);
  await app.register(auditPlugin, { ctx });
  await app.register(authPlugin, { authenticate, ctx });
  await app.register(multipart, { throwFileSizeLimit: true });
  // Per-key limits, set on the routes that need them; runs after authentication so the key is known.
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    keyGenerator: (request) => request.principal?.keyId ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many uploads: at most ${context.max} per minute; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
  await app.register(importRoutes, { ctx });
  await app.register(rowErrorRoutes, { ctx });
  await app.register(templateRoutes, { ctx });
  await app.register(previewRoutes, { ctx });
  await app.register(webhookRoutes, { ctx });
  await app.register(metaRoutes, { ctx });
  await app.register(peopleRoutes, { ctx });
  await app.register(ssoRoutes, { ctx });
  await app.register(apiDocsPlugin);

  if (sweepEveryMs > 0) {
    const timer = setInterval(() => {
      sweepUnannouncedJobs(ctx).catch((error) => ctx.logger.error({ err: error }, 'outbox sweep failed'));
    }, sweepEveryMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  return app;
}
