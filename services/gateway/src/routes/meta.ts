import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../metrics.js';

/** The gateway's own liveness and metrics, under /gateway so they never collide with ingest's /api and /metrics. */
export async function metaRoutes(app: FastifyInstance, { metrics }: { metrics: GatewayMetrics }): Promise<void> {
  app.get('/gateway/health', async () => ({ status: 'ok' }));
  app.get('/gateway/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
}
